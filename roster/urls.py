from django.urls import path

from . import views

app_name = "roster"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/bruk/", views.import_apply, name="apply"),
    path("<int:pk>/forkast/", views.import_discard, name="discard"),
]
