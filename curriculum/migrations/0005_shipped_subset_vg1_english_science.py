"""Adds what the curated Grep subset now holds beyond 0004's: English Vg1 (ENG01-06 goal sets KV1034,
yrkesfaglige utdanningsprogram, and KV1035, studieforberedende) and the rest of naturfag in upper secondary
(NAT01-05 goal sets KV1079-KV1085 and KV1087-KV1089 for Vg1, KV1090 for Vg3 påbygging). Like 0004 it may run
after `manage.py grep_refresh` has loaded the whole of Grep, so it only creates the rows the database lacks
(`add_missing`): it changes no existing row and expires no goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0004_shipped_subset_upper_secondary")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
