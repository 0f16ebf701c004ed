from django.urls import path

from .views import approval

urlpatterns = [
    path("soknader/<int:pk>/godkjenning/", approval.application_read, name="application_read"),
    path("soknader/<int:pk>/godkjenning/godkjenn/", approval.application_approve, name="application_approve"),
]
