"""Where a page's time goes: its CPU by category, in-process, through the WSGI handler gunicorn uses.

    DEBUG=True .venv/bin/python bench/profile.py                      # the load bench's pages, county data
    DEBUG=True .venv/bin/python bench/profile.py --dataset school -n 100
    DEBUG=True .venv/bin/python bench/profile.py --page "IOP page, teacher"
    DEBUG=True .venv/bin/python bench/profile.py --page "IOP overview, IOP admin" --cprofile   # by function
    DEBUG=True .venv/bin/python bench/profile.py --page "IOP page, teacher" --templates      # by template

The production settings (DEBUG off, the cached template loader, hashed static files); the users and
pages of `load.py` (a real login with the second factor, then the session cookie). Each page is
asked `-n` times after a warm-up. Per request:

- **app CPU**: this thread's CPU time in the handler, split *exclusively* (a query run while a
  template renders counts as a query, not as template time) into
  session + user (loading the session and the user), ORM build (building querysets), ORM compile
  (SQL from querysets), driver (psycopg sending and receiving), ORM rows (turning rows into model
  instances and values), templates, and the rest (middleware, views, access rules' Python, logging);
- **DB wait**: wall time inside the driver minus its CPU (the round trips and PostgreSQL's work);
- **PostgreSQL CPU**: the CPU the connection's server process used (from `/proc/<pid>/stat`, so
  PostgreSQL must run on this machine; "–" otherwise).

The wrappers cost a few microseconds a call, so the categories add a little to the page's CPU; they
are for comparing pages and versions, measured the same way. For throughput, use `load.py`.
"""

import argparse
import os
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# This file's folder comes first on the path and its name shadows the standard library's profile, which
# cProfile imports: import cProfile without the folder.
sys.path.pop(0)
import cProfile  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import scale_db  # noqa: E402

CATEGORIES = ["session + user", "ORM build", "ORM compile", "driver", "ORM rows", "templates"]
OTHER = "other (middleware, views, access rules)"


class Ledger:
    """Exclusive CPU time per category: time spent in a nested category is taken off its parent."""

    def __init__(self):
        self.cpu = defaultdict(float)
        self.db_wait = 0.0
        self.queries = 0
        self.sql: list[tuple[str, str]] = []  # (the asking line, the SQL)
        self._stack: list[list] = []

    def enter(self, category: str) -> None:
        self._stack.append([category, time.thread_time(), 0.0])

    def leave(self) -> float:
        category, started, children = self._stack.pop()
        elapsed = time.thread_time() - started
        self.cpu[category] += elapsed - children
        if self._stack:
            self._stack[-1][2] += elapsed
        return elapsed


LEDGER = Ledger()


def timed(function, category: str):
    def wrapper(*args, **kwargs):
        LEDGER.enter(category)
        try:
            return function(*args, **kwargs)
        finally:
            LEDGER.leave()
    return wrapper


def timed_iterator(function, category: str):
    """For generators (a queryset's rows): the time of each step, not of creating the generator."""
    def wrapper(*args, **kwargs):
        iterator = iter(function(*args, **kwargs))
        while True:
            LEDGER.enter(category)
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                LEDGER.leave()
            yield item
    return wrapper


ROOT = Path(__file__).resolve().parent.parent


def project_caller() -> str:
    """The innermost frame of the app's own code (not Django's, not this tool's) that asked a query."""
    frame = sys._getframe(2)
    while frame:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / "bench") and ".venv" not in path.parts:
            return f"{path.relative_to(ROOT)}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


def timed_query(function):
    def wrapper(cursor, sql, *args, **kwargs):
        LEDGER.sql.append((project_caller(), sql))
        wall = time.perf_counter()
        LEDGER.enter("driver")
        try:
            return function(cursor, sql, *args, **kwargs)
        finally:
            cpu = LEDGER.leave()
            LEDGER.db_wait += max(0.0, time.perf_counter() - wall - cpu)
            LEDGER.queries += 1
    return wrapper


def instrument() -> None:
    """Wrap the functions each category is made of (after django.setup())."""
    from django.contrib import auth
    from django.contrib.sessions.backends import db as session_db
    from django.db.backends import utils
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.db.models.sql import query as sql_query
    from django.template import base

    session_db.SessionStore.load = timed(session_db.SessionStore.load, "session + user")
    auth.get_user = timed(auth.get_user, "session + user")
    for name in ("add_q", "clone", "add_ordering", "add_annotation", "set_values", "add_select_related"):
        setattr(sql_query.Query, name, timed(getattr(sql_query.Query, name), "ORM build"))
    for name in ("SQLCompiler", "SQLInsertCompiler", "SQLDeleteCompiler", "SQLUpdateCompiler",
                 "SQLAggregateCompiler"):
        cls = getattr(compiler, name)
        cls.as_sql = timed(cls.as_sql, "ORM compile")
    utils.CursorWrapper._execute = timed_query(utils.CursorWrapper._execute)
    utils.CursorWrapper._executemany = timed_query(utils.CursorWrapper._executemany)
    for name in ("ModelIterable", "ValuesIterable", "ValuesListIterable", "FlatValuesListIterable",
                 "NamedValuesListIterable"):
        cls = getattr(query, name)
        cls.__iter__ = timed_iterator(cls.__iter__, "ORM rows")
    compiler.SQLCompiler.results_iter = timed_iterator(compiler.SQLCompiler.results_iter, "ORM rows")
    base.Template.render = timed(base.Template.render, "templates")


def postgres_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) of a PostgreSQL server process on this machine."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def logged_in_cookie(username: str) -> str:
    """A real login with password and second factor, as the load bench does; returns the Cookie header."""
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    page = client.get("/logg-inn/", secure=True).content.decode()
    response = client.post("/logg-inn/", {"csrfmiddlewaretoken": load.csrf_token(page), "username": username,
                                          "password": load.PASSWORD}, secure=True)
    assert response.status_code == 302, f"login of {username} failed ({response.status_code})"
    for attempt in range(3):  # a code is taken once: a second login within its 30 s waits for the next
        page = client.get("/totrinn/", secure=True).content.decode()
        response = client.post("/totrinn/", {"csrfmiddlewaretoken": load.csrf_token(page),
                                             "code": load.current_code()}, secure=True)
        if response.status_code == 302:
            break
        time.sleep(30 - time.time() % 30 + 1)
    assert response.status_code == 302, f"second factor of {username} failed ({response.status_code})"
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def ask(handler, path: str, cookie: str) -> int:
    """One GET through the WSGI handler; the status."""
    from django.test.client import FakePayload

    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
        "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost", "HTTP_COOKIE": cookie,
        "HTTP_X_FORWARDED_PROTO": "https", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "https",
        "wsgi.input": FakePayload(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    statuses = []
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(statuses[0].split()[0])


def profile_page(handler, path: str, cookie: str, times: int) -> dict:
    for _ in range(5):
        status = ask(handler, path, cookie)
        assert status == 200, f"{path}: {status}"
    totals, rounds = [], []
    pid = backend_pid()  # the handler's connection, kept between requests (CONN_MAX_AGE)
    pg_before = postgres_cpu(pid)
    for _ in range(times):
        LEDGER.__init__()
        started = time.thread_time()
        ask(handler, path, cookie)
        total = time.thread_time() - started
        totals.append(total)
        rounds.append((dict(LEDGER.cpu), LEDGER.db_wait, LEDGER.queries, total))
    pg_after = postgres_cpu(pid) if backend_pid() == pid else None
    row = {category: statistics.median(r[0].get(category, 0.0) for r in rounds) * 1000 for category in CATEGORIES}
    row[OTHER] = statistics.median(r[3] - sum(r[0].values()) for r in rounds) * 1000
    row["app CPU"] = statistics.median(totals) * 1000
    row["DB wait"] = statistics.median(r[1] for r in rounds) * 1000
    row["queries"] = rounds[-1][2]
    row["sql"] = list(LEDGER.sql)  # the last request's
    row["PostgreSQL CPU"] = (pg_after - pg_before) / times * 1000 if None not in (pg_before, pg_after) else None
    return row


def cprofile_page(label: str, handler, path: str, cookie: str, times: int) -> None:
    """The page's functions by their own time and by their time with what they call (cProfile's cost makes
    every figure larger than the page's CPU: compare them with each other)."""
    for _ in range(5):
        ask(handler, path, cookie)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        ask(handler, path, cookie)
    profiler.disable()
    print(f"\n## {label}, {times} requests (ms are totals over them)\n")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(25)
    ours = f"^{re.escape(str(scale_db.ROOT))}/(?!\\.venv/)"  # the app's own functions, by time with callees
    stats.sort_stats("cumulative").print_stats(ours, 40)


def template_page(label: str, handler, path: str, cookie: str, times: int) -> None:
    """Each template's own CPU time per request (without the templates it includes, with the queries it
    runs), and how many times a request renders it; a page's blocks apart from the template it extends."""
    from django.template.base import Template
    from django.template.loader_tags import BlockNode

    own, renders, stack = defaultdict(float), defaultdict(int), []

    def timing(plain, name_of):
        def timed(node, context):
            stack.append(0.0)
            started = time.thread_time()
            try:
                return plain(node, context)
            finally:
                spent = time.thread_time() - started
                own[name_of(node)] += spent - stack.pop()
                renders[name_of(node)] += 1
                if stack:
                    stack[-1] += spent
        return timed

    plain_template, plain_block = Template._render, BlockNode.render
    for _ in range(5):
        ask(handler, path, cookie)
    Template._render = timing(plain_template, lambda template: template.origin.template_name)
    BlockNode.render = timing(plain_block, lambda block: f"{{% block {block.name} %}} of the page")
    try:
        for _ in range(times):
            ask(handler, path, cookie)
    finally:
        Template._render, BlockNode.render = plain_template, plain_block
    print(f"\n## {label}: templates by their own CPU, ms per request (renders per request)\n")
    for name, spent in sorted(own.items(), key=lambda item: -item[1]):
        print(f"{spent / times * 1000:7.2f}  {name} ({renders[name] / times:g})")


def backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    return connection.connection.info.backend_pid


def print_table(rows: dict[str, dict]) -> None:
    columns = ["app CPU", *CATEGORIES, OTHER, "DB wait", "PostgreSQL CPU", "queries"]
    short = {OTHER: "other", "session + user": "session+user", "PostgreSQL CPU": "PG CPU"}
    print("\n| page | " + " | ".join(short.get(c, c) for c in columns) + " |")
    print("|---|" + "--:|" * len(columns))
    for label, row in rows.items():
        cells = [f"{row[c]:.1f}" if isinstance(row[c], float) else ("–" if row[c] is None else str(row[c]))
                 for c in columns]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nmilliseconds per request (medians; PostgreSQL CPU: the mean over the run); queries per request")


def print_queries(rows: dict[str, dict]) -> None:
    for label, row in rows.items():
        print(f"\n## {label}: {len(row['sql'])} queries\n")
        for number, (caller, sql) in enumerate(row["sql"], 1):
            print(f"{number}. [{caller}] {sql[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=list(load.DATASETS), default="county")
    parser.add_argument("-n", "--times", type=int, default=50, help="requests per page, after 5 to warm up")
    parser.add_argument("--page", action="append", help="only pages with this label (repeatable)")
    parser.add_argument("--cprofile", action="store_true",
                        help="instead of the categories, cProfile each page and print its costliest functions")
    parser.add_argument("--templates", action="store_true",
                        help="instead of the categories, each template's own CPU time per request")
    parser.add_argument("--sql", action="store_true",
                        help="also print each page's queries (the last request's), each with the app's line that asked it")
    args = parser.parse_args()

    name = load.DATASETS[args.dataset][0]
    scale_db.ensure(*load.DATASETS[args.dataset])
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    os.environ.update({"DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "localhost,testserver",
                       "STATIC_ROOT": static_root, "TRUST_X_FORWARDED_PROTO": "True",
                       # One server process for the whole run, so its CPU can be read (production: 60 s).
                       "CONN_MAX_AGE": "3600",
                       "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
                       # Two runs side by side (old and new code) log the same users in: a second-factor code
                       # taken by the other run is a failed login, and five of them would lock the bench out.
                       **{limit: "1000" for limit in ("AXES_FAILURE_LIMIT", "LOGIN_ACCOUNT_FAILURE_LIMIT",
                                                      "LOGIN_ADDRESS_FAILURE_LIMIT")}})
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=scale_db.ROOT,
                   env={**os.environ, "DATABASE_URL": scale_db.url(name)}, check=True)
    scale_db.use(name)
    visitors = load.pick_visitors(admins=1, teachers=1, guardians=1, iko=1)  # calls django.setup()

    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    pages = {}
    for visitor in visitors:
        for label, path in visitor.pages:
            if label not in pages and (not args.page or label in args.page):
                pages[label] = (visitor.username, path)
    cookies = {username: logged_in_cookie(username) for username, _ in pages.values()}
    if args.cprofile:
        for label, (username, path) in sorted(pages.items()):
            cprofile_page(label, handler, path, cookies[username], args.times)
        return
    if args.templates:
        for label, (username, path) in sorted(pages.items()):
            template_page(label, handler, path, cookies[username], args.times)
        return
    pages["baseline /helse/"] = (None, "/helse/")
    instrument()
    rows = {label: profile_page(handler, path, cookies.get(username, ""), args.times)
            for label, (username, path) in sorted(pages.items())}
    print(f"# {name}, {args.times} requests per page; {load.machine()}")
    print_table(rows)
    if args.sql:
        print_queries(rows)


if __name__ == "__main__":
    main()
