"""The history tables: one per IOP or application model, holding only its texts (texts.py).

`simple_history.register(..., app="history")` puts them in this app, so their migrations are here and
the tracked apps need none. A row is written on every save(); QuerySet.update() and bulk_create() write
none, which is why iop.services.versioned_update saves through save() under the row lock.
"""

from simple_history import register

from .texts import ANCHORS, tracked_fields

for _model in ANCHORS:
    register(
        _model,
        app="history",
        excluded_fields=[f.name for f in _model._meta.concrete_fields
                         if f.name not in tracked_fields(_model) and not f.primary_key],
    )
