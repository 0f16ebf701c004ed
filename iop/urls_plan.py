from django.urls import path

from . import views_plan as views

urlpatterns = [
    path("elever/<int:student_pk>/iop/", views.student_plan, name="student_plan"),
    path("elever/<int:student_pk>/iop/ny/", views.plan_create, name="plan_create"),
    path("iop/bytt/", views.plan_switch, name="plan_switch"),
    path("iop/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("iop/<int:pk>/del1/", views.plan_edit_part1, name="plan_edit_part1"),
    path("iop/<int:pk>/fag/", views.plan_subjects, name="plan_subjects"),
    path("iop/<int:pk>/fag/overfor/", views.plan_transfer_subjects, name="plan_transfer_subjects"),
    path("iop/<int:pk>/status/", views.plan_set_stage_view, name="plan_set_stage"),
    path("iop/<int:pk>/logg/ny/", views.log_add, name="log_add"),
    path("iop/logg/<int:pk>/endre/", views.log_edit, name="log_edit"),
]
