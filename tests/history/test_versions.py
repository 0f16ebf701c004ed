"""The versions of a text: one per save with who saved, the difference of two, restoring one (a new version,
logged), and a restore refused like any stale edit when someone saved since the page was opened."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent
from history import selectors
from history.texts import TEXTS
from iop.models import Plan

from ..factories import SubjectFactory
from ..iop.factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, stage=Plan.Stage.TEACHERS)


@pytest.fixture
def subject(plan):
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))


def save_part1(client, plan, **texts):
    """Open part 1 and save it as the form is, with `texts` changed."""
    url = reverse("iop:plan_edit_part1", args=[plan.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in ((f.name, f.value()) for f in form) if value is not None}
    data.update(texts)
    response = client.post(url, data)
    assert response.status_code == 302
    plan.refresh_from_db()


def versions_page(client, kind, pk):
    return client.get(reverse("history:versions", args=[kind, pk]))


def test_every_save_is_a_version_with_who_saved(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Første utkast")
    save_part1(client, plan, goal_text="Andre utkast")
    versions = selectors.versions(TEXTS["del1"], plan)
    assert [v.values["goal_text"] for v in versions] == [PlanFactory.goal_text, "Første utkast", "Andre utkast"]
    assert [v.saved_by for v in versions[1:]] == [admin, admin]
    assert versions[-1].current and not versions[0].current
    response = versions_page(client, "del1", plan.pk)
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [1, 2, 3]


def test_a_save_that_changes_no_text_is_not_a_version(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Utkast")
    save_part1(client, plan, goal_text="Utkast")
    assert len(selectors.versions(TEXTS["del1"], plan)) == 2


def test_text_saved_before_history_was_kept_is_the_current_version(admin, plan):
    Plan.history.filter(id=plan.pk).delete()  # as for a plan written before this app existed
    versions = selectors.versions(TEXTS["del1"], plan)
    assert len(versions) == 1 and versions[0].current and versions[0].history_id is None


def test_the_difference_marks_changed_words(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Eleven skal lese enkle tekster")
    save_part1(client, plan, goal_text="Eleven skal lese lengre tekster")
    response = client.get(reverse("history:difference", args=["del1", plan.pk]), {"fra": 2, "til": 3})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.changed)
    assert [p.text for p in row.older[0] if p.changed] == ["enkle"]
    assert [p.text for p in row.newer[0] if p.changed] == ["lengre"]
    content = response.content.decode()
    assert "<del>" in content and "<ins>" in content  # marked by element, not by colour alone
    assert sum(r.changed for r in response.context["rows"]) == 1


def test_a_version_that_does_not_exist_is_404(admin, plan):
    response = logged_in(admin).get(reverse("history:difference", args=["del1", plan.pk]), {"fra": 1, "til": 99})
    assert response.status_code == 404


@pytest.mark.parametrize("query", [{"fra": "x"}, {"fra": 0, "til": 1}, {}])
def test_a_difference_without_two_versions_is_400(admin, plan, query):
    response = logged_in(admin).get(reverse("history:difference", args=["del1", plan.pk]), query)
    assert response.status_code == 400


def test_restore_saves_the_old_text_as_a_new_version_and_logs_it(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Det gode utkastet")
    save_part1(client, plan, goal_text="Et dårligere utkast")
    response = client.post(reverse("history:restore", args=["del1", plan.pk]),
                           {"number": 2, "version": plan.part1_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.goal_text == "Det gode utkastet"
    versions = selectors.versions(TEXTS["del1"], plan)
    assert len(versions) == 4 and versions[-1].saved_by == admin
    event = AccessEvent.objects.filter(object_type="iop", object_id=str(plan.pk), action="changed").latest("at")
    assert event.detail.startswith("restored version of ")


def test_restore_under_a_concurrent_edit_is_refused(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Gammel")
    opened_at = versions_page(client, "del1", plan.pk).context["version_now"]
    save_part1(logged_in(admin), plan, goal_text="Lagret i en annen fane")
    response = client.post(reverse("history:restore", args=["del1", plan.pk]), {"number": 1, "version": opened_at})
    assert response.status_code == 409
    assert response.context["stale"]
    plan.refresh_from_db()
    assert plan.goal_text == "Lagret i en annen fane"
    # The page now carries the saved version: restoring knowingly works.
    again = client.post(reverse("history:restore", args=["del1", plan.pk]),
                        {"number": 1, "version": response.context["version_now"]})
    assert again.status_code == 302


def test_a_double_post_of_a_restore_is_refused_the_second_time(admin, plan):
    client = logged_in(admin)
    save_part1(client, plan, goal_text="Ny")
    data = {"number": 1, "version": plan.part1_version}
    url = reverse("history:restore", args=["del1", plan.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 409


@pytest.mark.parametrize("data", [{}, {"number": "x", "version": 1}, {"number": 1}])
def test_a_restore_without_its_fields_is_400(admin, plan, data):
    assert logged_in(admin).post(reverse("history:restore", args=["del1", plan.pk]), data).status_code == 400


def test_the_current_version_is_not_restored(admin, plan):
    response = logged_in(admin).post(reverse("history:restore", args=["del1", plan.pk]),
                                     {"number": 1, "version": plan.part1_version})
    assert response.status_code == 400


def test_a_goal_restore_by_its_teacher(teacher, subject):
    goal = GoalFactory(plan_subject=subject, learning_goal="Først")
    client = logged_in(teacher)
    url = reverse("iop:goal_edit", args=[goal.pk])
    form = client.get(url).context["form"]
    client.post(url, {"competence_goal": goal.competence_goal, "learning_goal": "Så", "content": goal.content,
                      "version": form["version"].value()})
    goal.refresh_from_db()
    assert goal.learning_goal == "Så"
    response = client.post(reverse("history:restore", args=["mal", goal.pk]), {"number": 1, "version": goal.version})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.learning_goal == "Først" and goal.version == 2


def test_an_unknown_kind_is_404(admin, plan):
    assert versions_page(logged_in(admin), "ukjent", plan.pk).status_code == 404


def save_annex_row(client, row, **texts):
    data = {"extent": row.extent, "subject_topic": row.subject_topic, "year": row.year,
            "assessment": row.assessment, **texts}
    assert client.post(reverse("iop:annex_row_edit", args=[row.pk]), data).status_code == 302
    row.refresh_from_db()


def restore(client, kind, pk, number, version):
    return client.post(reverse("history:restore", args=[kind, pk]), {"number": number, "version": version})


def test_an_annex_row_saved_by_its_plain_form_is_restored_and_logged(admin, plan):
    """Annex rows have no version counter: the newest history row on the page is the version checked."""
    from ..iop.factories import AnnexRowFactory

    row = AnnexRowFactory(plan=plan, assessment="Først")
    client = logged_in(admin)
    save_annex_row(client, row, assessment="Så")
    page = versions_page(client, "vedlegg", row.pk)
    assert b'data-testid="restore-1"' in page.content
    assert restore(client, "vedlegg", row.pk, 1, page.context["version_now"]).status_code == 302
    row.refresh_from_db()
    assert row.assessment == "Først"
    versions = selectors.versions(TEXTS["vedlegg"], row)
    assert [v.values["assessment"] for v in versions] == ["Først", "Så", "Først"] and versions[-1].saved_by == admin
    event = AccessEvent.objects.filter(object_type="iop_annex", object_id=str(row.pk), action="changed").latest("at")
    assert event.detail.startswith("restored version of ")


def test_an_annex_row_restore_under_a_concurrent_save_is_refused(admin, plan):
    from ..iop.factories import AnnexRowFactory

    row = AnnexRowFactory(plan=plan, assessment="Først")
    client = logged_in(admin)
    save_annex_row(client, row, assessment="Så")
    opened_at = versions_page(client, "vedlegg", row.pk).context["version_now"]
    save_annex_row(logged_in(admin), row, assessment="Lagret i en annen fane")
    response = restore(client, "vedlegg", row.pk, 1, opened_at)
    assert response.status_code == 409 and response.context["stale"]
    row.refresh_from_db()
    assert row.assessment == "Lagret i en annen fane"
    assert restore(client, "vedlegg", row.pk, 1, opened_at).status_code == 409  # the double post too
    assert restore(client, "vedlegg", row.pk, 1, response.context["version_now"]).status_code == 302


def test_a_subject_row_of_part_1_is_restored(admin, subject):
    subject.content = "Brøk"
    subject._history_user = admin
    subject.save()
    client = logged_in(admin)
    version_now = versions_page(client, "fag", subject.pk).context["version_now"]
    assert restore(client, "fag", subject.pk, 1, version_now).status_code == 302
    subject.refresh_from_db()
    assert subject.content == PlanSubjectFactory.content


def edited_application(admin, minor):
    from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory

    application = ApplicationFactory(student=minor)
    row = ApplicationSubjectFactory(application=application, extent="2 timer i uka")
    for instance, field, value in [(application, "student_goal", "Nytt mål"), (row, "extent", "3 timer i uka")]:
        setattr(instance, field, value)
        instance._history_user = admin
        instance.save()
    return application, row


def test_an_application_and_a_subject_applied_for_are_restored_while_editable(admin, minor):
    from ..applications.factories import ApplicationFactory

    application, row = edited_application(admin, minor)
    client = logged_in(admin)
    for kind, instance in [("soknad", application), ("soknadsfag", row)]:
        version_now = versions_page(client, kind, instance.pk).context["version_now"]
        assert restore(client, kind, instance.pk, 1, version_now).status_code == 302, kind
    application.refresh_from_db()
    row.refresh_from_db()
    assert (application.student_goal, row.extent) == (ApplicationFactory.student_goal, "2 timer i uka")
    event = AccessEvent.objects.filter(object_type="application", action="changed").latest("at")
    assert event.detail.startswith("restored version of ")


def test_an_application_past_approval_is_not_restored(admin, minor):
    from applications.models import Application

    application, row = edited_application(admin, minor)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPROVED)
    client = logged_in(admin)
    for kind, instance in [("soknad", application), ("soknadsfag", row)]:
        page = versions_page(client, kind, instance.pk)
        assert page.status_code == 200 and b'data-testid="restore-1"' not in page.content, kind
        assert restore(client, kind, instance.pk, 1, page.context["version_now"]).status_code == 409, kind
    application.refresh_from_db()
    row.refresh_from_db()
    assert (application.student_goal, row.extent) == ("Nytt mål", "3 timer i uka")


def test_a_log_entry_restore_names_who_restored_it(admin, teacher, plan):
    from ..iop.factories import LogEntryFactory

    entry = LogEntryFactory(plan=plan, created_by=teacher, text="Først")
    client = logged_in(teacher)
    url = reverse("iop:log_edit", args=[entry.pk])
    version = client.get(url).context["form"]["version"].value()
    assert client.post(url, {"text": "Så", "version": version}).status_code == 302
    entry.refresh_from_db()
    admin_client = logged_in(admin)
    assert admin_client.post(reverse("history:restore", args=["logg", entry.pk]),
                             {"number": 1, "version": entry.version}).status_code == 302
    entry.refresh_from_db()
    assert (entry.text, entry.changed_by) == ("Først", admin)
    assert [v.saved_by for v in selectors.versions(TEXTS["logg"], entry)][1:] == [teacher, admin]


def test_a_plain_form_save_is_a_version_with_its_user(admin, plan):
    """Annex rows are saved by their form (no version counter): the history middleware names the user."""
    from ..iop.factories import AnnexRowFactory

    row = AnnexRowFactory(plan=plan)
    client = logged_in(admin)
    url = reverse("iop:annex_row_edit", args=[row.pk])
    response = client.post(url, {"extent": row.extent, "subject_topic": row.subject_topic, "year": row.year,
                                 "assessment": "Ny vurdering"})
    assert response.status_code == 302
    row.refresh_from_db()
    latest = selectors.versions(TEXTS["vedlegg"], row)[-1]
    assert latest.values["assessment"] == "Ny vurdering" and latest.saved_by == admin and latest.current


def test_application_edits_are_versions(admin, minor):
    from applications.models import Application

    from ..applications.factories import ApplicationFactory

    application = ApplicationFactory(student=minor)
    Application.objects.get(pk=application.pk).save()  # a save that changes no text
    application.student_goal = "Nytt mål"
    application._history_user = admin
    application.save()
    versions = selectors.versions(TEXTS["soknad"], application)
    assert [v.values["student_goal"] for v in versions] == [ApplicationFactory.student_goal, "Nytt mål"]
    assert versions[-1].saved_by == admin
    assert logged_in(admin).get(reverse("history:versions", args=["soknad", application.pk])).status_code == 200


def test_a_subject_applied_for_keeps_its_versions_and_leads_back_to_the_application(admin, minor):
    from applications.models import Application

    from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory

    application = ApplicationFactory(student=minor)
    row = ApplicationSubjectFactory(application=application, extent="2 timer i uka")
    row.extent = "3 timer i uka"
    row._history_user = admin
    row.save()
    assert [v.values["extent"] for v in selectors.versions(TEXTS["soknadsfag"], row)] == [
        "2 timer i uka", "3 timer i uka"]
    client = logged_in(admin)
    page = client.get(reverse("history:versions", args=["soknadsfag", row.pk])).content.decode()
    assert reverse("applications:application_detail", args=[application.pk]) in page
    difference = client.get(reverse("history:difference", args=["soknadsfag", row.pk]) + "?fra=1&til=2")
    extent, organisation = difference.context["rows"]
    assert extent.changed and not organisation.changed
    detail = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert reverse("history:versions", args=["soknadsfag", row.pk]) in detail
    assert Application.objects.get(pk=application.pk).subjects.count() == 1


def test_the_access_log_names_a_restore_in_words():
    from django.utils.translation import gettext

    from audit.labels import detail_label

    assert detail_label("iop", "restored version of 2026-11-30 10:15") == (
        gettext("restored the version of %(when)s") % {"when": "2026-11-30 10:15"})
