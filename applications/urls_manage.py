from django.urls import path

from .views import manage as views

urlpatterns = [
    path("skoler/<int:school_pk>/soknader/", views.application_list, name="application_list"),
    path("skoler/<int:school_pk>/soknader/ny/", views.application_add, name="application_add"),
    path("skoler/<int:school_pk>/vedtak/ny/", views.decision_add, name="decision_add"),
    # "behandle" (process): the admin's pages, apart from the student's and guardians' approval page.
    path("soknader/<int:pk>/behandle/", views.application_detail, name="application_detail"),
    path("soknader/<int:pk>/behandle/endre/", views.application_edit, name="application_edit"),
    path("soknader/<int:pk>/behandle/publiser/", views.application_publish, name="application_publish"),
    path("soknader/<int:pk>/behandle/gjenapne/", views.application_reopen, name="application_reopen"),
    path("soknader/<int:pk>/behandle/sendt/", views.application_mark_sent, name="application_mark_sent"),
    path("soknader/<int:pk>/behandle/vedtak/", views.application_decide, name="application_decide"),
    path("soknader/<int:pk>/behandle/pdf/", views.application_download, name="application_download"),
]
