"""The Django admin writes the access log too: mixins for a ModelAdmin.

They import nothing of ours; the model admin says where an object's student
(or school) is, as a lookup path from the object:

    @admin.register(Goal)
    class GoalAdmin(LoggedAdminMixin, admin.ModelAdmin):
        student_path = "plan_subject__plan__student"

`student_path = ""` means the object is the student. For anything a path
cannot say, override `student_of(obj)` / `school_of(obj)`.
"""

from typing import NamedTuple

from django.contrib.auth.models import Permission

from .log import record, record_students
from .models import AccessEvent


class _StudentRef(NamedTuple):
    """What `record_students` reads of a student, so a list page need not fetch the students."""

    pk: int
    school_id: int | None


class LoggedViewsMixin:
    """Writes `viewed` for every change page opened and every list page shown (per student).

    Only superusers may use these admins: docs/architecture.md §4 lets no model-level
    permission open student data.
    """

    student_path: str | None = None
    school_path: str | None = None
    log_object_type: str = ""  # default "admin:<app_label>.<model_name>"

    def log_type(self) -> str:
        return self.log_object_type or f"admin:{self.opts.label_lower}"

    def student_of(self, obj):
        return _follow(obj, self.student_path)

    def school_of(self, obj):
        return _follow(obj, self.school_path)

    def log_event(self, request, obj, action: str, detail: str = "") -> None:
        record(request, action=action, object_type=self.log_type(), object_id=obj.pk,
               student=self.student_of(obj), school=self.school_of(obj), detail=detail)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A POST that comes back with errors shows what the GET before it showed.
        if change and obj is not None and request.method == "GET":
            self.log_event(request, obj, AccessEvent.Action.VIEWED)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None and self.student_path is not None:
            path = f"{self.student_path}__" if self.student_path else ""
            shown = [obj.pk for obj in changelist.result_list]
            rows = (self.model._default_manager.filter(pk__in=shown).order_by()
                    .values_list(f"{path}pk", f"{path}school").distinct())
            students = [_StudentRef(*row) for row in rows if row[0] is not None]
            if students:
                record_students(request, action=AccessEvent.Action.VIEWED, object_type=self.log_type(),
                                students=students, detail="list")
        return response

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class LoggedAdminMixin(LoggedViewsMixin):
    """Also writes `created`, `changed` (with the names of the changed fields, never values) and `deleted`."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Here, inside the admin's transaction, after the inlines are saved too.
        if change:
            self.log_event(request, form.instance, AccessEvent.Action.CHANGED, changed_fields(form, formsets))
        else:
            self.log_event(request, form.instance, AccessEvent.Action.CREATED)

    def log_deletions(self, request, queryset):
        # Called by the delete page and by the "delete selected" action, before deleting.
        for obj in queryset:
            self.log_event(request, obj, AccessEvent.Action.DELETED)
        return super().log_deletions(request, queryset)


def changed_fields(form, formsets=()) -> str:
    """E.g. "goal_text, subjects.extent, subjects(added)": field names only."""
    names = list(form.changed_data)
    for formset in formsets:
        prefix = formset.prefix
        for _obj, fields in getattr(formset, "changed_objects", []):
            names += [f"{prefix}.{field}" for field in fields if f"{prefix}.{field}" not in names]
        if getattr(formset, "new_objects", None):
            names.append(f"{prefix}(added)")
        if getattr(formset, "deleted_objects", None):
            names.append(f"{prefix}(deleted)")
    return ", ".join(names)


def _follow(obj, path: str | None):
    if path is None:
        return None
    for name in filter(None, path.split("__")):
        obj = getattr(obj, name, None)
    return obj


class ObjectGrantAdminMixin(LoggedViewsMixin):
    """An explicit object-permission grant (django-guardian rows): added and revoked, never changed.

    Adding and deleting go through the app's services (`grant` and `revoke`, set by the subclass),
    which check the grant and write `granted` / `revoked`, exactly as the app's own pages do.
    Only `grant_permission` = (app label, model, codename) may be chosen.
    """

    grant_permission: tuple[str, str, str]

    def grant(self, request, obj) -> None:
        raise NotImplementedError

    def revoke(self, request, obj) -> None:
        raise NotImplementedError

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            app_label, model, codename = self.grant_permission
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revokes go one by one through the service
        return actions

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        self.grant(request, obj)
        obj.pk = type(obj).objects.get(user=obj.user, content_object=obj.content_object, permission=obj.permission).pk

    def delete_model(self, request, obj):
        self.revoke(request, obj)
