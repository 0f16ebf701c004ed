"""Login with Feide and ID-porten (OpenID Connect): the mock provider for the round trips, locally
signed tokens for what the mock does not check. Every refusal leaves no session and no new account."""

from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.urls import reverse

from accounts.models import Guardianship, User
from accounts.oidc import providers
from accounts.oidc.pid import pid_hash
from audit.models import AccessEvent

from ..factories import GuardianshipFactory, StudentFactory, UserFactory, years_ago
from .oidc_helpers import (
    CLIENT_ID,
    FAKE_ISSUER,
    FEIDE_ID_CLAIM,
    FEIDE_STRONG,
    FEIDE_WEAK,
    FakeProvider,
    authorize_at_mock,
    follow_callback,
    oidc_login,
    provider_settings,
    set_claims,
)

pytestmark = pytest.mark.django_db

GUARDIAN_PID = "01017012345"
ADULT_PID = "02020212345"


def logged_in_user(client):
    return client.session.get("_auth_user_id")


def last_login_event(action):
    return AccessEvent.objects.filter(action=action).exclude(detail="").order_by("-pk").first()


# --- Feide -------------------------------------------------------------------------------------


def test_a_feide_teacher_lands_on_the_start_page_with_the_teachers_section(client, mock_providers, teacher, minor):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    response = oidc_login(client, mock_providers, "feide", "feide-bob",
                          {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG})
    assert response.status_code == 302 and response.url == reverse("start")
    assert logged_in_user(client) == str(teacher.pk)
    assert client.session["login_method"] == "feide"
    start = client.get(reverse("start"))
    assert start.status_code == 200
    assert minor in start.context["taught"]["page"].object_list
    event = last_login_event(AccessEvent.Action.LOGIN)
    assert event.user_id == teacher.pk and event.detail == f"method=feide acr={FEIDE_STRONG}"


def test_feide_falls_back_to_the_feide_entry_of_userid_sec(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    response = oidc_login(client, mock_providers, "feide", "feide-bob-sec",
                          {"userid_sec": ["nin:123", "feide:bob@fjordbyen.vgs.no"], "acr": FEIDE_STRONG})
    assert response.status_code == 302 and logged_in_user(client) == str(teacher.pk)


def test_an_unknown_feide_user_is_refused_and_gets_no_account(client, mock_providers, teacher):
    users = User.objects.count()
    response = oidc_login(client, mock_providers, "feide", "feide-nobody",
                          {FEIDE_ID_CLAIM: "nobody@fjordbyen.vgs.no", "acr": FEIDE_STRONG,
                           "email": teacher.email, "name": teacher.get_full_name()})
    assert response.status_code == 403
    assert response.templates[0].name == "registration/oidc_refused.html"
    assert logged_in_user(client) is None and User.objects.count() == users
    event = last_login_event(AccessEvent.Action.LOGIN_FAILED)
    assert event.detail.startswith("method=feide") and "refused: no account" in event.detail
    assert "nobody@" not in event.detail


def test_a_feide_login_with_a_weak_acr_is_refused_for_staff(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    response = oidc_login(client, mock_providers, "feide", "feide-bob-weak",
                          {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_WEAK})
    assert response.status_code == 403 and logged_in_user(client) is None
    event = last_login_event(AccessEvent.Action.LOGIN_FAILED)
    assert event.user_id == teacher.pk and event.detail == f"method=feide acr={FEIDE_WEAK} refused: acr too weak for staff"


def test_a_feide_login_without_acr_is_refused_for_staff(client, mock_providers, admin):
    admin.feide_id = "alice@fjordbyen.vgs.no"
    admin.save()
    response = oidc_login(client, mock_providers, "feide", "feide-alice", {FEIDE_ID_CLAIM: "alice@fjordbyen.vgs.no"})
    assert response.status_code == 403 and logged_in_user(client) is None


def test_a_student_may_log_in_with_feide_at_a_lower_level(client, mock_providers, minor, minor_student):
    minor_student.feide_id = "emma@elev.fjordbyen.vgs.no"
    minor_student.save()
    response = oidc_login(client, mock_providers, "feide", "feide-emma",
                          {FEIDE_ID_CLAIM: "emma@elev.fjordbyen.vgs.no", "acr": FEIDE_WEAK})
    assert response.status_code == 302 and logged_in_user(client) == str(minor_student.pk)


def test_the_authorization_request_uses_pkce_state_nonce_and_acr(client, mock_providers):
    query = parse_qs(urlsplit(client.get("/logg-inn/feide/")["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == [FEIDE_STRONG]
    assert query["redirect_uri"] == ["http://testserver/logg-inn/feide/retur/"]
    idporten = parse_qs(urlsplit(client.get("/logg-inn/idporten/")["Location"]).query)
    assert idporten["acr_values"] == ["idporten-loa-substantial"] and idporten["code_challenge_method"] == ["S256"]


def test_a_changed_state_is_refused(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    set_claims(mock_providers, "feide-bob", {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG})
    callback = authorize_at_mock(client.get("/logg-inn/feide/")["Location"], "feide-bob")
    tampered = callback.replace("state=", "state=x")
    response = follow_callback(client, tampered)
    assert response.status_code == 400 and logged_in_user(client) is None
    assert "state not issued" in last_login_event(AccessEvent.Action.LOGIN_FAILED).detail


def test_a_replayed_code_is_refused(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    set_claims(mock_providers, "feide-bob", {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG})
    first = authorize_at_mock(client.get("/logg-inn/feide/")["Location"], "feide-bob")
    assert follow_callback(client, first).status_code == 302
    client.logout()
    # A new login attempt (a fresh state in the session), answered with the code already used.
    second_state = parse_qs(urlsplit(client.get("/logg-inn/feide/")["Location"]).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    response = client.get("/logg-inn/feide/retur/", {"code": code, "state": second_state})
    assert response.status_code == 400 and logged_in_user(client) is None
    assert "provider error: invalid_grant" in last_login_event(AccessEvent.Action.LOGIN_FAILED).detail


def test_a_provider_error_is_refused(client, mock_providers):
    state = parse_qs(urlsplit(client.get("/logg-inn/feide/")["Location"]).query)["state"][0]
    response = client.get("/logg-inn/feide/retur/", {"error": "access_denied", "state": state})
    assert response.status_code == 400 and logged_in_user(client) is None


# --- ID-porten ---------------------------------------------------------------------------------


def test_a_guardian_logs_in_with_idporten_for_the_first_time_and_sees_their_own_minor_children(
        client, mock_providers, guardian, minor, other_child, other_guardian):
    Guardianship.objects.filter(guardian=guardian, student=minor).update(guardian_pid_hash=pid_hash(GUARDIAN_PID))
    response = oidc_login(client, mock_providers, "idporten", "idp-frida",
                          {"pid": GUARDIAN_PID, "acr": "idporten-loa-substantial"})
    assert response.status_code == 302 and logged_in_user(client) == str(guardian.pk)
    assert client.session["login_method"] == "idporten"
    guardian.refresh_from_db()
    assert guardian.pid_hash == pid_hash(GUARDIAN_PID)
    assert list(client.get(reverse("start")).context["children"]) == [minor]
    events = AccessEvent.objects.filter(detail__contains="idporten")
    assert events.exists() and not AccessEvent.objects.filter(detail__contains=GUARDIAN_PID).exists()


def test_a_parent_without_an_account_gets_one_linked_to_their_children(client, mock_providers, minor, other_child):
    hashed = pid_hash(GUARDIAN_PID)
    GuardianshipFactory(guardian=None, student=minor, guardian_pid_hash=hashed)
    GuardianshipFactory(guardian=None, student=other_child, guardian_pid_hash=hashed)
    response = oidc_login(client, mock_providers, "idporten", "idp-new-parent",
                          {"pid": GUARDIAN_PID, "acr": "idporten-loa-high"})
    assert response.status_code == 302
    user = User.objects.get(pid_hash=hashed)
    assert logged_in_user(client) == str(user.pk)
    assert not user.has_usable_password() and user.first_name == "" and user.last_name == ""
    assert set(Guardianship.objects.filter(guardian=user).values_list("student", flat=True)) == {minor.pk, other_child.pk}
    assert set(client.get(reverse("start")).context["children"]) == {minor, other_child}
    assert GUARDIAN_PID not in user.username


def test_a_guardian_whose_child_turned_18_sees_nothing_of_that_child(client, mock_providers, school_a):
    grown = StudentFactory(school=school_a, birth_date=years_ago(18, days=1))
    GuardianshipFactory(guardian=None, student=grown, guardian_pid_hash=pid_hash(GUARDIAN_PID))
    response = oidc_login(client, mock_providers, "idporten", "idp-grown",
                          {"pid": GUARDIAN_PID, "acr": "idporten-loa-substantial"})
    assert response.status_code == 302
    start = client.get(reverse("start"))
    assert list(start.context["children"]) == []
    assert grown.full_name not in start.content.decode()


def test_an_adult_student_is_linked_to_their_student_record(client, mock_providers, school_a):
    student = StudentFactory(school=school_a, birth_date=years_ago(19), pid_hash=pid_hash(ADULT_PID))
    response = oidc_login(client, mock_providers, "idporten", "idp-adult",
                          {"pid": ADULT_PID, "acr": "idporten-loa-substantial", "name": "Kari Nordmann"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.user is not None and logged_in_user(client) == str(student.user.pk)
    assert (student.user.first_name, student.user.last_name) == ("Kari", "Nordmann")


def test_a_stranger_with_idporten_is_refused_and_gets_no_account(client, mock_providers, guardian):
    users = User.objects.count()
    response = oidc_login(client, mock_providers, "idporten", "idp-stranger",
                          {"pid": "03030312345", "acr": "idporten-loa-substantial"})
    assert response.status_code == 403 and logged_in_user(client) is None
    assert User.objects.count() == users
    assert "03030312345" not in last_login_event(AccessEvent.Action.LOGIN_FAILED).detail


def test_an_idporten_login_below_substantial_is_refused(client, mock_providers, guardian, minor):
    Guardianship.objects.filter(guardian=guardian).update(guardian_pid_hash=pid_hash(GUARDIAN_PID))
    response = oidc_login(client, mock_providers, "idporten", "idp-low",
                          {"pid": GUARDIAN_PID, "acr": "idporten-loa-low"})
    assert response.status_code == 403 and logged_in_user(client) is None
    assert last_login_event(AccessEvent.Action.LOGIN_FAILED).detail == (
        "method=idporten acr=idporten-loa-low refused: acr too weak")


# --- Logout and the login page -------------------------------------------------------------------


def test_logout_goes_to_the_providers_end_session_with_the_id_token(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    oidc_login(client, mock_providers, "feide", "feide-bob", {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG})
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    # A form posted to the provider: the ID token (ID-porten's has the identity number) is in no URL.
    assert response.status_code == 200 and response["Clear-Site-Data"] == '"storage"'
    assert response.context["endpoint"] == f"{mock_providers}/oauth2/end_session"
    html = response.content.decode()
    assert f'action="{mock_providers}/oauth2/end_session"' in html and 'method="post"' in html
    assert f'name="id_token_hint" value="{id_token}"' in html
    assert 'name="post_logout_redirect_uri" value="http://testserver/logg-inn/"' in html
    assert logged_in_user(client) is None


def test_a_local_logout_stays_local(client, mock_providers, teacher):
    client.force_login(teacher)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")


def test_the_login_page_shows_only_configured_providers(client, settings, mock_provider_url):
    settings.OIDC_PROVIDERS = {}
    html = client.get(reverse("login")).content.decode()
    assert "/logg-inn/feide/" not in html and "/logg-inn/idporten/" not in html
    assert client.get("/logg-inn/feide/").status_code == 404
    settings.OIDC_PROVIDERS = {"feide": provider_settings(mock_provider_url)["feide"]}
    html = client.get(reverse("login")).content.decode()
    assert 'href="/logg-inn/feide/"' in html and "/logg-inn/idporten/" not in html
    assert 'name="password"' in html  # the local form, for administrators
    assert client.get("/logg-inn/idporten/").status_code == 404
    settings.OIDC_PROVIDERS = provider_settings(mock_provider_url)
    html = client.get(reverse("login")).content.decode()
    assert 'href="/logg-inn/feide/"' in html and 'href="/logg-inn/idporten/"' in html


# --- What the mock does not check: tokens signed here ----------------------------------------------


@pytest.fixture
def fake(settings):
    settings.OIDC_PROVIDERS = provider_settings(FAKE_ISSUER)
    providers.reset_clients()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeProvider(rsps)
    providers.reset_clients()


@pytest.fixture
def feide_teacher(teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    return teacher


def fake_login(client, fake, method="feide"):
    code, state = fake.authorize(client.get(f"/logg-inn/{method}/")["Location"])
    return client.get(f"/logg-inn/{method}/retur/", {"code": code, "state": state})


GOOD_FEIDE = {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG}


def test_a_locally_signed_good_token_logs_in(client, fake, feide_teacher):
    fake.claims = GOOD_FEIDE
    assert fake_login(client, fake).status_code == 302
    assert logged_in_user(client) == str(feide_teacher.pk)
    assert fake.token_requests[-1]["code_verifier"]


def test_a_wrong_pkce_verifier_is_refused(client, fake, feide_teacher):
    fake.claims = GOOD_FEIDE
    code, state = fake.authorize(client.get("/logg-inn/feide/")["Location"])
    session = client.session
    session[f"_state_feide_{state}"]["data"]["code_verifier"] = "x" * 64
    session.save()
    response = client.get("/logg-inn/feide/retur/", {"code": code, "state": state})
    assert response.status_code == 400 and logged_in_user(client) is None
    assert fake.token_requests[-1]["code_verifier"] == "x" * 64


@pytest.mark.parametrize("overrides, why", [
    ({"iss": "https://evil.example.no"}, "iss"),
    ({"aud": "another-client"}, "aud"),
    ({"aud": ["another-client"], "azp": CLIENT_ID}, "aud"),
    ({"exp": 1_000_000_000, "iat": 999_999_000}, "expired"),
    ({"nonce": "a-nonce-from-another-login"}, "nonce"),
    ({"nonce": None}, "nonce"),
    ({"sub": None}, "sub"),
])
def test_a_bad_id_token_is_refused(client, fake, feide_teacher, overrides, why):
    fake.claims = GOOD_FEIDE
    fake.overrides = overrides
    response = fake_login(client, fake)
    assert response.status_code == 400 and logged_in_user(client) is None
    assert "refused: id token refused" in last_login_event(AccessEvent.Action.LOGIN_FAILED).detail


def test_a_token_signed_with_another_key_is_refused(client, fake, feide_teacher):
    from joserfc.jwk import RSAKey

    fake.claims = GOOD_FEIDE
    fake.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})  # the JWKS still has the old one
    assert fake_login(client, fake).status_code == 400 and logged_in_user(client) is None


def test_a_replayed_nonce_is_refused(client, fake, feide_teacher):
    """A token from an earlier login (its nonce) presented to a new one."""
    fake.claims = GOOD_FEIDE
    assert fake_login(client, fake).status_code == 302
    old_nonce = fake.nonce
    client.logout()
    fake.overrides = {"nonce": old_nonce}
    assert fake_login(client, fake).status_code == 400 and logged_in_user(client) is None


@pytest.mark.parametrize("acr", ["urn:mace:feide.no:auth:level:fad08:2", "something-else", None])
def test_a_weak_feide_acr_is_refused_for_staff(client, fake, feide_teacher, acr):
    fake.claims = {**GOOD_FEIDE, "acr": acr}
    assert fake_login(client, fake).status_code == 403 and logged_in_user(client) is None


@pytest.mark.parametrize("acr, allowed", [
    ("idporten-loa-substantial", True), ("idporten-loa-high", True),
    ("idporten-loa-low", False), ("Level3", False), (None, False),
])
def test_idporten_acr(client, fake, guardian, minor, acr, allowed):
    Guardianship.objects.filter(guardian=guardian).update(guardian_pid_hash=pid_hash(GUARDIAN_PID))
    fake.claims = {"pid": GUARDIAN_PID, "acr": acr}
    response = fake_login(client, fake, "idporten")
    assert (response.status_code == 302) is allowed
    assert (logged_in_user(client) == str(guardian.pk)) is allowed


def test_a_discovery_document_naming_another_issuer_is_refused(client, settings, feide_teacher):
    settings.OIDC_PROVIDERS = provider_settings(FAKE_ISSUER)
    providers.reset_clients()
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, f"{FAKE_ISSUER}/.well-known/openid-configuration",
                 json={"issuer": "https://evil.example.no", "authorization_endpoint": "https://evil.example.no/a"})
        response = client.get("/logg-inn/feide/")
    providers.reset_clients()
    assert response.status_code == 503


def test_an_inactive_user_is_refused(client, fake, feide_teacher):
    feide_teacher.is_active = False
    feide_teacher.save()
    fake.claims = GOOD_FEIDE
    assert fake_login(client, fake).status_code == 403 and logged_in_user(client) is None


def test_the_pid_is_stored_only_as_a_keyed_hash(settings):
    assert pid_hash(GUARDIAN_PID) != pid_hash(ADULT_PID) and len(pid_hash(GUARDIAN_PID)) == 64
    before = pid_hash(GUARDIAN_PID)
    settings.PID_HASH_KEY = "another-key-another-key-another-key"
    assert pid_hash(GUARDIAN_PID) != before


def test_guardianships_without_an_account_do_not_open_anything(minor, stranger):
    from accounts import access

    GuardianshipFactory(guardian=None, student=minor, guardian_pid_hash=pid_hash(GUARDIAN_PID))
    assert not access.guards(stranger, minor) and not access.children_of(stranger).exists()
    assert str(Guardianship.objects.get(guardian=None)).endswith(str(minor))


def test_usernames_do_not_come_from_names_or_emails(client, fake):
    """A Feide user whose e-mail or name matches an account is still unknown."""
    UserFactory(username="bob@fjordbyen.vgs.no", email="bob@fjordbyen.vgs.no")
    fake.claims = {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG, "email": "bob@fjordbyen.vgs.no"}
    assert fake_login(client, fake).status_code == 403


def test_the_login_returns_to_the_page_asked_for_in_the_users_language(client, mock_providers, teacher, minor):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.language = "nn"
    teacher.save()
    wanted = reverse("documents:student_documents", args=[minor.pk])
    login_page = client.get(reverse("login"), {"next": wanted}).content.decode()
    assert f"/logg-inn/feide/?next={wanted.replace('/', '%2F')}" in login_page
    response = oidc_login(client, mock_providers, "feide", "feide-bob",
                          {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG}, query=f"?next={wanted}")
    assert response.status_code == 302 and response.url == wanted
    assert response.cookies["django_language"].value == "nn"


def test_a_next_to_another_site_is_ignored(client, mock_providers, teacher):
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    response = oidc_login(client, mock_providers, "feide", "feide-bob",
                          {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG},
                          query="?next=https://evil.example.com/")
    assert response.url == reverse("start")

