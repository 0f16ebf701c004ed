"""Adds what the curated Grep subset now holds beyond 0005's: a second vocational programme area, Vg1 restaurant-
og matfag (RMF01-03, goal sets KV237 råvare, produksjon og kvalitet and KV238 bransje og arbeidsliv), and
mathematics 2P (MAT05-04, goal set KV46). Like 0004 and 0005 it may run after `manage.py grep_refresh` has loaded
the whole of Grep, so it only creates the rows the database lacks (`add_missing`): it changes no existing row and
expires no goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0005_shipped_subset_vg1_english_science")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
