"""Factories for roster imports."""

import factory
from django.utils import timezone

from roster.models import ImportRun

from ..factories import SchoolFactory


class ImportRunFactory(factory.django.DjangoModelFactory):
    """A checked import of a school, ready to apply: one student would change group."""

    class Meta:
        model = ImportRun

    school = factory.SubFactory(SchoolFactory)
    file_name = "eksport.zip"
    status = ImportRun.Status.CHECKED
    checked_at = factory.LazyFunction(timezone.now)
    summary = factory.LazyFunction(lambda: {
        "counts": {"students": {"changed": 1}},
        "changes": [{"kind": "students", "action": "changed", "label": "Emma Nordmann",
                     "fields": [["group", "1STA", "1STB"]]}],
        "noted_all": True, "errors": [], "error_count": 0,
    })
