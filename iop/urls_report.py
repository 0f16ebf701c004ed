from django.urls import path

from . import views_report as views

urlpatterns = [
    path("iop/<int:pk>/arsrapport/", views.report_edit, name="report_edit"),
    path("iop/<int:pk>/vedlegg/", views.annex, name="annex"),
    path("iop/vedlegg/<int:pk>/endre/", views.annex_row_edit, name="annex_row_edit"),
    path("iop/vedlegg/<int:pk>/slett/", views.annex_row_delete, name="annex_row_delete"),
    path("iop/vedlegg/<int:pk>/flytt/", views.annex_move, name="annex_move"),
    path("iop/<int:pk>/pdf/<str:kind>/", views.plan_download, name="plan_download"),
]
