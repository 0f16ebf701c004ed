from django.urls import path

from .views import cards, case, events, handlers, home

app_name = "cases"

urlpatterns = [
    path("", home.home, name="home"),
    path("elever/", home.students, name="students"),
    path("skole/<int:school_pk>/", home.school_cases, name="school_cases"),
    path("skole/<int:school_pk>/sakstyper/", home.case_types, name="case_types"),
    path("sakstype/<int:pk>/<str:action>/", home.case_type_toggle, name="case_type_toggle"),
    path("elev/<int:student_pk>/", cards.student_card, name="student"),
    path("elev/<int:student_pk>/registrer/", cards.student_register, name="student_register"),
    path("elev/<int:student_pk>/ny-sak/", cards.case_create, name="case_create"),
    path("sak/<int:pk>/", case.case_detail, name="case"),
    path("sak/<int:pk>/avslutt/", case.case_close, name="case_close"),
    path("sak/<int:pk>/pdf/", case.case_pdf, name="case_pdf"),
    path("sak/<int:pk>/saksbehandlere/", handlers.case_handlers, name="handlers"),
    path("sak/<int:pk>/saksbehandlere/bytt/", handlers.hand_over, name="hand_over"),
    path("sak/<int:pk>/medsaksbehandler/<int:user_pk>/fjern/", handlers.co_handler_remove,
         name="co_handler_remove"),
    path("sak/<int:pk>/hendelse/ny/", events.event_create, name="event_create"),
    path("hendelse/<int:pk>/rett/", events.event_correct, name="event_correct"),
    path("vedlegg/<int:pk>/", events.attachment_download, name="attachment"),
]
