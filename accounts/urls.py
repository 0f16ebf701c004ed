from django.urls import path

from .views import access_log, school_access

app_name = "accounts"

urlpatterns = [
    path("skoler/<int:school_pk>/tilgang/", school_access.school_access, name="school_access"),
    path(
        "skoler/<int:school_pk>/tilgang/<int:user_pk>/<slug:action>/",
        school_access.school_access_change,
        name="school_access_change",
    ),
    path("elever/<int:student_pk>/tilgangslogg/", access_log.student_access_log, name="student_access_log"),
]
