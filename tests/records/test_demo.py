"""records/demo.py, as `demo_data` runs it (`demo_records`): the officers, the three requests, who sees them,
re-runs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import School, StaffMembership, User
from applications.models import Authority
from demo.management.commands.demo_data import DEMO_LOGINS, SCHOOL_A, SCHOOL_B
from records.access import (
    is_records_officer,
    packages_for_requester,
    requests_registered_by,
    requests_visible_to,
)
from records.demo import STRUCK_PASSAGE, WITHHELD_DOCUMENT
from records.models import AccessRequest, RecordsOfficer, ReleasePackage, RequestItem

from ..factories import blank_pdf
from ..test_demo_data import demo, model_counts  # noqa: F401  (the demo data fixture, built once per test)

pytestmark = pytest.mark.django_db

OFFICERS = ("arkiv", "arkiv2", "arkiv3")


@pytest.fixture(autouse=True)
def blank_package(monkeypatch):
    """The released package's rendered part stood in by a blank page, like demo_data's other PDFs (before the
    demo fixture runs: autouse fixtures come first)."""
    monkeypatch.setattr("records.package.render_pdf", lambda *args, **kwargs: blank_pdf())


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=True"):
        call_command("demo_records")
    assert not AccessRequest.objects.exists() and not RecordsOfficer.objects.exists()


def test_needs_demo_data_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo_data"):
        call_command("demo_records")
    assert not AccessRequest.objects.exists() and not RecordsOfficer.objects.exists()


def test_a_records_officer_for_every_authority(demo):  # noqa: F811
    owners = set(School.objects.values_list("owner_name", flat=True))
    assert len(owners) >= 3
    assert set(Authority.objects.filter(name__in=owners).values_list("name", flat=True)) == owners
    for name in owners:
        assert RecordsOfficer.objects.filter(authority__name=name).exists(), name
    assert {grant.user.username for grant in RecordsOfficer.objects.select_related("user")} == set(OFFICERS)
    assert is_records_officer(user("arkiv"), Authority.objects.get(name=SCHOOL_A.owner_name))
    assert is_records_officer(user("arkiv2"), Authority.objects.get(name=SCHOOL_B.owner_name))
    # Demo logins (password and second factor from demo_data), on no school's staff.
    logins = {username for username, _description in DEMO_LOGINS}
    for username in OFFICERS:
        assert username in logins and username in demo
        assert not StaffMembership.objects.filter(user__username=username).exists()


def test_three_requests_in_workflow_order(demo):  # noqa: F811
    today = timezone.localdate()
    requests = AccessRequest.objects.select_related("student__school", "registered_by", "requester_user")
    status = AccessRequest.Status
    assert sorted(requests.values_list("status", flat=True)) == sorted(
        [status.RELEASED, status.IN_REVIEW, status.REGISTERED])

    # Answered: Emma's guardian asked; the contact teacher registered it; one document withheld, one passage
    # struck out in the IOP, the rest released; a package (PDF + JSON) kept.
    released = requests.get(status=status.RELEASED)
    assert (released.student.user.username, released.requester_user.username,
            released.registered_by.username) == ("emma", "forelder", "laerer")
    assert released.released_by.username == "arkiv"
    assert released.received_on < released.released_on <= released.deadline_on < today
    items = released.items.all()
    assert not items.filter(decision=RequestItem.Decision.PENDING).exists()
    withheld = items.get(decision=RequestItem.Decision.WITHHOLD)
    assert withheld.title == WITHHELD_DOCUMENT and withheld.whole_file
    assert withheld.legal_basis == RequestItem.LegalBasis.OTHERS
    struck = items.get(decision=RequestItem.Decision.STRIKE)
    assert struck.kind == "iop" and struck.legal_basis and struck.strikes[0]["passage"] == STRUCK_PASSAGE
    assert items.filter(decision=RequestItem.Decision.RELEASE).count() == items.count() - 2
    package = ReleasePackage.objects.get(request=released)
    assert package.pdf and package.data and len(package.sha256) == 64
    package.data.open("rb")
    try:
        data = package.data.read().decode()
    finally:
        package.data.close()
    assert STRUCK_PASSAGE not in data and "[unntatt]" in data

    # In review: the adult student asked for his own records; the IOP admin registered it; partly decided.
    in_review = requests.get(status=status.IN_REVIEW)
    assert (in_review.student.user.username, in_review.requester_user.username,
            in_review.registered_by.username) == ("elev", "elev", "iop")
    decisions = set(in_review.items.values_list("decision", flat=True))
    assert RequestItem.Decision.PENDING in decisions and len(decisions) > 1
    assert not ReleasePackage.objects.filter(request=in_review).exists()

    # Registered: someone else asked about a school-B student; the IOP admin there registered it; not collected.
    registered = requests.get(status=status.REGISTERED)
    assert registered.student.school.org_number == SCHOOL_B.org_number
    assert registered.requester_kind == AccessRequest.Requester.OTHER and registered.requester_user is None
    assert registered.registered_by.username == "iop2" and not registered.items.exists()

    for open_request in (in_review, registered):  # received in the past, still within the deadline
        assert open_request.received_on < today <= open_request.deadline_on


def test_who_sees_which_request(demo):  # noqa: F811
    released = AccessRequest.objects.get(status=AccessRequest.Status.RELEASED)
    in_review = AccessRequest.objects.get(status=AccessRequest.Status.IN_REVIEW)
    registered = AccessRequest.objects.get(status=AccessRequest.Status.REGISTERED)
    assert set(requests_visible_to(user("arkiv"))) == {released, in_review}
    assert set(requests_visible_to(user("arkiv2"))) == {registered}
    assert not requests_visible_to(user("arkiv3")).exists()
    for username in ("iop", "laerer", "rektor", "iop2", "forelder", "elev", "sysadmin"):
        assert not requests_visible_to(user(username)).exists(), username
    # The guardian downloads the answer in the app; the receipts stay with who registered them.
    assert list(packages_for_requester(user("forelder"))) == [released]
    assert not packages_for_requester(user("elev")).exists()  # his request is not answered yet
    assert list(requests_registered_by(user("laerer"))) == [released]
    assert list(requests_registered_by(user("iop"))) == [in_review]
    assert list(requests_registered_by(user("iop2"))) == [registered]


def test_running_again_changes_nothing(demo):  # noqa: F811
    before = model_counts()
    for _run in range(2):
        call_command("demo_records", stdout=StringIO())
    assert model_counts() == before


def test_the_demo_has_a_destruction_list_awaiting_approval_and_a_student_due_for_hand_over(demo):
    from followup.models import Signal
    from records.models import DestructionList
    from records.retention import handover_candidates

    authority = Authority.objects.get(name="Vestland fylkeskommune")
    awaiting = DestructionList.objects.get(authority=authority, status=DestructionList.Status.AWAITING)
    items = list(awaiting.items.select_related("student"))
    assert {item.kind for item in items} == {"iko_signal", "iko_talk", "iko_plan"}
    assert {item.student.full_name for item in items} == {"Sindre Aasen"}
    assert all(item.due_on <= timezone.localdate() and item.destroyed_at is None for item in items)
    assert Signal.objects.filter(student__last_name="Aasen").exists()  # proposed, not deleted
    assert [s.full_name for s in handover_candidates(authority)] == ["Ingrid Moe"]
