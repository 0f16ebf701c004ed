from django.urls import path

from .views import access_log, password, school_access

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
]
