from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_open, name="open"),
    path("lest/", views.notices_mark_read, name="mark_read"),
    path("innstillinger/", views.preferences, name="preferences"),
]
