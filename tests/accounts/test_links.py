import pytest
from django.urls import reverse

from accounts.links import link_maker


@pytest.mark.parametrize("pk", [1, 7, 2147483646, 31])
def test_a_made_link_is_what_reverse_gives(pk):
    assert link_maker("followup:student")(pk) == reverse("followup:student", args=[pk])


def test_a_view_without_one_integer_argument_is_refused():
    with pytest.raises(Exception):
        link_maker("start")
