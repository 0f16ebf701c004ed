"""Adds what the curated Grep subset now holds beyond 0002's: NAT01-05's goal set for Vg1 håndverk, design og
produktutvikling (KV1086) and SSR02-01, Vg2 salg, service og reiseliv. Unlike 0002 it may run after
`manage.py grep_refresh` has loaded the whole of Grep, so it only creates the rows the database lacks
(`add_missing`): it changes no existing row and expires no goal."""

from types import SimpleNamespace

from django.db import migrations


def add_subset(apps, schema_editor):
    from curriculum.bank import add_missing, shipped_data

    models = SimpleNamespace(**{name: apps.get_model("curriculum", name)
                                for name in ("Curriculum", "CurriculumSubject", "GoalSet", "CompetenceGoal")})
    add_missing(shipped_data(), models)


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0003_trigram_search")]

    operations = [migrations.RunPython(add_subset, migrations.RunPython.noop)]
