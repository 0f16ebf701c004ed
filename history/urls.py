from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("historikk/<str:kind>/<int:pk>/", views.text_versions, name="versions"),
    path("historikk/<str:kind>/<int:pk>/forskjell/", views.text_difference, name="difference"),
    path("historikk/<str:kind>/<int:pk>/gjenopprett/", views.text_restore, name="restore"),
]
