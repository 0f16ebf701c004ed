"""Load benchmark: gunicorn with the production settings on loopback, PostgreSQL with scale data.

    DEBUG=True .venv/bin/python bench/load.py                # county, then one school, then the comparison
    DEBUG=True .venv/bin/python bench/load.py --rebuild      # generate the scale data again first
    DEBUG=True .venv/bin/python bench/load.py --dataset county --duration 30   # one dataset only
    DEBUG=True .venv/bin/python bench/load.py --compare --duration 240         # county / one school, interleaved

Each dataset is measured in its own process (Django is set up once per process, against that
dataset's database):

1. **Realistic load**: `--users` logged-in users (IOP admins, teachers, guardians) and `--iko`
   IKO-team members each loop over their role's pages (admins: their start page, an IOP and the
   school's IOP overview; teachers also search the goal bank) with a pause of about `--think` seconds
   between requests. Teachers save their subject's half-year assessment (a GET of the form and a
   POST); the IKO team reads its school's overview and the IKO pages of students with signals.
   Every user also asks the bare `/helse/` endpoint, the same middleware stack with nothing behind
   it: the baseline.
2. **Saturation**, in interleaved windows: `--rounds` times, for each page, `--users` workers
   request only the baseline for `--saturation` seconds, then only that page for as long. A round's
   throughput ratio = the page's requests per second / the baseline's in the window just before;
   the figure is the median over the rounds, with the spread (see `interleaved_saturation`).

`--compare` answers "does a page slow down as the data grows?" without the machine's swings: both
data sets are served at once (a gunicorn each), and the same realistic load alternates between them
in `--window`-second windows. Each page's p95 on the county over its p95 on one school is given
over all windows together, and per pair of neighbouring windows (median and spread).

The client is a small asyncio program on aiohttp rather than Locust: on a 2-core machine the
client shares the CPU with gunicorn and PostgreSQL, and one asyncio process costs far less than
Locust's gevent workers and web UI, while the numbers it needs (percentiles per page, errors,
throughput) take a few lines. Cookies are kept by hand because the production settings mark them
Secure and the benchmark speaks plain HTTP on loopback, saying `X-Forwarded-Proto: https` as the
TLS-terminating proxy in front of gunicorn would (TRUST_X_FORWARDED_PROTO=True).
"""

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_db  # noqa: E402

PASSWORD = "scale"
DATASETS = {"county": scale_db.COUNTY, "school": scale_db.ONE_SCHOOL}
BASELINE = "baseline /helse/"


# --- Who asks for what ---------------------------------------------------------------------------


@dataclass
class Visitor:
    role: str
    username: str
    pages: list[tuple[str, str]]  # (label, path) read in a loop
    save_path: str | None = None  # a teacher's half-year assessment form
    copy: int = 0  # a second tab of the same user (one school has one IOP admin; the county has four)


def pick_visitors(admins: int, teachers: int, guardians: int, iko: int = 0) -> list[Visitor]:
    """Real users of the scale data, each with pages their rights open (checked with iop.access and
    followup.access)."""
    import django

    django.setup()
    from django.urls import reverse

    from accounts.access import IKO_TEAM_PERMISSION, IOP_ADMIN_PERMISSION
    from accounts.models import Enrollment, Guardianship, SchoolUserObjectPermission
    from followup.access import follows
    from followup.models import Signal
    from iop.access import rights_for
    from iop.models import Plan, PlanSubject

    rng = random.Random(7)
    seed_database_random()  # order_by("?") picks the same users and pages every run
    visitors = []
    grants = SchoolUserObjectPermission.objects.select_related("user").order_by("pk")
    for grant, copy in _as_many(grants.filter(permission__codename=IOP_ADMIN_PERMISSION)[:admins], admins):
        plan = Plan.objects.filter(student__school_id=grant.content_object_id).order_by("?").first()
        visitors.append(Visitor("admin", grant.user.username, [
            ("start page, IOP admin", reverse("start")),
            ("IOP page, IOP admin", reverse("iop:plan_detail", args=[plan.pk])),
            ("IOP overview, IOP admin", reverse("iop:school_overview", args=[grant.content_object_id])),
        ], copy=copy))
    subjects = PlanSubject.objects.filter(plan__stage__gte=Plan.Stage.TEACHERS).select_related("plan__student")
    for subject in subjects.order_by("?")[: teachers * 3]:
        if len([v for v in visitors if v.role == "teacher"]) == teachers:
            break
        enrollment = Enrollment.objects.active().filter(student=subject.plan.student, subject=subject.subject_id).first()
        teacher = enrollment and enrollment.teachers.order_by("?").first()
        if not teacher or teacher.username in {v.username for v in visitors}:
            continue
        assert subject.subject_id in rights_for(teacher, subject.plan).own_subject_ids
        visitors.append(Visitor("teacher", teacher.username, [
            ("start page, teacher", reverse("start")),
            ("IOP page, teacher", reverse("iop:plan_detail", args=[subject.plan_id])),
            ("part-2 subject page, teacher", reverse("iop:subject_detail", args=[subject.pk])),
            ("goal-bank search, teacher", reverse("curriculum:search") + f"?q={rng.choice(BANK_WORDS)}"),
        ], save_path=reverse("iop:assessment_edit", args=[subject.pk, "halvar"])))
    readable = Guardianship.objects.filter(student__plans__stage__gte=Plan.Stage.STUDENT_AND_GUARDIANS)
    for guardianship in readable.select_related("guardian", "student").order_by("?"):
        if len([v for v in visitors if v.role == "guardian"]) == guardians:
            break
        plan = guardianship.student.plans.filter(stage__gte=Plan.Stage.STUDENT_AND_GUARDIANS).first()
        if not rights_for(guardianship.guardian, plan).see:  # the student has turned 18
            continue
        visitors.append(Visitor("guardian", guardianship.guardian.username, [
            ("start page, guardian", reverse("start")),
            ("IOP page, guardian", reverse("iop:plan_detail", args=[plan.pk])),
        ]))
    for grant, copy in _as_many(grants.filter(permission__codename=IKO_TEAM_PERMISSION)[:iko], iko):
        signalled = Signal.objects.filter(student__school_id=grant.content_object_id).select_related("student__school")
        students = list({s.student_id: s.student for s in signalled.order_by("?")[:20]}.values())[:2]
        assert students and all(follows(grant.user, student) for student in students)
        visitors.append(Visitor("iko", grant.user.username, [
            ("IKO overview, IKO team", reverse("followup:overview", args=[grant.content_object_id])),
            *(("IKO student page, IKO team", reverse("followup:student", args=[s.pk])) for s in students),
        ], copy=copy))
    rng.shuffle(visitors)
    _give_second_factor([v.username for v in visitors])
    return visitors


def _as_many(grants, wanted: int) -> list[tuple[object, int]]:
    """`wanted` (grant, copy) pairs: each grant once, then again as further tabs of the same users when the data
    has fewer (one school has one IOP admin and one IKO team member; the county's figures compare the same
    number of visitors)."""
    grants = list(grants)
    return [(grants[number % len(grants)], number // len(grants)) for number in range(wanted)] if grants else []


def seed_database_random() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.7)")


# Words a teacher types into the goal bank (the shipped subset: Norwegian, English, maths, science,
# social studies), searched across all curricula: the bank's slowest case.
BANK_WORDS = ["tekster", "regne", "samtale", "digitale", "utforske", "argumentere", "kilder", "lese"]

BENCH_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex, the RFC 6238 test key


def _give_second_factor(usernames: list[str]) -> None:
    """Password logins of people with student data need a code (accounts/second_factor.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    for user in User.objects.filter(username__in=usernames):
        TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"key": BENCH_TOTP_KEY, "confirmed": True})


def current_code() -> str:
    from binascii import unhexlify

    from django_otp.oath import totp

    return "%06d" % totp(unhexlify(BENCH_TOTP_KEY))


# --- The server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ, "DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url, "STATIC_ROOT": static_root, "TRUST_X_FORWARDED_PROTO": "True",
        # One JSON line per request would flood the terminal; LOG_LEVEL=INFO measures with it.
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=scale_db.ROOT, env=env, check=True)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=scale_db.ROOT, env=env, start_new_session=True,
    )


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# --- The client ----------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, seconds: float, ok: bool) -> None:
        self.latencies.setdefault(label, []).append(seconds)
        if not ok:
            self.errors[label] = self.errors.get(label, 0) + 1


class Session:
    """One logged-in browser: its own cookies, sent by hand (they are Secure; we speak HTTP)."""

    def __init__(self, http, base: str):
        self.http, self.base, self.cookies = http, base, {}
        self.headers = {"X-Forwarded-Proto": "https", "Origin": f"https://{base.split('//')[1]}"}

    async def request(self, method: str, path: str, data=None) -> tuple[int, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {**self.headers, "Cookie": cookie, "Referer": f"{self.headers['Origin']}{path}"}
        async with self.http.request(method, self.base + path, data=data, headers=headers,
                                     allow_redirects=False) as response:
            body = await response.text()
            self.cookies.update({name: morsel.value for name, morsel in response.cookies.items()})
            return response.status, body

    async def log_in(self, username: str) -> None:
        status, page = await self.request("GET", "/logg-inn/")
        token = csrf_token(page)
        status, _ = await self.request("POST", "/logg-inn/",
                                       {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login of {username} failed ({status})")
        if not await self.second_factor():
            # The code of this 30 s step may be used already (a profile.py run just before logged the same user
            # in): the next step's is not.
            await asyncio.sleep(30 - time.time() % 30 + 1)
            if not await self.second_factor():
                raise RuntimeError(f"second factor of {username} failed")

    async def second_factor(self) -> bool:
        status, page = await self.request("GET", "/totrinn/")
        status, _ = await self.request("POST", "/totrinn/", {"csrfmiddlewaretoken": csrf_token(page),
                                                              "code": current_code()})
        return status == 302


async def log_in_all(sessions: list[Session], visitors: list[Visitor]) -> None:
    """Each visitor's session logged in; a further tab of a user shares the first tab's cookies (a second login
    within the same 30 s would find its second-factor code already used)."""
    first_tab = {}
    for session, visitor in zip(sessions, visitors):
        if visitor.username in first_tab:
            session.cookies = first_tab[visitor.username].cookies
        else:
            await session.log_in(visitor.username)
            first_tab[visitor.username] = session


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


async def timed(session: Session, results: Results, label: str, method: str, path: str, data=None,
                expect: int = 200) -> str:
    started = time.perf_counter()
    try:
        status, body = await session.request(method, path, data)
        ok = status == expect
    except Exception:  # noqa: BLE001 - a refused connection or a timeout is an error of the run
        body, ok = "", False
    results.add(label, time.perf_counter() - started, ok)
    return body


async def save_assessment(session: Session, results: Results, path: str, round_: int) -> None:
    form = await timed(session, results, "half-year assessment form, teacher", "GET", path)
    version = re.search(r'name="version" value="(\d+)"', form)
    if not version:
        return
    data = {"csrfmiddlewaretoken": csrf_token(form), "version": version.group(1),
            "development": f"Arbeider godt med prosent (runde {round_}).", "opportunities": "Brøk og desimaltall."}
    await timed(session, results, "save half-year assessment, teacher", "POST", path, data, expect=302)


async def browse(session: Session, visitor: Visitor, results: Results, until: float, think: float) -> None:
    """The visitor's loop of pages until `until`. With a pause (`think`), the visitor arrives after a random
    pause and starts at a random step of the loop: all starting at their first page at the same instant
    was a burst of start pages at every start of a measured phase (10 % of their samples, so their p95)."""
    rng, round_ = random.Random(f"{visitor.username}/{visitor.copy}"), 0
    steps = [*visitor.pages, (BASELINE, "/helse/")] + ([("save", visitor.save_path)] if visitor.save_path else [])
    first = 0
    if think:
        first = rng.randrange(len(steps))
        await asyncio.sleep(rng.uniform(0, 2) * think)
    while time.perf_counter() < until:
        round_ += 1
        for label, path in steps[first:]:
            if time.perf_counter() >= until:
                return
            if label == "save":
                await save_assessment(session, results, path, round_)
            else:
                await timed(session, results, label, "GET", path)
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        first = 0


async def run(base: str, visitors: list[Visitor], args) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        sessions = [Session(http, base) for _ in visitors]
        await log_in_all(sessions, visitors)

        warm = Results()
        await asyncio.gather(*(browse(s, v, warm, time.perf_counter() + 5, 0) for s, v in zip(sessions, visitors)))
        realistic = Results()
        until = time.perf_counter() + args.duration
        await asyncio.gather(*(browse(s, v, realistic, until, args.think) for s, v in zip(sessions, visitors)))

        saturation = await interleaved_saturation(sessions, visitors, args)
    return {"realistic": summarize(realistic, args.duration), "saturation": saturation}


async def interleaved_saturation(sessions: list[Session], visitors: list[Visitor], args) -> dict:
    """Each page's throughput at saturation as a ratio to the baseline's, measured in alternating windows.

    One long baseline before and after all pages let a busy machine's swings (514–2,005 req/s for
    /helse/ in one afternoon) land on some pages and not others. Here every window of a page follows a
    window of the baseline on the same server, `--rounds` times; a round's ratio compares the two
    neighbours, and the median over the rounds, with its spread, is the figure.
    """
    rates: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}
    labels = sorted({label for v in visitors for label, _ in v.pages})
    for _ in range(args.rounds):
        for label in labels:
            owners = [(s, v) for s, v in zip(sessions, visitors) if label in dict(v.pages)]
            pool = [owners[i % len(owners)][0] for i in range(args.users)]
            path_of = {id(s): dict(v.pages)[label] for s, v in owners}
            baseline = await hammer(sessions[:args.users], BASELINE, lambda _session: "/helse/", args.saturation)
            rate = await hammer(pool, label, lambda session: path_of[id(session)], args.saturation)
            rates.setdefault(BASELINE, []).append(baseline)
            rates.setdefault(label, []).append(rate)
            ratios.setdefault(label, []).append(rate / baseline)
    return {label: {"rate": statistics.median(values), "ratio": statistics.median(ratios[label]) if label in ratios
                    else 1.0, "ratio_min": min(ratios.get(label, [1.0])), "ratio_max": max(ratios.get(label, [1.0])),
                    "rate_min": min(values), "rate_max": max(values)}
            for label, values in rates.items()}


async def hammer(pool: list[Session], label: str, path_of, seconds: float) -> float:
    """Requests per second when each session in `pool` asks for `path_of(session)` without pauses."""
    results = Results()
    until = time.perf_counter() + seconds

    async def worker(session):
        while time.perf_counter() < until:
            await timed(session, results, label, "GET", path_of(session))

    started = time.perf_counter()
    await asyncio.gather(*(worker(s) for s in pool))
    return len(results.latencies.get(label, [])) / (time.perf_counter() - started)


def percentiles(latencies: list[float]) -> list[float]:
    """The 1st to 99th percentile of the latencies, in ms."""
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return [cut * 1000 for cut in cuts]


def summarize(results: Results, seconds: float) -> dict:
    table = {}
    for label, latencies in sorted(results.latencies.items()):
        cuts = percentiles(latencies)
        table[label] = {"count": len(latencies), "rps": len(latencies) / seconds, "p50": cuts[49],
                        "p95": cuts[94], "p99": cuts[98], "errors": results.errors.get(label, 0)}
    return table


# --- County against one school, in alternating windows -------------------------------------------


def compare(args) -> None:
    """Both data sets served at once; the realistic load alternates between them (see the module text)."""
    servers, bases, visitors = [], {}, {}
    try:
        for dataset in DATASETS:
            scale_db.ensure(*DATASETS[dataset], rebuild=args.rebuild)
            with tempfile.NamedTemporaryFile(suffix=".json") as out:  # Django is set up per data set: a child
                subprocess.run([sys.executable, __file__, "--users", str(args.users), "--iko", str(args.iko),
                                "--dataset", dataset, "--visitors-json", out.name], check=True)
                visitors[dataset] = [Visitor(**{**row, "pages": [tuple(page) for page in row["pages"]]})
                                     for row in json.loads(Path(out.name).read_text())]
            port = free_port()
            servers.append(start_gunicorn(scale_db.url(DATASETS[dataset][0]), port, args.workers))
            bases[dataset] = f"http://127.0.0.1:{port}"
        for server_port in bases.values():
            wait_until_up(int(server_port.rsplit(":", 1)[1]))
        windows = asyncio.run(alternate(bases, visitors, args))
    finally:
        for server in servers:
            stop(server)
    print_comparison(windows, args)


async def alternate(bases: dict[str, str], visitors: dict[str, list[Visitor]], args) -> list[dict[str, Results]]:
    """Pairs of windows, one per data set, the order swapped every pair."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60),
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        sessions = {}
        for dataset, base in bases.items():
            sessions[dataset] = [Session(http, base) for _ in visitors[dataset]]
            await log_in_all(sessions[dataset], visitors[dataset])
        pairs = []
        for number in range(max(1, round(args.duration / args.window))):
            pair = {}
            for dataset in (list(DATASETS) if number % 2 == 0 else list(reversed(DATASETS))):
                pair[dataset] = Results()
                until = time.perf_counter() + (5 if number == 0 else 0)  # the first pair warms both up first
                await asyncio.gather(*(browse(s, v, Results(), until, 0)
                                       for s, v in zip(sessions[dataset], visitors[dataset])))
                until = time.perf_counter() + args.window
                await asyncio.gather(*(browse(s, v, pair[dataset], until, args.think)
                                       for s, v in zip(sessions[dataset], visitors[dataset])))
            pairs.append(pair)
    return pairs


def machine() -> str:
    """The cores and the speed of one of them: figures from different days or machines differ by as much as
    the speed (this shared machine's moved by half from one day to the next)."""
    started, total = time.thread_time(), 0
    for number in range(10_000_000):
        total += number
    return f"{os.cpu_count()} cores; 10,000,000 Python additions in {time.thread_time() - started:.2f} s CPU"


def p95(latencies: list[float]) -> float:
    return percentiles(latencies)[94]


def print_comparison(pairs: list[dict[str, Results]], args) -> None:
    pooled = {dataset: Results() for dataset in DATASETS}
    for pair in pairs:
        for dataset, results in pair.items():
            for label, latencies in results.latencies.items():
                pooled[dataset].latencies.setdefault(label, []).extend(latencies)
            for label, errors in results.errors.items():
                pooled[dataset].errors[label] = pooled[dataset].errors.get(label, 0) + errors
    print(f"\n{len(pairs)} pairs of {args.window:g} s windows, users {args.users} + {args.iko} IKO team, think"
          f" {args.think} s, workers {args.workers} per server; {machine()}")
    print(f"\n{'page':38} {'n county':>9} {'n school':>9} {'p95 county':>11} {'p95 school':>11} {'county/school':>14}"
          f" {'per pair: median':>17} {'spread':>13} {'errors':>7}")
    county, school = pooled["county"], pooled["school"]
    for label in sorted(set(county.latencies) & set(school.latencies)):
        per_pair = [p95(pair["county"].latencies[label]) / p95(pair["school"].latencies[label]) for pair in pairs
                    if len(pair["county"].latencies.get(label, [])) > 1 and len(pair["school"].latencies.get(label, [])) > 1]
        ratio = p95(county.latencies[label]) / p95(school.latencies[label])
        errors = county.errors.get(label, 0) + school.errors.get(label, 0)
        pairs_text = (f"{statistics.median(per_pair):>17.2f} {min(per_pair):>6.2f}–{max(per_pair):<6.2f}" if per_pair
                      else f"{'–':>17} {'–':>13}")  # too few samples in each window for a p95 of its own
        print(f"{label:38} {len(county.latencies[label]):>9} {len(school.latencies[label]):>9}"
              f" {p95(county.latencies[label]):>11.1f} {p95(school.latencies[label]):>11.1f} {ratio:>14.2f}"
              f" {pairs_text} {errors:>7}")
    print("\nms; county/school: the p95 of all windows together; per pair: each pair of neighbouring windows")


# --- One dataset, in its own process ---------------------------------------------------------------


def measure(dataset: str, args) -> dict:
    name = DATASETS[dataset][0]
    scale_db.use(name)
    visitors = visitors_for(args)
    port = free_port()
    server = start_gunicorn(scale_db.url(name), port, args.workers)
    try:
        wait_until_up(port)
        result = asyncio.run(run(f"http://127.0.0.1:{port}", visitors, args))
    finally:
        stop(server)
    result["users"] = {role: sum(v.role == role for v in visitors)
                       for role in ("admin", "teacher", "guardian", "iko")}
    return result


def visitors_for(args) -> list[Visitor]:
    """A quarter IOP admins, a quarter guardians, the rest teachers; and the IKO-team members."""
    admins = guardians = args.users // 4
    return pick_visitors(admins, args.users - admins - guardians, guardians, args.iko)


def wait_until_up(port: int) -> None:
    import urllib.request

    for _ in range(100):
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/helse/", headers={"X-Forwarded-Proto": "https"})
            if urllib.request.urlopen(request, timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up")


def print_dataset(dataset: str, result: dict) -> None:
    schools, students = DATASETS[dataset][1:]
    print(f"\n## {dataset}: {schools} schools, {students} students; users {result['users']}")
    print(f"\n{'page':38} {'n':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
          f" {'sat. req/s':>10} {'× baseline':>10} {'spread':>13}")
    for label, row in result["realistic"].items():
        sat = result["saturation"].get(label)
        rate_text = f"{sat['rate']:.1f}" if sat else "–"
        ratio = f"{sat['ratio']:.3f}" if sat else "–"
        spread = f"{sat['ratio_min']:.3f}–{sat['ratio_max']:.3f}" if sat and label != BASELINE else ""
        print(f"{label:38} {row['count']:>6} {row['rps']:>7.1f} {row['p50']:>7.1f} {row['p95']:>7.1f}"
              f" {row['p99']:>7.1f} {row['errors']:>6} {rate_text:>10} {ratio:>10} {spread:>13}")
    base = result["saturation"][BASELINE]
    print(f"\nbaseline at saturation: median {base['rate']:.0f} req/s, {base['rate_min']:.0f}–{base['rate_max']:.0f}"
          f" over its windows; × baseline: the median over the rounds of the page's window against the"
          f" baseline's window just before it, and the spread (lowest–highest)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=[*DATASETS, "both"], default="both")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--iko", type=int, default=5, help="IKO-team members, besides --users")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests, seconds")
    parser.add_argument("--duration", type=float, default=60, help="seconds of realistic load")
    parser.add_argument("--saturation", type=float, default=3,
                        help="seconds per window at saturation (a page's window follows one of the baseline)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of windows at saturation")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--rebuild", action="store_true", help="generate the scale data again")
    parser.add_argument("--compare", action="store_true",
                        help="county against one school, both served at once, the load alternating between them")
    parser.add_argument("--window", type=float, default=30, help="seconds per window with --compare")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # where a child process writes its result
    parser.add_argument("--visitors-json", help=argparse.SUPPRESS)  # where a child writes the users it picked
    args = parser.parse_args()

    if args.visitors_json:
        scale_db.use(DATASETS[args.dataset][0])
        Path(args.visitors_json).write_text(json.dumps([asdict(visitor) for visitor in visitors_for(args)]))
        return
    if args.compare:
        compare(args)
        return
    if args.json:
        Path(args.json).write_text(json.dumps(measure(args.dataset, args)))
        return
    datasets = list(DATASETS) if args.dataset == "both" else [args.dataset]
    results = {}
    for dataset in datasets:
        scale_db.ensure(*DATASETS[dataset], rebuild=args.rebuild)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            options = ["--users", args.users, "--iko", args.iko, "--think", args.think, "--duration", args.duration,
                       "--saturation", args.saturation, "--rounds", args.rounds, "--workers", args.workers]
            subprocess.run([sys.executable, __file__, *map(str, options), "--dataset", dataset, "--json", out.name],
                           check=True)
            results[dataset] = json.loads(Path(out.name).read_text())
        print_dataset(dataset, results[dataset])
    print(f"\nworkers {args.workers}, users {args.users} + {args.iko} IKO team, think {args.think} s,"
          f" {args.duration:.0f} s of load,"
          f" {args.rounds} rounds of {args.saturation:g} s windows at saturation; {machine()}")
    if len(results) == 2:
        print(f"\n{'page':38} {'p95 county ms':>14} {'p95 school ms':>14} {'county/school':>14}")
        for label, row in results["county"]["realistic"].items():
            school = results["school"]["realistic"].get(label)
            if school:
                print(f"{label:38} {row['p95']:>14.1f} {school['p95']:>14.1f} {row['p95'] / school['p95']:>14.2f}")


if __name__ == "__main__":
    main()
