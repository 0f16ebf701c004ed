"""Adds what the curated Grep subset now holds beyond 0007's: social studies in upper secondary, the common core
subject samfunnskunnskap in Vg1/Vg2 of both the studieforberedende and the yrkesfaglige utdanningsprogram
(SAK01-01, Læreplan i samfunnskunnskap fellesfag vg1/vg2, goal set KV48). Like 0004-0007 it may run after
`manage.py grep_refresh` has loaded the whole of Grep, so it only creates the rows the database lacks
(`add_missing`): it changes no existing row and expires no goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0007_shipped_subset_nor_fbi_1p_1t")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
