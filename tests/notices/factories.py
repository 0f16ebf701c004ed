"""Factories for notices."""

import factory

from notices.models import Event, Notice

from ..factories import UserFactory


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    user = factory.SubFactory(UserFactory)
    event = Event.PLAN_PUBLISHED_TO_FAMILY
    key = factory.Sequence(lambda n: f"plan:{n}:stage:3")
    first_name = "Emma"
    url = "/"
    email_state = Notice.EmailState.SENT
