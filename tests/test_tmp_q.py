import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.test_query_discipline import PAGES, cast  # noqa: F401

@pytest.mark.parametrize("name", ["plan-detail-teacher"])
def test_show(client, cast, name):
    page = PAGES[name](cast)
    client.force_login(page.user)
    page.grow(3)
    client.get(page.url)
    with CaptureQueriesContext(connection) as c:
        client.get(page.url)
    for q in c.captured_queries:
        print("\n---", q["sql"][:700])
