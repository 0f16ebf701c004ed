"""Smoke test: no view answers 500 to bad input, and forged pks give 404.

Walks every URL pattern of the project, fills its kwargs with the pk of a real
object (or a forged one), and as the IOP admin sends GET, junk POST, empty POST
and GET with junk query parameters. All failures are collected and reported at once.
"""

import pytest
from django.urls import reverse

from .crawl import URLS, kwarg_sets

JUNK_POST = {
    "title": "x" * 5000,
    "version": "abc",
    "direction": "sideways",
    "stage": "9",
    "sent_on": "not-a-date",
    "decided_on": "2999-01-01",
    "outcome": "maybe",
    "extent": "-1",
    "subjects-TOTAL_FORMS": "abc",
    "username": "",
    "content_hash": "0",
}
JUNK_QUERY = "?page=-1&status=zz&s1-page=abc&plan=abc"


@pytest.mark.parametrize("name,converters", URLS, ids=[n for n, _ in URLS])
def test_no_500(client, admin, objects, name, converters):
    converters = dict(converters)
    client.raise_request_exception = False
    client.force_login(admin)
    failures = []
    for kwargs in kwarg_sets(name, converters, objects):
        url = reverse(name, kwargs=kwargs)
        for label, send in (
            ("GET", lambda: client.get(url)),
            ("POST junk", lambda: client.post(url, JUNK_POST)),
            ("POST empty", lambda: client.post(url, {})),
            ("GET junk query", lambda: client.get(url + JUNK_QUERY)),
        ):
            status = send().status_code
            if status >= 500:
                failures.append(f"{label} {url} -> {status}")
    if any(conv.regex == "[0-9]+" for conv in converters.values()):
        for kwargs in kwarg_sets(name, converters, objects, forged=True):
            url = reverse(name, kwargs=kwargs)
            for label, send in (("GET forged", lambda: client.get(url)), ("POST forged", lambda: client.post(url, {}))):
                status = send().status_code
                # 405: the method check comes before the lookup, which is fine.
                if status not in (404, 405):
                    failures.append(f"{label} {url} -> {status} (expected 404)")
    assert not failures, "\n".join(failures)
