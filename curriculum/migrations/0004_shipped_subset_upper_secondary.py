"""Adds what the curated Grep subset now holds beyond 0002's: NAT01-05's goal set for Vg1 håndverk, design og
produktutvikling (KV1086) and SSR02-01, Vg2 salg, service og reiseliv. Unlike 0002 it may run after
`manage.py grep_refresh` has loaded the whole of Grep, so it only creates the rows the database lacks
(`add_missing`): it changes no existing row and expires no goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0003_trigram_search")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
