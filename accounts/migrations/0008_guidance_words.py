# Written by hand: the GuidanceWord model and the default word lists (owner blank) in nb, nn and en.

from django.db import migrations, models

# Judgements of a person's character and offensive words (seed 003, «Fritextfält»). A county or
# municipality adds its own in the Django admin; these are the default list for everyone.
STARTING_WORDS = {
    "nb": [
        "lat", "doven", "dum", "teit", "idiot", "idiotisk", "håpløs", "umulig", "slem", "frekk", "uforskammet",
        "problembarn", "bråkmaker", "sær", "rar", "treg", "uoppdragen", "bortskjemt", "ubrukelig", "sløv",
        "tosk", "tulling", "evneveik", "sprø", "vanskelig barn",
    ],
    "nn": [
        "lat", "doven", "dum", "teit", "idiot", "idiotisk", "håplaus", "umogleg", "slem", "frekk", "uforskamma",
        "problembarn", "bråkmakar", "sær", "rar", "treg", "uoppdregen", "uoppdragen", "bortskjemd", "ubrukeleg",
        "sløv", "tosk", "tulling", "evneveik", "sprø", "vanskeleg barn",
    ],
    "en": [
        "lazy", "stupid", "dumb", "idiot", "idiotic", "hopeless", "impossible", "naughty", "rude", "troublemaker",
        "weird", "slow", "spoiled", "spoilt", "useless", "moron", "brat", "nasty", "crazy", "problem child",
    ],
}


def add_starting_words(apps, schema_editor):
    GuidanceWord = apps.get_model("accounts", "GuidanceWord")
    GuidanceWord.objects.bulk_create(
        [GuidanceWord(owner_name="", language=language, word=word)
         for language, words in STARTING_WORDS.items() for word in words],
        ignore_conflicts=True,
    )


def remove_starting_words(apps, schema_editor):
    GuidanceWord = apps.get_model("accounts", "GuidanceWord")
    for language, words in STARTING_WORDS.items():
        GuidanceWord.objects.filter(owner_name="", language=language, word__in=words).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_case_creator_role_and_leaves_on'),
    ]

    operations = [
        migrations.CreateModel(
            name='GuidanceWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('owner_name', models.CharField(blank=True, help_text="The county or municipality, as in the schools' owner's name. Blank: the default list for everyone.", max_length=200, verbose_name="owner's name")),
                ('language', models.CharField(choices=[('nb', 'Norsk bokmål'), ('nn', 'Norsk nynorsk'), ('en', 'English')], max_length=10, verbose_name='language')),
                ('word', models.CharField(help_text='Matched as a whole word, whatever the case.', max_length=100, verbose_name='word')),
            ],
            options={
                'verbose_name': 'guidance word',
                'verbose_name_plural': 'guidance words',
                'ordering': ['owner_name', 'language', 'word'],
                'constraints': [models.UniqueConstraint(fields=('owner_name', 'language', 'word'), name='guidance_word_unique')],
            },
        ),
        migrations.RunPython(add_starting_words, remove_starting_words),
    ]
