from django.urls import path

from .views import approval, batches, manage

app_name = "applications"

urlpatterns = [
    # The IOP admin's pages ("behandle": process)
    path("skoler/<int:school_pk>/soknader/", manage.application_list, name="application_list"),
    path("skoler/<int:school_pk>/soknader/ny/", manage.application_add, name="application_add"),
    path("skoler/<int:school_pk>/vedtak/ny/", manage.decision_add, name="decision_add"),
    path("soknader/<int:pk>/behandle/", manage.application_detail, name="application_detail"),
    path("soknader/<int:pk>/behandle/endre/", manage.application_edit, name="application_edit"),
    path("soknader/<int:pk>/behandle/publiser/", manage.application_publish, name="application_publish"),
    path("soknader/<int:pk>/behandle/gjenapne/", manage.application_reopen, name="application_reopen"),
    path("soknader/<int:pk>/behandle/sendt/", manage.application_mark_sent, name="application_mark_sent"),
    path("soknader/<int:pk>/behandle/vedtak/", manage.application_decide, name="application_decide"),
    # pk is the decision's (a decision may have no application); the name's prefix is the app's pages.
    path("vedtak/<int:pk>/rett/", manage.decision_correct_page, name="decision_correct"),
    path("soknader/<int:pk>/behandle/pdf/", manage.application_download, name="application_download"),
    # The student's and guardians' approval
    path("soknader/<int:pk>/godkjenning/", approval.application_read, name="application_read"),
    path("soknader/<int:pk>/godkjenning/godkjenn/", approval.application_approve, name="application_approve"),
    path("soknader/<int:pk>/godkjenning/kommentar/", approval.application_comment, name="application_comment"),
    # School batches
    path("skoler/<int:school_pk>/samlesoknader/", batches.batch_list, name="batch_list"),
    path("samlesoknader/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("samlesoknader/<int:pk>/soknader/<int:application_pk>/legg-til/", batches.batch_add, name="batch_add"),
    path("samlesoknader/<int:pk>/soknader/<int:application_pk>/fjern/", batches.batch_remove, name="batch_remove"),
    path("samlesoknader/<int:pk>/sendt/", batches.batch_send, name="batch_send"),
    path("samlesoknader/<int:pk>/last-ned/", batches.batch_download, name="batch_download"),
]
