from django.urls import path

from . import views

urlpatterns = [
    path("skoler/<int:school_pk>/tilgang/", views.school_access, name="school_access"),
    path(
        "skoler/<int:school_pk>/tilgang/<int:user_pk>/<slug:action>/",
        views.school_access_change,
        name="school_access_change",
    ),
]
