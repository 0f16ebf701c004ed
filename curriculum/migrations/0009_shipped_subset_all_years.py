"""Adds what the curated Grep subset now holds beyond 0008's: the goals after the earlier years of the five common
core subjects of primary and lower secondary (MAT01-06 after every year from 2 to 9, NOR01-08, ENG01-06, NAT01-05
and SAF01-05 after years 2, 4 and 7; an IOP is often written after goals of an earlier year than the student's),
and five more subjects of primary and lower secondary after every year Grep sets goals for (KRO01-06, KHV01-03,
MHE01-03, MUS01-03, RLE01-04). Like 0004-0008 it may run after `manage.py grep_refresh` has loaded the whole of
Grep, so it only creates the rows the database lacks (`add_missing`): it changes no existing row and expires no
goal."""

from django.db import migrations

from curriculum.bank import add_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0008_shipped_subset_sak")]

    operations = [migrations.RunPython(add_shipped_subset, migrations.RunPython.noop)]
