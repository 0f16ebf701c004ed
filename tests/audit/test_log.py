"""audit.log.record: what one call writes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from audit.log import record, record_students
from audit.models import AccessEvent
from ..factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_by(rf):
    def make(user, address="10.1.2.3", **meta):
        request = rf.get("/elever/1/", REMOTE_ADDR=address, **meta)
        request.user = user
        return request

    return make


def test_record_writes_every_field(request_by, teacher, minor, school_a):
    event = record(
        request_by(teacher), action="downloaded", object_type="document", object_id=42,
        student=minor, detail="Sakkyndig vurdering",
    )
    event = AccessEvent.objects.get(pk=event.pk)
    assert event.at is not None
    assert (event.user, event.username) == (teacher, "bob")
    assert (event.action, event.object_type, event.object_id) == ("downloaded", "document", "42")
    assert (event.student, event.school) == (minor, school_a)  # the school follows from the student
    assert event.client_address == "10.1.2.3"
    assert event.detail == "Sakkyndig vurdering"


def test_an_explicit_school_wins(request_by, other_admin, minor, school_b):
    event = record(request_by(other_admin), action="viewed", object_type="student", student=minor, school=school_b)
    assert event.school_id == school_b.pk


def test_school_only(request_by, principal, school_a):
    event = record(request_by(principal), action="granted", object_type="school_role", school=school_a)
    assert (event.student_id, event.school_id) == (None, school_a.pk)


def test_the_user_keyword_serves_when_nobody_is_logged_in(request_by, teacher):
    assert record(request_by(AnonymousUser()), action="login", object_type="user", user=teacher).user == teacher
    assert record(None, action="login", object_type="user", user=teacher).user == teacher


def test_the_logged_in_user_is_the_actor(request_by, teacher, stranger):
    assert record(request_by(teacher), action="viewed", object_type="x", user=stranger).user == teacher


def test_nobody(request_by):
    event = record(request_by(AnonymousUser()), action="denied", object_type="document")
    assert (event.user_id, event.username) == (None, "")


def test_forwarded_for_is_not_trusted(request_by, teacher):
    event = record(request_by(teacher, HTTP_X_FORWARDED_FOR="203.0.113.9"), action="viewed", object_type="x")
    assert event.client_address == "10.1.2.3"


# --- Behind a reverse proxy (settings.TRUSTED_PROXIES) -------------------------------------------

PROXY = "10.0.0.5"


def address_of(rf, settings, proxies, peer, forwarded=None):
    from audit.log import client_address

    settings.TRUSTED_PROXIES = proxies
    meta = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(rf.get("/", REMOTE_ADDR=peer, **meta))


def test_without_trusted_proxies_the_header_is_ignored(rf, settings):
    assert address_of(rf, settings, [], PROXY, "198.51.100.7") == PROXY


def test_from_the_trusted_proxy_the_address_it_saw_is_used(rf, settings):
    assert address_of(rf, settings, [PROXY], PROXY, "198.51.100.7") == "198.51.100.7"
    assert address_of(rf, settings, ["10.0.0.0/24"], "10.0.0.77", "192.168.4.20") == "192.168.4.20"
    assert address_of(rf, settings, [PROXY], PROXY, "[2001:db8::7]:51234") == "2001:db8::7"


def test_a_forged_header_from_anyone_else_is_ignored(rf, settings):
    """Even one that ends in the proxy's own address, as the proxy would write it."""
    for forged in ("6.6.6.6", f"6.6.6.6, {PROXY}", f"6.6.6.6, {PROXY}, {PROXY}"):
        assert address_of(rf, settings, [PROXY], "203.0.113.9", forged) == "203.0.113.9"


def test_what_the_client_wrote_in_front_of_the_proxy_is_ignored(rf, settings):
    """The proxy appends the address it saw; the hops before it are the client's own words."""
    assert address_of(rf, settings, [PROXY], PROXY, "6.6.6.6, 198.51.100.7") == "198.51.100.7"


def test_through_two_proxies_outermost_first(rf, settings):
    proxies = ["203.0.113.0/24", PROXY]  # e.g. a load balancer, then nginx
    assert address_of(rf, settings, proxies, PROXY, "6.6.6.6, 198.51.100.7, 203.0.113.20") == "198.51.100.7"
    # Straight to the inner proxy, past the outer one: only the inner proxy's word counts, and it names
    # no trusted outer hop, so no forwarded address is trusted.
    assert address_of(rf, settings, proxies, PROXY, "203.0.113.20, 198.51.100.7") == PROXY


@pytest.mark.parametrize("forwarded", ["", "garbage", "unknown, ,", "999.1.1.1"])
def test_a_useless_header_from_the_proxy_leaves_the_proxy(rf, settings, forwarded):
    assert address_of(rf, settings, [PROXY], PROXY, forwarded) == PROXY


def test_the_log_records_the_forwarded_client(request_by, teacher, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    event = record(request_by(teacher, PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"), action="viewed", object_type="x")
    assert event.client_address == "198.51.100.7"


def test_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    assert settings.AXES_CLIENT_IP_CALLABLE == "audit.log.client_address"
    settings.TRUSTED_PROXIES = [PROXY]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert get_client_ip_address(request) == "198.51.100.7"


@pytest.mark.parametrize("address, stored", [("", None), ("not an address", None), ("::1", "::1")])
def test_odd_addresses(request_by, teacher, address, stored):
    assert record(request_by(teacher, address), action="viewed", object_type="x").client_address == stored


def test_no_request_no_address(teacher):
    assert record(None, action="viewed", object_type="x", user=teacher).client_address is None


def test_long_values_are_clipped(request_by, teacher):
    event = record(
        request_by(teacher), action="viewed", object_type="t" * 100, object_id="9" * 100, detail="d" * 1000
    )
    event = AccessEvent.objects.get(pk=event.pk)
    assert (len(event.object_type), len(event.object_id), len(event.detail)) == (40, 64, 255)


def test_an_unknown_action_is_refused(request_by, teacher):
    with pytest.raises(ValueError):
        record(request_by(teacher), action="peeked", object_type="x")
    assert not AccessEvent.objects.exists()


def test_record_students_writes_one_event_per_student(request_by, teacher, minor, adult, school_a, school_b):
    elsewhere = StudentFactory(school=school_b)
    record_students(request_by(teacher, "2001:db8::5"), action="viewed", object_type="iop_overview",
                    students=[minor, adult, elsewhere], object_id=7, detail="side 1")
    events = list(AccessEvent.objects.order_by("pk"))
    assert [(e.student_id, e.school_id) for e in events] == [
        (minor.pk, school_a.pk), (adult.pk, school_a.pk), (elsewhere.pk, school_b.pk)]
    assert {(e.user_id, e.username, e.action, e.object_type, e.object_id, e.client_address, e.detail)
            for e in events} == {(teacher.pk, "bob", "viewed", "iop_overview", "7", "2001:db8::5", "side 1")}
    assert len({e.at for e in events}) == 1 and events[0].at is not None


def test_record_students_of_none_writes_nothing(request_by, teacher):
    record_students(request_by(teacher), action="viewed", object_type="x", students=[])
    record_students(request_by(teacher), action="viewed", object_type="x", students=iter(()))
    assert not AccessEvent.objects.exists()


def test_record_students_clips_and_refuses_like_record(request_by, teacher, minor):
    with pytest.raises(ValueError):
        record_students(request_by(teacher), action="peeked", object_type="x", students=[minor])
    assert not AccessEvent.objects.exists()
    record_students(request_by(AnonymousUser(), "not an address"), action="viewed", object_type="t" * 100,
                    students=[minor], detail="d" * 1000)
    event = AccessEvent.objects.get()
    assert (len(event.object_type), len(event.detail), event.user_id, event.client_address) == (40, 255, None, None)
