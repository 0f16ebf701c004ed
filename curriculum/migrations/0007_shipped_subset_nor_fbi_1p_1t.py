"""Adds what the curated Grep subset now holds beyond 0006's: Norwegian in upper secondary (NOR01-08's goal sets
KV1111 Vg2 yrkesfaglige, KV1112 Vg2, KV1113 Vg1 and KV1114 Vg3 studieforberedende utdanningsprogram and KV1115 Vg3
påbygging til generell studiekompetanse), a third vocational programme area, Vg1 frisør, blomster, interiør og
eksponeringsdesign (FBI01-01, goal sets KV232 produktutvikling og produksjon and KV233 kommunikasjon, kunde og
arbeidsliv), mathematics 1P (MAT08-01, goal set KV31) and mathematics 1T (MAT09-02, goal set KV979). Like 0004-0006
it may run after `manage.py grep_refresh` has loaded the whole of Grep, so it only creates the rows the database
lacks (`add_missing`): it changes no existing row (NOR01-08 itself is 0002's) and expires no goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0006_shipped_subset_rmf_2p")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
