# The IKO-team role: a second school role, held like the IOP-admin role as a guardian object permission.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_student_left_on'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='school',
            options={'ordering': ['name'], 'permissions': [('administer_iop', 'Is IOP admin of the school'), ('follow_up_iko', "Is on the school's IKO team")], 'verbose_name': 'school', 'verbose_name_plural': 'schools'},
        ),
    ]
