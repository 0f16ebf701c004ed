"""Loads the curated Grep subset (curriculum/data/grep_subset.json) so every install and test database
has a goal bank; `manage.py grep_refresh` loads the whole of Grep on top of it."""

from django.db import migrations


def load_subset(apps, schema_editor):
    from curriculum.bank import historical_models, shipped_data, sync

    sync(shipped_data(), historical_models(apps))


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_goal_bank")]

    operations = [migrations.RunPython(load_subset, migrations.RunPython.noop)]
