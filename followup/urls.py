from django.urls import path

from .views import documents, meetings, plans, signals

app_name = "followup"

urlpatterns = [
    path("skoler/<int:school_pk>/", signals.overview, name="overview"),
    path("skoler/<int:school_pk>/finn-signaler/", signals.find_signals, name="find_signals"),
    path("skoler/<int:school_pk>/oppstartsamtaler/", signals.startup_talks, name="startup_talks"),
    path("elever/<int:student_pk>/", signals.student, name="student"),
    path("elever/<int:student_pk>/samtaler/<slug:kind>/ny/", signals.talk_add, name="talk_add"),
    path("elever/<int:student_pk>/planer/ny/", plans.plan_add, name="plan_add"),
    path("signaler/<int:pk>/vurder/", signals.signal_assess, name="signal_assess"),
    path("bekymringer/", signals.concerns, name="concerns"),
    path("bekymringer/ny/", signals.concern_add, name="concern_add"),
    path("planer/<int:pk>/", plans.plan, name="plan"),
    path("planer/<int:pk>/pdf/", documents.plan_pdf, name="plan_pdf"),
    path("planer/<int:plan_pk>/tiltak/ny/", plans.measure_edit, name="measure_add"),
    path("planer/<int:plan_pk>/tiltak/<int:pk>/", plans.measure_edit, name="measure_edit"),
    path("planer/<int:pk>/foresatte-informert/", plans.plan_informed, name="plan_informed"),
    path("planer/<int:pk>/evaluer/", plans.plan_evaluate, name="plan_evaluate"),
    path("planer/<int:pk>/<slug:change>/", plans.plan_state, name="plan_state"),
    path("tiltak/<int:pk>/oppfolging/", plans.measure_note, name="measure_note"),
    path("skoler/<int:school_pk>/moter/", meetings.meetings, name="meetings"),
    path("skoler/<int:school_pk>/moter/ny/", meetings.meetings_create, name="meetings_create"),
    path("moter/<int:pk>/", meetings.meeting, name="meeting"),
    path("moter/<int:pk>/vedtak/", meetings.meeting_decide, name="meeting_decide"),
    path("skoler/<int:school_pk>/ressurser/ny/", meetings.resource_edit, name="resource_add"),
    path("skoler/<int:school_pk>/ressurser/<int:pk>/", meetings.resource_edit, name="resource_edit"),
    path("skoler/<int:school_pk>/tiltakskatalog/ny/", meetings.approach_add, name="approach_add"),
    path("skoler/<int:school_pk>/<slug:what>/<int:pk>/slett/", meetings.team_object_delete, name="team_object_delete"),
]
