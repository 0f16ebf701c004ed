from django.urls import path

from .views import overview, part2, plan, report

app_name = "iop"

urlpatterns = [
    # The IOP page, part 1, its subjects, stage and log
    path("elever/<int:student_pk>/iop/", plan.student_plan, name="student_plan"),
    path("elever/<int:student_pk>/iop/ny/", plan.plan_create, name="plan_create"),
    path("elever/<int:student_pk>/iop/ny/fra/<int:pk>/", plan.plan_copy, name="plan_copy"),
    path("iop/bytt/", plan.plan_switch, name="plan_switch"),
    path("iop/<int:pk>/", plan.plan_detail, name="plan_detail"),
    path("iop/<int:pk>/del1/", plan.plan_edit_part1, name="plan_edit_part1"),
    path("iop/<int:pk>/fag/", plan.plan_subjects, name="plan_subjects"),
    path("iop/<int:pk>/fag/overfor/", plan.plan_transfer_subjects, name="plan_transfer_subjects"),
    path("iop/<int:pk>/status/", plan.plan_set_stage_view, name="plan_set_stage"),
    path("iop/<int:pk>/endre-tidligere-ar/", plan.plan_unlock, name="plan_unlock"),
    path("iop/<int:pk>/logg/ny/", plan.log_add, name="log_add"),
    path("iop/logg/<int:pk>/endre/", plan.log_edit, name="log_edit"),
    # Part 2: goals and assessments per subject
    path("iop/fag/<int:pk>/", part2.subject_detail, name="subject_detail"),
    path("iop/fag/<int:pk>/mal/ny/", part2.goal_add, name="goal_add"),
    path("iop/fag/<int:pk>/mal/ferdig/", part2.goals_done, name="goals_done"),
    path("iop/fag/<int:pk>/vurdering/<str:kind>/", part2.assessment_edit, name="assessment_edit"),
    path("iop/mal/<int:pk>/endre/", part2.goal_edit, name="goal_edit"),
    path("iop/mal/<int:pk>/slett/", part2.goal_delete, name="goal_delete"),
    path("iop/mal/<int:pk>/flytt/", part2.goal_move, name="goal_move"),
    # Annual report, certificate annex, generated PDFs
    path("iop/<int:pk>/arsrapport/", report.report_edit, name="report_edit"),
    path("iop/<int:pk>/vedlegg/", report.annex, name="annex"),
    path("iop/<int:pk>/vedlegg/notasjon/", report.plan_notation_save, name="plan_notation_save"),
    path("iop/<int:pk>/vedlegg/fra-mal/", report.plan_annex_from_goals, name="plan_annex_from_goals"),
    path("iop/vedlegg/<int:pk>/endre/", report.annex_row_edit, name="annex_row_edit"),
    path("iop/vedlegg/<int:pk>/slett/", report.annex_row_delete, name="annex_row_delete"),
    path("iop/vedlegg/<int:pk>/flytt/", report.annex_move, name="annex_move"),
    path("iop/<int:pk>/pdf/<str:kind>/", report.plan_download, name="plan_download"),
    # Progress at a glance: the school's overview and settings, the teacher's list
    path("skoler/<int:school_pk>/iop-oversikt/", overview.school_overview, name="school_overview"),
    path("skoler/<int:school_pk>/iop-oversikt/csv/", overview.school_overview_csv, name="school_overview_csv"),
    path("skoler/<int:school_pk>/iop-innstillinger/", overview.school_settings, name="school_settings"),
    path("iop/mitt-arbeid/", overview.my_work, name="my_work"),
]
