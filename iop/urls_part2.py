from django.urls import path

from . import views_part2 as views

urlpatterns = [
    path("iop/fag/<int:pk>/", views.subject_detail, name="subject_detail"),
    path("iop/fag/<int:pk>/mal/ny/", views.goal_add, name="goal_add"),
    path("iop/fag/<int:pk>/mal/ferdig/", views.goals_done, name="goals_done"),
    path("iop/fag/<int:pk>/vurdering/<str:kind>/", views.assessment_edit, name="assessment_edit"),
    path("iop/mal/<int:pk>/endre/", views.goal_edit, name="goal_edit"),
    path("iop/mal/<int:pk>/slett/", views.goal_delete, name="goal_delete"),
    path("iop/mal/<int:pk>/flytt/", views.goal_move, name="goal_move"),
]
