from django.urls import path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("sok/", views.search, name="search"),
    path("mal/<path:code>/", views.goal_page, name="goal_page"),
]
