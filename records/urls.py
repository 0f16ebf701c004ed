from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.home, name="home"),
    path("innsynskrav/ny/", views.register_student, name="register_student"),
    path("innsynskrav/ny/<int:student_pk>/", views.register, name="register"),
    path("innsynskrav/<int:pk>/kvittering/", views.receipt, name="receipt"),
    path("innsynskrav/<int:pk>/", views.request_detail, name="request"),
    path("innsynskrav/<int:pk>/samle/", views.collect_records, name="collect"),
    path("innsynskrav/<int:pk>/svar/", views.release, name="release"),
    path("innsynskrav/<int:pk>/pakke.pdf", views.package_pdf, name="package_pdf"),
    path("innsynskrav/<int:pk>/pakke.json", views.package_json, name="package_json"),
    path("innsynskrav/punkt/<int:pk>/", views.item_review, name="item"),
    path("mapper/", views.dossier_students, name="dossier_students"),
    path("mapper/<int:student_pk>/", views.dossier, name="dossier"),
    path("mapper/<int:student_pk>/<str:fmt>/", views.dossier_download, name="dossier_download"),
    path("bevaring/", views.retention_home, name="retention"),
    path("innstillinger/<int:authority_pk>/", views.authority_settings, name="settings"),
    path("bevaring/<int:authority_pk>/regel/", views.rule_edit, name="rule_edit"),
    path("bevaring/regel/<int:pk>/standard/", views.rule_remove, name="rule_remove"),
    path("bevaring/<int:authority_pk>/sjekk/", views.run_now, name="run_now"),
    path("bevaring/avlevering/elev/<int:student_pk>/", views.handover, name="handover"),
    path("bevaring/avlevering/<int:pk>/pakke.zip", views.handover_download, name="handover_download"),
    path("bevaring/kassasjon/<int:pk>/", views.destruction_list, name="destruction_list"),
    path("bevaring/kassasjon/<int:pk>/godkjenn/", views.destruction_approve, name="destruction_approve"),
    path("bevaring/kassasjon/punkt/<int:pk>/hold/", views.item_hold_back, name="item_hold_back"),
]
