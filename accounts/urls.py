from django.urls import path

from .oidc import views as oidc
from .views import access_log, password, school_access, second_factor, session

app_name = "accounts"

urlpatterns = [
    path("skoler/<int:school_pk>/tilgang/", school_access.school_access, name="school_access"),
    path(
        "skoler/<int:school_pk>/tilgang/<int:user_pk>/<slug:action>/",
        school_access.school_access_change,
        name="school_access_change",
    ),
    path("elever/<int:student_pk>/tilgangslogg/", access_log.student_access_log, name="student_access_log"),
    path("passord/bytt/", password.PasswordChangeView.as_view(), name="password_change"),
    path("passord/bytt/ferdig/", password.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("passord/glemt/", password.PasswordResetView.as_view(), name="password_reset"),
    path("passord/glemt/sendt/", password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passord/nytt/<uidb64>/<token>/", password.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("passord/nytt/ferdig/", password.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Login with Feide and ID-porten (accounts/oidc/); the return addresses are registered with the providers.
    path("logg-inn/feide/", oidc.begin, {"provider": "feide"}, name="feide_login"),
    path("logg-inn/feide/retur/", oidc.callback, {"provider": "feide"}, name="feide_callback"),
    path("logg-inn/idporten/", oidc.begin, {"provider": "idporten"}, name="idporten_login"),
    path("logg-inn/idporten/retur/", oidc.callback, {"provider": "idporten"}, name="idporten_callback"),
    path("totrinn/", second_factor.verify, name="second_factor_verify"),
    path("totrinn/oppsett/", second_factor.setup, name="second_factor_setup"),
    path("totrinn/gjenopprettingskoder/", second_factor.recovery_codes, name="second_factor_recovery_codes"),
    path("okt/aktiv/", session.session_keepalive, name="session_keepalive"),
]
