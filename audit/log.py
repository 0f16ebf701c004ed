"""THE way to write the access log. Any app may call `record`; nothing else writes events.

`erase_events` is the one way events leave it: retention, run by the records service.
"""

import ipaddress
import json
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from python_ipware import IpWare

from .models import AccessEvent


def record(
    request: HttpRequest | None,
    *,
    action: str,
    object_type: str,
    object_id: object = "",
    student=None,
    school=None,
    user=None,
    detail: str = "",
) -> AccessEvent:
    """Write one event, after the caller has decided access (and done the work).

    The actor is `request.user` if authenticated, else `user`. The school is
    taken from `student.school_id` unless given. `student`, `school` and `user`
    are model instances or None; only their ids are read, nothing is fetched.
    """
    return AccessEvent.objects.create(
        **_shared_fields(request, user, action=action, object_type=object_type, object_id=object_id, detail=detail),
        student_id=student.pk if student is not None else None,
        school_id=school.pk if school is not None else getattr(student, "school_id", None),
    )


def record_students(request: HttpRequest, *, action: str, object_type: str, students, object_id: object = "",
                    detail: str = "") -> None:
    """One event per student, in one INSERT: a list page or a batch file shows several students' records.

    Written by hand, not by bulk_create: a page lists fifty students, and fifty model instances with ten
    fields each to prepare cost 2.6 ms of a 23 ms page (bench/profile.py). What is the same for every
    student is prepared once by the fields themselves; only the students' ids vary, passed as one array
    (PostgreSQL) or one JSON list (SQLite), so the statement's text is the same however many students.
    """
    rows = [(student.pk, student.school_id) for student in students]
    if not rows:
        return
    shared = {"at": timezone.now(), **_shared_fields(request, None, action=action, object_type=object_type,
                                                       object_id=object_id, detail=detail)}
    params = [AccessEvent._meta.get_field(name).get_db_prep_save(shared[name], connection) for name in SHARED_COLUMNS]
    if connection.vendor == "postgresql":
        student_ids, school_ids = zip(*rows)
        params += [list(student_ids), list(school_ids)]
    else:
        params.append(json.dumps(rows))
    with connection.cursor() as cursor:
        cursor.execute(_insert_students_sql(connection.vendor), params)


def _shared_fields(request: HttpRequest | None, user, *, action: str, object_type: str, object_id: object,
                   detail: str) -> dict:
    """An event's fields but the student and the school: the actor (`request.user` if authenticated, else
    `user`), what was done to what, from where."""
    actor = _actor(request, user)
    return {
        "user_id": actor.pk if actor else None,
        "username": _clip("username", actor.get_username() if actor else ""),
        "action": AccessEvent.Action(action),  # ValueError on a typo, rather than a bad row
        "object_type": _clip("object_type", object_type),
        "object_id": _clip("object_id", "" if object_id is None else object_id),
        "client_address": client_address(request),
        "detail": _clip("detail", detail),
    }


# record_students' columns before the student's and the school's, in the order of its statement.
SHARED_COLUMNS = ("at", "user_id", "username", "action", "object_type", "object_id", "client_address", "detail")


@lru_cache(maxsize=2)
def _insert_students_sql(vendor: str) -> str:
    columns = [AccessEvent._meta.get_field(name).column for name in (*SHARED_COLUMNS, "student", "school")]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(AccessEvent._meta.db_table)
    if vendor == "postgresql":
        # A bare parameter in a SELECT list is text: each is cast to its column's type (SHARED_COLUMNS' order).
        shared = "%s::timestamptz, %s::bigint, %s, %s, %s, %s, %s::inet, %s"
        return (f"INSERT INTO {table} ({names}) SELECT {shared}, student, school "
                f"FROM UNNEST(%s::bigint[], %s::bigint[]) AS shown(student, school)")
    return (f"INSERT INTO {table} ({names}) SELECT {', '.join(['%s'] * len(SHARED_COLUMNS))}, "
            f"json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(%s)")


def erase_events(*, student_id: int, before: datetime) -> int:
    """Delete the events about one student from before `before` (aware); return how many.

    For retention only: the caller (the records service) has decided access and logs the destruction.
    """
    if timezone.is_naive(before):
        raise ValueError("`before` must be an aware datetime.")
    events = AccessEvent.objects.filter(student_id=student_id, at__lt=before)
    with transaction.atomic():
        _allow_retention_delete(True)
        # AccessEventQuerySet.delete() refuses on purpose. Calling the base class's delete() by name keeps
        # this bypass visible and greppable, and still goes through Django's collector (one DELETE).
        deleted, _by_model = models.QuerySet.delete(events)
        _allow_retention_delete(False)  # the caller's transaction goes on: nothing else may delete events
    return deleted


def _allow_retention_delete(allow: bool) -> None:
    """The trigger of audit migration 0005 lets a DELETE through only while this is on (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL audit.allow_retention_delete = '{'on' if allow else 'off'}'")


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, or None if missing or malformed. Also django-axes' (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless it is a trusted reverse proxy (settings.TRUSTED_PROXIES, outermost
    first): then the address that proxy saw, the hop it added to X-Forwarded-For. Anyone can
    send X-Forwarded-For, so the header counts only when the peer itself is the proxy; the
    hops a client wrote in front of the proxies' are never used. python-ipware reads the
    chain; it would check the proxies from the header's own text, so the peer is added to the
    chain as its last hop and must match the innermost proxy.
    """
    raw = request.META.get("REMOTE_ADDR") if request is not None else None
    try:
        peer = str(ipaddress.ip_address(raw))
    except ValueError:
        return None
    proxies = tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").strip()
    if not proxies or not forwarded:
        return peer
    client, through_proxies = _forwarded_chain_reader(proxies).get_client_ip(
        {"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"}
    )
    return str(client) if client is not None and through_proxies else peer


@lru_cache(maxsize=4)
def _forwarded_chain_reader(proxies: tuple[str, ...]) -> IpWare:
    return IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_list=list(proxies))


def _actor(request: HttpRequest | None, user):
    for candidate in (getattr(request, "user", None), user):
        if candidate is not None and candidate.is_authenticated:
            return candidate
    return None


def _clip(field_name: str, value: object) -> str:
    return str(value)[: AccessEvent._meta.get_field(field_name).max_length]
