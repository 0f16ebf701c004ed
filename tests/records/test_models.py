"""records/models.py: the deadline, days left, and the refusals of RequestItem.review."""

from datetime import date, timedelta

import pytest

from accounts.exceptions import Refused
from records.models import AccessRequest, RecordsSettings, RequestItem

from .factories import add_item

pytestmark = pytest.mark.django_db

Decision, Basis = RequestItem.Decision, RequestItem.LegalBasis


def test_deadline_without_settings_is_30_days_for_anyone():
    received = date(2026, 1, 31)
    assert AccessRequest.deadline_for(received, subject=True, settings_row=None) == date(2026, 3, 2)
    assert AccessRequest.deadline_for(received, subject=False, settings_row=None) == received + timedelta(days=30)


def test_deadline_with_settings(authority_a):
    row = RecordsSettings(authority=authority_a, subject_deadline_days=20, other_deadline_days=45)
    received = date(2026, 6, 1)
    assert AccessRequest.deadline_for(received, subject=True, settings_row=row) == date(2026, 6, 21)
    assert AccessRequest.deadline_for(received, subject=False, settings_row=row) == date(2026, 7, 16)


def test_the_default_settings_are_30_days(authority_a):
    row = RecordsSettings.objects.create(authority=authority_a)
    assert (row.subject_deadline_days, row.other_deadline_days) == (30, 30)
    assert row.complaint_text


def test_days_left(a_request):
    a_request.deadline_on = date(2026, 3, 10)
    assert a_request.days_left(today=date(2026, 3, 1)) == 9
    assert a_request.days_left(today=date(2026, 3, 10)) == 0
    assert a_request.days_left(today=date(2026, 3, 12)) == -2


def test_days_left_today_is_the_deadline_from_received(a_request):
    assert a_request.days_left() == 30


@pytest.mark.parametrize("kind, subject", [("student", True), ("guardian", True), ("other", False)])
def test_who_is_the_data_subject(a_request, kind, subject):
    a_request.requester_kind = kind
    assert a_request.is_subject == subject


@pytest.fixture
def item(a_request):
    return add_item(a_request, key="iop:1", kind="iop", title="IOP")


@pytest.fixture
def file_item(a_request):
    return add_item(a_request, key="document:1", kind="document", title="Sakkyndig vurdering", whole_file=True)


def test_pending_is_not_a_decision(item, officer):
    with pytest.raises(Refused):
        item.review(by=officer, decision=Decision.PENDING, legal_basis="", reason="", strikes=[])


@pytest.mark.parametrize("decision", [Decision.WITHHOLD, Decision.STRIKE])
def test_withholding_and_striking_need_a_legal_basis(item, officer, decision):
    with pytest.raises(Refused):
        item.review(by=officer, decision=decision, legal_basis="", reason="Tredjeperson",
                    strikes=[{"section": 0, "passage": "x"}])
    assert item.decision == Decision.PENDING


def test_striking_needs_a_passage(item, officer):
    with pytest.raises(Refused):
        item.review(by=officer, decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="", strikes=[])


def test_a_whole_file_is_not_struck(file_item, officer):
    with pytest.raises(Refused):
        file_item.review(by=officer, decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="",
                         strikes=[{"section": 0, "passage": "x"}])


def test_a_whole_file_is_released_or_withheld(file_item, officer):
    file_item.review(by=officer, decision=Decision.WITHHOLD, legal_basis=Basis.HEALTH, reason=" Skadelig ",
                     strikes=[])
    assert (file_item.decision, file_item.legal_basis, file_item.reason) == ("withhold", "fvl19_2", "Skadelig")
    file_item.review(by=officer, decision=Decision.RELEASE, legal_basis="", reason="", strikes=[])
    assert file_item.decision == Decision.RELEASE and file_item.reviewed_by == officer
    assert file_item.reviewed_at is not None


def test_release_needs_no_basis_and_drops_strikes(item, officer):
    item.review(by=officer, decision=Decision.RELEASE, legal_basis="", reason="",
                strikes=[{"section": 0, "passage": "x"}])
    assert item.decision == Decision.RELEASE and item.strikes == []


def test_strikes_are_kept_with_a_strike(item, officer):
    strikes = [{"section": 0, "passage": "x"}]
    item.review(by=officer, decision=Decision.STRIKE, legal_basis=Basis.CONFIDENTIALITY, reason="", strikes=strikes)
    assert item.strikes == strikes and item.legal_basis == "fvl13"


def test_an_answered_request_is_not_reviewed_again(item, officer, a_request):
    a_request.status = AccessRequest.Status.RELEASED
    a_request.save()
    item.refresh_from_db()
    with pytest.raises(Refused):
        item.review(by=officer, decision=Decision.RELEASE, legal_basis="", reason="", strikes=[])
    with pytest.raises(Refused):
        a_request.require_open()


def test_the_stored_file_names_tell_nothing_of_the_student():
    from records.models import package_name

    name = package_name(None, "Emma Hansen.pdf")
    assert name.startswith("records/") and name.endswith(".pdf") and "Emma" not in name
    assert package_name(None, "x.json").endswith(".json")
