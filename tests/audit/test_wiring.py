"""How the rest of the project plugs into audit: the middleware's place and deny()."""

import pytest
from django.urls import reverse

from audit.exceptions import AccessForbidden, AccessHidden
from audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_the_middleware_sits_right_after_authentication(settings):
    stack = settings.MIDDLEWARE
    auth = stack.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert stack[auth + 1] == "audit.middleware.DeniedAccessMiddleware"


@pytest.mark.parametrize("insider, refusal", [(True, AccessForbidden), (False, AccessHidden)])
def test_deny_raises_what_the_log_records(minor, insider, refusal):
    from accounts.access import deny

    with pytest.raises(refusal) as raised:
        deny(insider=insider, object_type="student", object_id=minor.pk, student=minor)
    assert (raised.value.object_type, raised.value.student) == ("student", minor)


def test_a_real_refusal_is_logged(client, teacher, school_a):
    client.force_login(teacher)  # staff at the school, not its principal: 403
    assert client.get(reverse("accounts:school_access", args=[school_a.pk]), REMOTE_ADDR="10.7.7.7").status_code == 403
    event = AccessEvent.objects.get(action=AccessEvent.Action.DENIED)
    assert (event.user, event.school_id, event.client_address) == (teacher, school_a.pk, "10.7.7.7")
