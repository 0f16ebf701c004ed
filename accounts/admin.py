from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from audit.admin_logging import LoggedAdminMixin, ObjectGrantAdminMixin
from audit.log import record

from .access import CASE_CREATOR_PERMISSION, IKO_TEAM_PERMISSION, IOP_ADMIN_PERMISSION
from .forms import GuardianshipAdminForm, StudentAdminForm
from .guidance import forget_words
from .models import (
    Enrollment,
    Guardianship,
    GuidanceWord,
    School,
    SchoolGroupObjectPermission,
    SchoolUserObjectPermission,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
)
from .services import (
    RoleChangeRefused,
    case_creator_grant,
    case_creator_revoke,
    iko_team_grant,
    iko_team_revoke,
    iop_admin_grant,
    iop_admin_revoke,
)


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["user", "school"]


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    form = GuardianshipAdminForm
    extra = 0
    autocomplete_fields = ["guardian", "student"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["subject", "teachers"]
    fields = ["subject", "school_year", "teachers", "ended_on"]


@admin.register(User)
class UserAdmin(LoggedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "staff_memberships__school", "staff_memberships__role"]
    inlines = [StaffMembershipInline, GuardianshipInline]
    log_object_type = "user"
    # Login with Feide matches the user by this field only (accounts/oidc/identity.py).
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Feide"), {"fields": ["feide_id"]}),)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # Success redirects to the user's page; a refused form comes back to this one.
        if request.method == "POST" and response.status_code == 302 and response.url != request.get_full_path():
            record(request, action="changed", object_type="user", object_id=unquote(id),
                   detail="password set in admin")
        return response


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "owner_kind", "owner_name"]
    list_filter = ["kind", "owner_kind"]
    search_fields = ["name", "org_number", "owner_name"]
    inlines = [StaffMembershipInline]


@admin.register(GuidanceWord)
class GuidanceWordAdmin(admin.ModelAdmin):
    """The word lists of the free-text guidance (accounts/guidance.py): the default list, each owner's additions."""

    list_display = ["word", "language", "owner_name"]
    list_filter = ["language", "owner_name"]
    search_fields = ["word", "owner_name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_words()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_words()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_words()


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "school__name"]
    autocomplete_fields = ["user", "school"]
    school_path = "school"


@admin.register(Student)
class StudentAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "group", "school", "birth_date", "contact_teacher", "user",
                    "leaves_on", "left_on"]
    list_filter = ["school", "group", "leaves_on", "left_on"]
    search_fields = ["first_name", "last_name", "group", "user__username"]
    autocomplete_fields = ["school", "contact_teacher", "user"]
    date_hierarchy = "birth_date"
    form = StudentAdminForm
    inlines = [GuardianshipInline, EnrollmentInline]
    student_path = ""  # the object is the student

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "open_matters", None):  # marked as leaving although something is open: confirmed
            record(request, action="changed", object_type="student_leaving_confirmed", object_id=obj.pk,
                   student=obj, detail=" ".join(form.open_matters))


@admin.register(Guardianship)
class GuardianshipAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["guardian", "student"]
    list_filter = ["student__school"]
    search_fields = ["guardian__username", "guardian__last_name", "student__first_name", "student__last_name"]
    autocomplete_fields = ["guardian", "student"]
    form = GuardianshipAdminForm
    fields = ["guardian", "identity_number", "student"]
    student_path = "student"


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Enrollment)
class EnrollmentAdmin(LoggedAdminMixin, admin.ModelAdmin):
    list_display = ["student", "subject", "school_year", "teacher_names", "ended_on"]
    list_filter = ["school_year", "student__school", "subject"]
    search_fields = ["student__first_name", "student__last_name", "subject__code", "subject__name", "teachers__username"]
    autocomplete_fields = ["student", "subject", "teachers"]
    student_path = "student"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student", "subject", "school_year").prefetch_related("teachers")

    @admin.display(description=_("teachers"))
    def teacher_names(self, enrollment):
        return ", ".join(str(t) for t in enrollment.teachers.all())


# The school roles' permissions → their grant and revoke services.
SCHOOL_ROLE_SERVICES = {
    IOP_ADMIN_PERMISSION: (iop_admin_grant, iop_admin_revoke),
    IKO_TEAM_PERMISSION: (iko_team_grant, iko_team_revoke),
    CASE_CREATOR_PERMISSION: (case_creator_grant, case_creator_revoke),
}


@admin.register(SchoolUserObjectPermission)
class SchoolUserObjectPermissionAdmin(ObjectGrantAdminMixin, admin.ModelAdmin):
    """School-role grants (IOP admin, IKO team, case creator). Principals manage these on the Tilgang page.

    Adding and deleting go through the services, which write `granted` and
    `revoked`; a grant is never changed, only revoked and granted anew.
    """

    list_display = ["user", "content_object", "permission"]
    list_filter = ["content_object", "permission"]
    search_fields = ["user__username", "user__last_name", "content_object__name"]
    autocomplete_fields = ["user", "content_object"]
    school_path = "content_object"
    log_object_type = "admin:iop_admin_grant"

    grant_permission = ("accounts", "school", IOP_ADMIN_PERMISSION)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "permission":  # either school role, nothing else
            field.queryset = Permission.objects.filter(
                content_type__app_label="accounts", content_type__model="school", codename__in=SCHOOL_ROLE_SERVICES
            )
        return field

    def grant(self, request, obj):
        grant, _revoke = SCHOOL_ROLE_SERVICES[obj.permission.codename]
        grant(school=obj.content_object, user=obj.user, request=request)

    def revoke(self, request, obj):
        _grant, revoke = SCHOOL_ROLE_SERVICES[obj.permission.codename]
        revoke(school=obj.content_object, user=obj.user, request=request)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except RoleChangeRefused:
            return self._refused(request)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except RoleChangeRefused:
            return self._refused(request)

    def _refused(self, request):
        self.message_user(request, _("Only staff of the school can be given a school role."), messages.ERROR)
        return redirect("admin:accounts_schooluserobjectpermission_changelist")


@admin.register(SchoolGroupObjectPermission)
class SchoolGroupObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["group", "content_object", "permission"]
    list_filter = ["content_object", "permission"]
