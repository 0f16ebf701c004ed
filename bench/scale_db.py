"""PostgreSQL databases with scale data for the benches: created, migrated and filled once, then reused.

A bench process calls `ensure(name, schools, students)` before it calls
`django.setup()`, then `use(name)` to point Django at it.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
COUNTY = ("iop_bench_county", 30, 30000)
ONE_SCHOOL = ("iop_bench_school", 1, 1000)


def url(name: str) -> str:
    return f"{SERVER}/{name}"


def exists(name: str) -> bool:
    with psycopg.connect(url("postgres"), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop(name: str) -> None:
    with psycopg.connect(url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(name: str, *args: str) -> None:
    env = {**os.environ, "DEBUG": "True", "DATABASE_URL": url(name)}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure(name: str, schools: int, students: int, rebuild: bool = False) -> None:
    """Create the database with scale data unless it is already there (then say so)."""
    if rebuild:
        drop(name)
    if exists(name):
        print(f"# reusing database {name} (pass --rebuild to generate it again)", flush=True)
        return
    with psycopg.connect(url("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    try:
        manage(name, "migrate", "--noinput", "-v", "0")
        manage(name, "scale_data", "--schools", str(schools), "--students", str(students))
    except BaseException:
        drop(name)  # a half-built database would be reused by the next run
        raise
    with psycopg.connect(url(name), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    print(f"# {name}: generated in {time.perf_counter() - started:.0f} s", flush=True)


def use(name: str) -> None:
    """Point this process's Django at the database (before django.setup())."""
    os.environ["DATABASE_URL"] = url(name)
    os.environ.setdefault("DEBUG", "True")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
