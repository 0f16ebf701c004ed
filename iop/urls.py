from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views_language

from . import views, views_health

admin.site.site_header = _("IOP – system administration")
admin.site.site_title = _("IOP administration")

urlpatterns = [
    path("", views.start, name="start"),
    path("helse/", views_health.health, name="health"),
    path("logg-inn/", views_language.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views_language.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("iop.urls_plan")),
    path("", include("iop.urls_part2")),
    path("", include("iop.urls_report")),
    path("", include("applications.urls_manage")),
    path("", include("applications.urls_approval")),
    path("", include("applications.urls_batches")),
    path("", include("documents.urls")),
    path("", include("accounts.urls")),
]
