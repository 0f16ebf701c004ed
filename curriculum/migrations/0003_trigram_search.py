"""On PostgreSQL, trigram indexes for the goal search (LIKE '%word%' on search_nb/nn/en): at Grep's full
size a search across all curricula is otherwise a scan of every goal (bench/goal_bank.py). pg_trgm is a
trusted extension (PostgreSQL 13+); where the role may not create it, the search still works, unindexed."""

from django.db import migrations, transaction

LANGUAGES = ("nb", "nn", "en")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no right to create it: leave the search unindexed
        return
    for language in LANGUAGES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS curriculum_goal_search_{language}_trgm "
            f"ON curriculum_competencegoal USING gin (search_{language} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS curriculum_goal_search_{language}_trgm")


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0002_shipped_subset")]

    operations = [migrations.RunPython(create, drop)]
