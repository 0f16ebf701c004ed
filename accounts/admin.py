from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Enrollment,
    Guardianship,
    School,
    SchoolGroupObjectPermission,
    SchoolUserObjectPermission,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
)


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["user", "school"]


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian", "student"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["subject", "teachers"]
    fields = ["subject", "school_year", "teachers", "ended_on"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "staff_memberships__school", "staff_memberships__role"]
    inlines = [StaffMembershipInline, GuardianshipInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "owner_kind", "owner_name"]
    list_filter = ["kind", "owner_kind"]
    search_fields = ["name", "org_number", "owner_name"]
    inlines = [StaffMembershipInline]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "school__name"]
    autocomplete_fields = ["user", "school"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "group", "school", "birth_date", "contact_teacher", "user"]
    list_filter = ["school", "group"]
    search_fields = ["first_name", "last_name", "group", "user__username"]
    autocomplete_fields = ["school", "contact_teacher", "user"]
    date_hierarchy = "birth_date"
    inlines = [GuardianshipInline, EnrollmentInline]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["guardian", "student"]
    list_filter = ["student__school"]
    search_fields = ["guardian__username", "guardian__last_name", "student__first_name", "student__last_name"]
    autocomplete_fields = ["guardian", "student"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "subject", "school_year", "teacher_names", "ended_on"]
    list_filter = ["school_year", "student__school", "subject"]
    search_fields = ["student__first_name", "student__last_name", "subject__code", "subject__name", "teachers__username"]
    autocomplete_fields = ["student", "subject", "teachers"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student", "subject", "school_year").prefetch_related("teachers")

    @admin.display(description=_("teachers"))
    def teacher_names(self, enrollment):
        return ", ".join(str(t) for t in enrollment.teachers.all())


@admin.register(SchoolUserObjectPermission)
class SchoolUserObjectPermissionAdmin(admin.ModelAdmin):
    """IOP-admin grants. Principals manage these on the Tilgang page."""

    list_display = ["user", "content_object", "permission"]
    list_filter = ["content_object", "permission"]
    search_fields = ["user__username", "user__last_name", "content_object__name"]
    autocomplete_fields = ["user", "content_object"]


@admin.register(SchoolGroupObjectPermission)
class SchoolGroupObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["group", "content_object", "permission"]
    list_filter = ["content_object", "permission"]
