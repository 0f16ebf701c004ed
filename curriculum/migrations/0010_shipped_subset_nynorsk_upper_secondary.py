"""Gives the goals of mathematics 1P, 1T and 2P and of samfunnskunnskap (MAT08-01 KV31, MAT09-02 KV979, MAT05-04 KV46,
SAK01-01 KV48) their nynorsk texts, which the shipped subset now holds. Only a goal without a nynorsk text gets one
(`fill_missing_titles`): after `manage.py grep_refresh` the database's own texts stay as they are."""

from django.db import migrations

from curriculum.bank import fill_missing_titles, on_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0009_shipped_subset_all_years")]

    operations = [migrations.RunPython(on_shipped_subset(fill_missing_titles), migrations.RunPython.noop)]
