"""Links the subject codes the shipped subset now names to their curricula (MAT1019 to MAT08-01, MAT1023 to
MAT05-04, SAK1001 to SAK01-01), so a part-2 page of such a subject starts its goal-bank search at its curriculum.
Only a curriculum without any subject code gets them (`fill_missing_subject_codes`): after `manage.py
grep_refresh` the database has Grep's own links and keeps them."""

from django.db import migrations

from curriculum.bank import fill_missing_subject_codes, on_shipped_subset


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0010_shipped_subset_nynorsk_upper_secondary")]

    operations = [migrations.RunPython(on_shipped_subset(fill_missing_subject_codes), migrations.RunPython.noop)]
