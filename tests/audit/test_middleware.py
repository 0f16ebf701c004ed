"""DeniedAccessMiddleware: refusals by the access helpers are logged, plain 404s are not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from audit.exceptions import AccessForbidden, AccessHidden
from audit.middleware import DeniedAccessMiddleware
from audit.models import AccessEvent

pytestmark = pytest.mark.django_db

DENIED = AccessEvent.Action.DENIED


@pytest.fixture
def middleware():
    return DeniedAccessMiddleware(lambda request: HttpResponse())


@pytest.fixture
def with_middleware(settings):
    """The middleware where it belongs: right after AuthenticationMiddleware."""
    stack = list(settings.MIDDLEWARE)
    if "audit.middleware.DeniedAccessMiddleware" not in stack:
        stack.insert(stack.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                     "audit.middleware.DeniedAccessMiddleware")
    settings.MIDDLEWARE = stack


def request_for(rf, user, path="/elever/5/dokumenter/"):
    request = rf.get(path, REMOTE_ADDR="10.2.3.4")
    request.user = user
    return request


@pytest.mark.parametrize("refusal", [AccessForbidden, AccessHidden])
def test_a_refusal_is_recorded(rf, middleware, other_teacher, minor, school_a, refusal):
    exception = refusal(object_type="document", object_id=5, student=minor)
    assert middleware.process_exception(request_for(rf, other_teacher), exception) is None
    event = AccessEvent.objects.get(action=DENIED)
    assert (event.user, event.object_type, event.object_id) == (other_teacher, "document", "5")
    assert (event.student, event.school) == (minor, school_a)
    assert (event.detail, event.client_address) == ("/elever/5/dokumenter/", "10.2.3.4")


def test_an_anonymous_refusal_is_recorded(rf, middleware):
    middleware.process_exception(request_for(rf, AnonymousUser()), AccessHidden())
    assert AccessEvent.objects.get(action=DENIED).user_id is None


@pytest.mark.parametrize("exception", [Http404(), PermissionDenied(), ValueError()])
def test_other_exceptions_are_not_recorded(rf, middleware, teacher, exception):
    assert middleware.process_exception(request_for(rf, teacher), exception) is None
    assert not AccessEvent.objects.exists()


def test_a_long_path_is_clipped(rf, middleware, teacher):
    middleware.process_exception(request_for(rf, teacher, "/" + "a" * 500), AccessForbidden())
    assert len(AccessEvent.objects.get().detail) == 200


@pytest.mark.urls("tests.audit.urls")
@pytest.mark.parametrize("path, status", [("/test-audit/forbidden/", 403), ("/test-audit/hidden/", 404)])
def test_through_the_stack_the_answer_is_unchanged(client, with_middleware, teacher, path, status):
    client.force_login(teacher)
    assert client.get(path, REMOTE_ADDR="10.5.5.5").status_code == status
    event = AccessEvent.objects.get(action=DENIED)
    assert (event.user, event.detail, event.client_address) == (teacher, path, "10.5.5.5")


@pytest.mark.urls("tests.audit.urls")
def test_through_the_stack_a_plain_404_is_not_recorded(client, with_middleware, teacher):
    client.force_login(teacher)
    assert client.get("/test-audit/missing/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert not AccessEvent.objects.filter(action=DENIED).exists()
