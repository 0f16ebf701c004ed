"""The notices' list filter and object check agree for the whole cast: each sees their own, nobody else's."""

import pytest
from django.http import Http404

from notices import access

from ..factories import request_as
from .factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_each_member_of_the_cast_reaches_exactly_their_own_notices(cast):
    notices = {name: NoticeFactory(user=user) for name, user in cast.items()}
    for name, user in cast.items():
        assert list(access.notices_of(user)) == [notices[name]]
        for other, notice in notices.items():
            if other == name:
                assert access.get_notice_for(request_as(user), notice.pk) == notice
            else:
                with pytest.raises(Http404):
                    access.get_notice_for(request_as(user), notice.pk)
