"""Bokmål by default; the language switcher changes and remembers the language."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.admin.verified import pass_second_factor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def switch(client, language):
    return client.post(reverse("set_language"), {"language": language, "next": reverse("login")})


def test_bokmal_is_the_default(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="nb"' in html and "Logg inn i IOP" in html


@pytest.mark.parametrize(
    "language, heading, skip_link",
    [
        ("nn", "Logg inn i IOP", "Hopp til hovudinnhaldet"),
        ("en", "Log in to IOP", "Skip to main content"),
        ("nb", "Logg inn i IOP", "Hopp til hovedinnholdet"),
    ],
)
def test_switcher_changes_the_language_and_remembers_it(client, language, heading, skip_link):
    response = switch(client, language)
    assert response.status_code == 302 and response.url == reverse("login")
    html = client.get(reverse("login")).content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html and skip_link in html


def test_unknown_language_keeps_bokmal(client):
    switch(client, "xx")
    assert '<html lang="nb"' in client.get(reverse("login")).content.decode()


def test_logged_in_pages_follow_the_choice(client, admin, school_a):
    client.force_login(admin)
    switch(client, "en")
    assert f"Students at {school_a.name}" in client.get(reverse("start")).content.decode()


def test_the_choice_follows_the_user_to_another_device(client, admin, school_a):
    from django.test import Client

    client.force_login(admin)
    switch(client, "nn")
    admin.refresh_from_db()
    assert admin.language == "nn"

    other_device = Client()
    other_device.post(reverse("login"), {"username": admin.username, "password": PASSWORD})
    pass_second_factor(other_device, admin)
    assert f"Elevar ved {school_a.name}" in other_device.get(reverse("start")).content.decode()


def test_a_user_who_never_chose_gets_bokmal_at_login(client, admin, school_a):
    client.post(reverse("login"), {"username": admin.username, "password": PASSWORD})
    pass_second_factor(client, admin)
    assert f"Elever ved {school_a.name}" in client.get(reverse("start")).content.decode()


def po_entries(path):
    """(msgid, translations, flags) of each entry of a .po file (enough of the format for this check)."""
    entry, key = {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith(("msgctxt ", "msgid", "msgstr")):
            key, _, text = line.partition(" ")
            entry[key] = json.loads(text)
        elif line.startswith('"') and key:
            entry[key] += json.loads(line)
        elif not line.strip() and entry:
            if entry.get("msgid"):
                translations = [v for k, v in entry.items() if k.startswith("msgstr")]
                yield entry["msgid"], translations, entry.get("flags", "")
            entry, key = {}, None


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_ui_string_is_translated(language):
    catalogue = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    untranslated = [msgid for msgid, translations, flags in po_entries(catalogue)
                    if "fuzzy" in flags or not all(translations)]
    assert untranslated == []
