"""The root URLs: the project-wide pages without a namespace, then every app under its own."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.second_factor import protect_admin_site
from accounts.views import login

from . import about, health, start

admin.site.site_header = _("IOP – system administration")
admin.site.site_title = _("IOP administration")
# The Django admin needs a verified second factor, whatever the login path.
protect_admin_site(admin.site)

urlpatterns = [
    path("", start.start, name="start"),
    path("helse/", health.health, name="health"),
    path("helse/db/", health.health_db, name="health_db"),
    path("om/", about.about, name="about"),
    path("logg-inn/", login.LoginView.as_view(), name="login"),
    path("logg-ut/", login.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("iop.urls")),
    path("", include("applications.urls")),
    path("", include("documents.urls")),
    path("", include("accounts.urls")),
    path("import/", include("roster.urls")),
    path("iko/", include("followup.urls")),
    path("personsaker/", include("cases.urls")),
    path("arkiv/", include("records.urls")),
    path("", include("history.urls")),
    path("varsler/", include("notices.urls")),
    path("laereplan/", include("curriculum.urls")),
]
