"""Loads the curated Grep subset (curriculum/data/grep_subset.json) so every install and test database
has a goal bank; `manage.py grep_refresh` loads the whole of Grep on top of it."""

from types import SimpleNamespace

from django.db import migrations


def load_subset(apps, schema_editor):
    from curriculum.bank import shipped_data, sync

    models = SimpleNamespace(**{name: apps.get_model("curriculum", name)
                                for name in ("Curriculum", "CurriculumSubject", "GoalSet", "CompetenceGoal")})
    sync(shipped_data(), models)


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_goal_bank")]

    operations = [migrations.RunPython(load_subset, migrations.RunPython.noop)]
