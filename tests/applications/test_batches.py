"""The school's batches: who may use them, filling them, sending them."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from applications.models import Application, SchoolBatch
from audit.models import AccessEvent

from ..access_table import CAST, school_page_status
from ..factories import StaffFactory, StudentFactory
from .factories import ApplicationFactory, AuthorityFactory, SchoolBatchFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def approved(student, **fields):
    return ApplicationFactory(student=student, status=Status.APPROVED, approved_at=timezone.now(), **fields)


@pytest.fixture
def batch(school_a):
    return SchoolBatchFactory(school=school_a, name="Vestland høsten")


@pytest.fixture
def candidate(minor):
    return approved(minor)


def outcome(response) -> str:
    """The level of the message the request added (earlier ones may still wait in the cookie)."""
    return list(get_messages(response.wsgi_request))[-1].level_tag


def detail_url(batch):
    return reverse("applications:batch_detail", args=[batch.pk])


def add(client, batch, application):
    return client.post(reverse("applications:batch_add", args=[batch.pk, application.pk]))


def remove(client, batch, application):
    return client.post(reverse("applications:batch_remove", args=[batch.pk, application.pk]))


def send(client, batch, on=None):
    return client.post(reverse("applications:batch_send", args=[batch.pk]), {"sent_on": (on or timezone.localdate()).isoformat()})


# --- Access ------------------------------------------------------------------


def batch_urls(batch, application):
    return {
        "get": [reverse("applications:batch_list", args=[batch.school_id]), detail_url(batch),
                reverse("applications:batch_download", args=[batch.pk])],
        "post": [reverse("applications:batch_add", args=[batch.pk, application.pk]),
                 reverse("applications:batch_remove", args=[batch.pk, application.pk]),
                 reverse("applications:batch_send", args=[batch.pk])],
    }


def test_admin_may_open_the_list_and_the_batch(client, admin, batch):
    client.force_login(admin)
    list_url = reverse("applications:batch_list", args=[batch.school_id])
    assert client.get(list_url).status_code == school_page_status("admin")
    assert client.get(detail_url(batch)).status_code == school_page_status("admin")


@pytest.mark.parametrize("name", [name for name in CAST if name != "admin"])
def test_everyone_else_is_refused_every_batch_view(client, cast, batch, candidate, name):
    status = school_page_status(name)  # staff of the school 403, everyone else 404
    client.force_login(cast[name])
    urls = batch_urls(batch, candidate)
    assert [client.get(url).status_code for url in urls["get"]] == [status] * 3
    assert [client.post(url).status_code for url in urls["post"]] == [status] * 3
    assert candidate.batch_id is None and SchoolBatch.objects.get(pk=batch.pk).sent_on is None
    assert AccessEvent.objects.filter(action="denied", user=cast[name]).count() == 6


def test_anonymous_is_sent_to_login(client, batch):
    response = client.get(detail_url(batch))
    assert response.status_code == 302 and reverse("login") in response.url


def test_get_on_the_post_views_is_405(client, admin, batch, candidate):
    client.force_login(admin)
    assert [client.get(url).status_code for url in batch_urls(batch, candidate)["post"]] == [405] * 3


def test_unknown_ids_are_404(client, admin, batch, candidate):
    client.force_login(admin)
    assert client.get(reverse("applications:batch_list", args=[999999])).status_code == 404
    assert client.get(reverse("applications:batch_detail", args=[999999])).status_code == 404
    assert client.post(reverse("applications:batch_add", args=[batch.pk, 999999])).status_code == 404
    assert client.post(reverse("applications:batch_remove", args=[batch.pk, 999999])).status_code == 404
    assert client.post(reverse("applications:batch_add", args=[999999, candidate.pk])).status_code == 404


# --- The list and creating a batch -------------------------------------------


def test_list_shows_the_schools_batches_with_counts(client, admin, batch, candidate, school_b):
    candidate.batch = batch
    candidate.save()
    SchoolBatchFactory(school=school_b, name="Bergen")
    client.force_login(admin)
    response = client.get(reverse("applications:batch_list", args=[batch.school_id]))
    assert [(b.name, b.application_count) for b in response.context["batches"]] == [("Vestland høsten", 1)]


def test_admin_creates_a_batch(client, admin, school_a):
    authority = AuthorityFactory(name="Vestland fylkeskommune")
    client.force_login(admin)
    response = client.post(reverse("applications:batch_list", args=[school_a.pk]),
                           {"name": "Vestland 2026", "authority": authority.pk})
    batch = SchoolBatch.objects.get()
    assert response.status_code == 302 and response.url == detail_url(batch)
    assert (batch.school, batch.authority, batch.name, batch.sent_on) == (school_a, authority, "Vestland 2026", None)
    assert AccessEvent.objects.filter(action="created", object_type="school_batch", object_id=batch.pk).exists()


def test_a_batch_without_name_or_authority_is_not_created(client, admin, school_a):
    AuthorityFactory()
    client.force_login(admin)
    response = client.post(reverse("applications:batch_list", args=[school_a.pk]), {"name": "Vestland 2026", "authority": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"authority"}
    assert response.context["form"]["name"].value() == "Vestland 2026"
    assert not SchoolBatch.objects.exists()


def test_without_authorities_the_list_explains_instead_of_offering_a_form(client, admin, school_a):
    client.force_login(admin)
    assert client.get(reverse("applications:batch_list", args=[school_a.pk])).context["has_authorities"] is False
    AuthorityFactory()
    assert client.get(reverse("applications:batch_list", args=[school_a.pk])).context["has_authorities"] is True


# --- Adding and removing -----------------------------------------------------


def test_admin_adds_an_approved_application(client, admin, batch, candidate):
    client.force_login(admin)
    response = add(client, batch, candidate)
    assert response.status_code == 302 and response.url == detail_url(batch)
    assert outcome(response) == "success"
    candidate.refresh_from_db()
    assert candidate.batch == batch and candidate.status == Status.APPROVED
    assert list(client.get(detail_url(batch)).context["applications"]) == [candidate]


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.AWAITING_APPROVAL, Status.UNDER_PROCESSING])
def test_an_application_that_is_not_approved_is_refused(client, admin, batch, minor, status):
    application = ApplicationFactory(student=minor, status=status)
    client.force_login(admin)
    response = add(client, batch, application)
    assert response.status_code == 302 and outcome(response) == "error"
    application.refresh_from_db()
    assert application.batch is None


def test_an_application_in_another_batch_is_refused(client, admin, batch, candidate, school_a):
    other = SchoolBatchFactory(school=school_a, name="Annen")
    client.force_login(admin)
    add(client, other, candidate)
    response = add(client, batch, candidate)
    assert outcome(response) == "error"
    candidate.refresh_from_db()
    assert candidate.batch == other


def test_an_application_sent_on_its_own_is_refused(client, admin, batch, minor):
    application = approved(minor)
    application.mark_sent(on=timezone.localdate())
    client.force_login(admin)
    assert outcome(add(client, batch, application)) == "error"


def test_an_application_of_another_school_is_404(client, admin, batch, school_b):
    foreign = approved(StudentFactory(school=school_b))
    client.force_login(admin)
    assert add(client, batch, foreign).status_code == 404
    assert remove(client, batch, foreign).status_code == 404
    foreign.refresh_from_db()
    assert foreign.batch is None


def test_an_admin_of_both_schools_cannot_mix_them(client, admin, batch, school_b):
    StaffFactory(user=admin, school=school_b)
    assign_perm("administer_iop", admin, school_b)
    foreign = approved(StudentFactory(school=school_b))
    client.force_login(admin)
    assert outcome(add(client, batch, foreign)) == "error"
    foreign.refresh_from_db()
    assert foreign.batch is None


def test_admin_removes_an_application(client, admin, batch, candidate):
    client.force_login(admin)
    add(client, batch, candidate)
    response = remove(client, batch, candidate)
    assert response.status_code == 302 and outcome(response) == "success"
    candidate.refresh_from_db()
    assert candidate.batch is None and candidate.status == Status.APPROVED


def test_removing_an_application_that_is_not_in_the_batch_is_refused(client, admin, batch, candidate):
    client.force_login(admin)
    assert outcome(remove(client, batch, candidate)) == "error"


def test_candidates_are_filtered_by_name_and_class(client, admin, batch, minor, adult, other_child):
    minor.group, adult.group, other_child.group = "1STA", "2STB", "2STB"
    for student in (minor, adult, other_child):
        student.save()
        approved(student)
    client.force_login(admin)

    def names(**query):
        response = client.get(detail_url(batch), query)
        return [a.student.first_name for a in response.context["candidates"]]

    assert names() == ["Erik", "Emma", "Ola"]
    assert names(q="hans") == ["Emma"]
    assert names(group="2STB") == ["Erik", "Ola"]
    assert names(q="ola", group="2STB") == ["Ola"]


def test_the_filter_is_kept_after_adding(client, admin, batch, candidate):
    client.force_login(admin)
    url = reverse("applications:batch_add", args=[batch.pk, candidate.pk]) + "?q=emma&group="
    response = client.post(url)
    assert response.url == f"{detail_url(batch)}?q=emma&group="


# --- Sending -----------------------------------------------------------------


def test_sending_locks_the_batch_and_puts_its_applications_under_processing(
    client, admin, batch, candidate, adult
):
    second = approved(adult)
    client.force_login(admin)
    add(client, batch, candidate)
    add(client, batch, second)
    sent_on = timezone.localdate() - timedelta(days=1)
    response = send(client, batch, sent_on)
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    # The fixture's applications have no approved PDF files, so keeping the sent PDF is refused with a warning.
    assert response.status_code == 302 and levels[-2:] == ["success", "warning"]
    batch.refresh_from_db()
    assert batch.sent_on == sent_on
    assert set(batch.applications.values_list("status", flat=True)) == {Status.UNDER_PROCESSING}

    detail = client.get(detail_url(batch))
    assert "candidates" not in detail.context


def test_a_sent_batch_refuses_every_change(client, admin, batch, candidate, adult):
    later = approved(adult)
    client.force_login(admin)
    add(client, batch, candidate)
    send(client, batch)
    assert outcome(add(client, batch, later)) == "error"
    assert outcome(remove(client, batch, candidate)) == "error"
    assert outcome(send(client, batch, timezone.localdate() - timedelta(days=3))) == "error"
    batch.refresh_from_db()
    candidate.refresh_from_db()
    later.refresh_from_db()
    assert batch.sent_on == timezone.localdate()
    assert candidate.batch == batch and later.batch is None


def test_an_empty_batch_cannot_be_sent(client, admin, batch):
    client.force_login(admin)
    assert outcome(send(client, batch)) == "error"
    batch.refresh_from_db()
    assert batch.sent_on is None


@pytest.mark.parametrize("value", ["", "not a date", (timezone.localdate() + timedelta(days=1)).isoformat()])
def test_a_bad_sent_date_shows_the_form_again(client, admin, batch, candidate, value):
    client.force_login(admin)
    add(client, batch, candidate)
    response = client.post(reverse("applications:batch_send", args=[batch.pk]), {"sent_on": value})
    assert response.status_code == 200 and set(response.context["send_form"].errors) == {"sent_on"}
    batch.refresh_from_db()
    assert batch.sent_on is None


def test_the_send_form_offers_today(client, admin, batch):
    client.force_login(admin)
    form = client.get(detail_url(batch)).context["send_form"]
    assert form["sent_on"].value() == timezone.localdate()
