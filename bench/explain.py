"""EXPLAIN ANALYZE of every query behind the busiest pages, at county scale.

    DEBUG=True .venv/bin/python bench/explain.py            # the county database of bench/load.py
    DEBUG=True .venv/bin/python bench/explain.py --verbose  # also each query's plan, indented
    DEBUG=True .venv/bin/python bench/explain.py --generic  # the generic plans of prepared statements

It opens the pages as real users of the scale data (the test client, in this process), records
the queries each page makes, and runs EXPLAIN (ANALYZE, FORMAT JSON) on each: the student list of
an IOP admin (the school with most students), a teacher's start page (the teacher with most
enrollments), a guardian's start page, the IOP page for each of them, which runs the access
checks, and the IOP overview of the school with most students. Per query it prints the estimated
and the actual rows of the top plan node and the time; a sequential scan of a table with more than
--big rows is flagged (it would grow with the county), and the plan of any query slower than --slow
ms is shown.
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_db  # noqa: E402


def pick_pages() -> list[tuple[str, object, str]]:
    from django.db.models import Count
    from django.urls import reverse

    from accounts.access import IOP_ADMIN_PERMISSION
    from accounts.models import Guardianship, SchoolUserObjectPermission, User
    from iop.access import plans_visible_to
    from iop.models import Plan

    grants = SchoolUserObjectPermission.objects.filter(permission__codename=IOP_ADMIN_PERMISSION).annotate(
        students=Count("content_object__students"))
    largest = grants.order_by("-students").first()
    admin = largest.user
    teacher = User.objects.annotate(n=Count("teaching_enrollments")).order_by("-n").first()
    guardian = Guardianship.objects.filter(
        student__plans__stage__gte=Plan.Stage.STUDENT_AND_GUARDIANS).order_by("pk").first().guardian
    pages = []
    for role, user in (("IOP admin", admin), ("teacher", teacher), ("guardian", guardian)):
        pages.append((f"start page, {role}", user, reverse("start")))
        plan = plans_visible_to(user).order_by("pk").first()
        if plan:
            pages.append((f"IOP page, {role}", user, reverse("iop:plan_detail", args=[plan.pk])))
    pages.append(("IOP overview, IOP admin", admin, reverse("iop:school_overview", args=[largest.content_object_id])))
    return pages


def captured_queries(user, url: str) -> list[tuple[str, tuple]]:
    """The page's SELECTs as Django sends them: the SQL with %s placeholders, and the parameters."""
    from django.db import connection
    from django.test import Client

    queries = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip("( ").upper().startswith("SELECT"):  # a UNION starts with "("
            queries.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    client = Client()
    client.force_login(user)
    with connection.execute_wrapper(keep):
        status = client.get(url).status_code
    assert status == 200, (url, status)
    return queries


def big_tables(threshold: int) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
                       [threshold])
        return dict(cursor.fetchall())


def explain(sql: str, params: tuple, *, generic: bool = False) -> dict:
    """EXPLAIN ANALYZE of the query with its parameters; `generic`: of the generic plan PostgreSQL may
    choose for a prepared statement (DB_PREPARED_STATEMENTS), the plan made without the values."""
    from django.db import connection
    from psycopg import sql as pg_sql

    with connection.cursor() as cursor:
        if not generic:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            output = cursor.fetchone()[0]
        else:
            cursor.execute("PREPARE bench_generic AS " + numbered_placeholders(sql))
            try:
                cursor.execute("SET plan_cache_mode = force_generic_plan")
                values = pg_sql.SQL(", ").join(pg_sql.Literal(value) for value in params)
                statement = pg_sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE bench_generic")
                cursor.execute(pg_sql.SQL("{} ({})").format(statement, values) if params else statement)
                output = cursor.fetchone()[0]
            finally:
                cursor.execute("RESET plan_cache_mode")
                cursor.execute("DEALLOCATE bench_generic")
    return (json.loads(output) if isinstance(output, str) else output)[0]


def numbered_placeholders(sql: str) -> str:
    """Django's %s placeholders as PostgreSQL's $1, $2, … (and %% as %), for PREPARE."""
    counter = iter(range(1, 10_000))
    return re.sub(r"%[s%]", lambda match: "%" if match.group() == "%%" else f"${next(counter)}", sql)


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def describe(plan: dict, depth: int = 0) -> list[str]:
    relation = f" on {plan['Relation Name']}" if "Relation Name" in plan else ""
    index = f" using {plan['Index Name']}" if "Index Name" in plan else ""
    line = (f"{'  ' * depth}{plan['Node Type']}{relation}{index} "
            f"(est. {plan['Plan Rows']} rows, actual {plan['Actual Rows']} × {plan['Actual Loops']}, "
            f"{plan['Actual Total Time']:.2f} ms)")
    return [line] + [text for child in plan.get("Plans", []) for text in describe(child, depth + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=scale_db.COUNTY[0])
    parser.add_argument("--big", type=int, default=10_000, help="rows from which a sequential scan is flagged")
    parser.add_argument("--slow", type=float, default=5.0, help="ms from which a query's plan is shown")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--generic", action="store_true",
                        help="the generic plans of prepared statements (plan_cache_mode=force_generic_plan)")
    args = parser.parse_args()
    scale_db.use(args.database)
    import django

    django.setup()

    big = big_tables(args.big)
    flagged = 0
    for label, user, url in pick_pages():
        queries = captured_queries(user, url)
        print(f"\n## {label} ({url}): {len(queries)} SELECTs")
        for number, (sql, params) in enumerate(queries, 1):
            result = explain(sql, params, generic=args.generic)
            top = result["Plan"]
            scans = [n["Relation Name"] for n in nodes(top) if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in big]
            flagged += len(scans)
            warning = f"  SEQ SCAN of big table(s): {', '.join(scans)}" if scans else ""
            if "JIT" in result:
                warning += f"  JIT {result['JIT']['Timing']['Total']:.1f} ms"
            print(f"{number:>3}. est. {top['Plan Rows']:>6} rows, actual {top['Actual Rows']:>6}, "
                  f"{result['Execution Time']:>7.2f} ms  {sql[:70].replace(chr(10), ' ')}…{warning}")
            slow = result["Execution Time"] > args.slow
            if slow:
                print(f"       SLOW (over {args.slow} ms):")
            if args.verbose or scans or slow:
                print(f"       {sql}")
                print("\n".join("       " + line for line in describe(top)))
    print(f"\n{flagged} sequential scan(s) of tables over {args.big} rows "
          f"({', '.join(f'{name} {rows}' for name, rows in sorted(big.items()))})")


if __name__ == "__main__":
    main()
