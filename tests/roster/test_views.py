"""The import pages: upload, preview, apply, discard, by whom (docs/architecture.md §4)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import Student, User
from audit.exceptions import AccessForbidden, AccessHidden
from audit.models import AccessEvent
from roster import access as roster_access
from roster.models import ImportRun

from ..admin.verified import force_login_verified
from ..factories import UserFactory, request_as
from .helpers import BASE, NORDVIK_ORG_NUMBER, one_school, zipped
from .factories import ImportRunFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]


@pytest.fixture
def nordvik(school_a):
    """School A is Nordvik in the sample export (matched by its organisation number at the first import)."""
    school_a.org_number = NORDVIK_ORG_NUMBER
    school_a.save()
    return school_a


@pytest.fixture
def nordvik_zip(tmp_path):
    return zipped(one_school(BASE, tmp_path / "nordvik"))


def upload(client, data: bytes, name="eksport.zip", **fields):
    return client.post(reverse("roster:imports"), {"file": SimpleUploadedFile(name, data), **fields})


def test_iop_admin_checks_then_applies_their_schools_export(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    response = upload(client, nordvik_zip, school=nordvik.pk)
    run = ImportRun.objects.get()
    assert response.url == reverse("roster:detail", args=[run.pk])
    assert run.status == ImportRun.Status.CHECKED and not run.summary["errors"]
    assert not Student.objects.filter(school=nordvik).exists()  # the check changed nothing
    page = client.get(response.url)
    assert "Bruk importen" in page.content.decode()
    client.post(reverse("roster:apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and run.applied_by == admin
    assert Student.objects.filter(school=nordvik).count() == 8
    assert not run.file  # the upload (with identity numbers) is gone once applied


def test_the_imported_teachers_and_guardians_see_what_the_timetable_says(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    client.post(reverse("roster:apply", args=[ImportRun.objects.get().pk]))
    contact = User.objects.get(feide_id="kari.lunde@nordvik.vlfk.no")
    taught = set(accounts_access.students_taught_by(contact).values_list("group", flat=True))
    assert taught and Student.objects.filter(contact_teacher=contact).exists()
    for guardian in User.objects.filter(guardianships__student__school=nordvik).distinct():
        children = set(accounts_access.children_of(guardian))
        assert children == {g.student for g in guardian.guardianships.all() if not g.student.is_adult()}


def test_an_iop_admin_cannot_import_another_school(client, admin, nordvik):
    client.force_login(admin)
    upload(client, zipped(BASE), school=nordvik.pk)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED
    assert any(e["file"] == "orgs.csv" and "Bakketun" in e["message"] for e in run.summary["errors"])
    assert not Student.objects.exists()


def test_a_system_administrator_imports_every_school(client, nordvik):
    sysadmin = UserFactory(username="sys", is_superuser=True, is_staff=True)
    force_login_verified(client, sysadmin)
    upload(client, zipped(BASE))
    run = ImportRun.objects.get()
    assert run.school is None and run.status == ImportRun.Status.CHECKED
    client.post(reverse("roster:apply", args=[run.pk]))
    assert Student.objects.count() == 12
    assert AccessEvent.objects.filter(object_type="roster_import", action="changed").count() == 1


def test_a_superuser_without_the_second_factor_may_not_import(client):
    client.force_login(UserFactory(username="sys", is_superuser=True, is_staff=True))
    assert client.get(reverse("roster:imports")).status_code == 404


@pytest.mark.parametrize("name", ["teacher", "principal", "guardian", "stranger"])
def test_the_upload_page_does_not_exist_for_others(client, cast, name):
    client.force_login(cast[name])
    assert client.get(reverse("roster:imports")).status_code == 404
    assert upload(client, b"PK\x03\x04").status_code == 404
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("name, status", [("teacher", 403), ("principal", 403), ("other_admin", 404),
                                          ("guardian", 404), ("stranger", 404)])
def test_an_import_page_is_for_the_schools_iop_admin(client, cast, school_a, name, status):
    run = ImportRunFactory(school=school_a)
    client.force_login(cast[name])
    for url in (reverse("roster:detail", args=[run.pk]),):
        assert client.get(url).status_code == status
    assert client.post(reverse("roster:apply", args=[run.pk])).status_code == status
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED


def test_an_import_page_read_is_logged(client, admin, school_a):
    run = ImportRunFactory(school=school_a)
    client.force_login(admin)
    assert client.get(reverse("roster:detail", args=[run.pk])).status_code == 200
    assert AccessEvent.objects.filter(object_type="roster_import", object_id=str(run.pk), action="viewed").exists()


def test_applying_twice_applies_once(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    run = ImportRun.objects.get()
    client.post(reverse("roster:apply", args=[run.pk]))
    response = client.post(reverse("roster:apply", args=[run.pk]), follow=True)
    assert response.status_code == 200
    assert "Bare en kontrollert import uten feil kan tas i bruk." in response.content.decode()
    assert AccessEvent.objects.filter(object_type="roster_import", action="changed").count() == 1


def test_applying_an_import_discards_the_previews_made_before_it(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    upload(client, nordvik_zip, school=nordvik.pk)
    first, second = ImportRun.objects.order_by("pk")
    client.post(reverse("roster:apply", args=[second.pk]))
    first.refresh_from_db()
    assert first.status == ImportRun.Status.DISCARDED and not first.file
    response = client.post(reverse("roster:apply", args=[first.pk]), follow=True)
    assert "Bare en kontrollert import uten feil kan tas i bruk." in response.content.decode()


def test_a_preview_checked_before_another_import_was_applied_is_stale(client, admin, school_a):
    checked = ImportRunFactory(school=school_a, checked_at=timezone.now() - timedelta(minutes=5))
    ImportRunFactory(school=school_a, status=ImportRun.Status.APPLIED, applied_at=timezone.now())
    client.force_login(admin)
    response = client.post(reverse("roster:apply", args=[checked.pk]), follow=True)
    assert "Last opp filen på nytt" in response.content.decode()
    checked.refresh_from_db()
    assert checked.status == ImportRun.Status.CHECKED


def test_discarding_keeps_nothing(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    run = ImportRun.objects.get()
    client.post(reverse("roster:discard", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DISCARDED and not run.file
    assert client.post(reverse("roster:apply", args=[run.pk])).status_code == 302
    assert not Student.objects.filter(school=nordvik).exists()


def test_a_file_that_is_not_a_zip_is_a_form_error(client, admin, nordvik):
    client.force_login(admin)
    response = upload(client, b"sourcedId,name\n1,x\n", name="orgs.csv", school=nordvik.pk)
    assert response.status_code == 200
    assert "ikke et zip-arkiv" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_limit_is_a_form_error(client, admin, nordvik, settings):
    settings.ROSTER_UPLOAD_MAX_BYTES = 1000
    client.force_login(admin)
    response = upload(client, b"PK\x03\x04" + b"0" * 2000, school=nordvik.pk)
    assert response.status_code == 200 and not ImportRun.objects.exists()


def test_an_iop_admin_chooses_only_their_own_school(client, admin, nordvik, school_b, nordvik_zip):
    client.force_login(admin)
    response = upload(client, nordvik_zip, school=school_b.pk)
    assert response.status_code == 200 and not ImportRun.objects.exists()


def test_the_start_page_links_to_the_import_for_those_who_may(client, admin, teacher):
    client.force_login(admin)
    assert reverse("roster:imports") in client.get(reverse("start")).content.decode()
    client.force_login(teacher)
    assert reverse("roster:imports") not in client.get(reverse("start")).content.decode()


def test_the_list_and_the_single_import_agree_for_every_role(cast, school_a, school_b):
    """Whoever sees an import in the list may open it, and no one else."""
    runs = [ImportRunFactory(school=school_a), ImportRunFactory(school=school_b), ImportRunFactory(school=None)]
    for name, user in cast.items():
        listed = set(roster_access.imports_visible_to(user))
        for run in runs:
            try:
                roster_access.get_import_for(request_as(user), run.pk)
                opened = True
            except (AccessForbidden, AccessHidden):
                opened = False
            assert opened == (run in listed), (name, run.school)


def test_the_year_of_schooling_comes_in_with_the_students(client, admin, nordvik, nordvik_zip):
    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    client.post(reverse("roster:apply", args=[ImportRun.objects.get().pk]))
    assert set(Student.objects.filter(school=nordvik).values_list("grade_level", flat=True)) == {11}


def test_an_applied_import_makes_every_page_header_be_read_again(client, admin, nordvik, nordvik_zip,
                                                                 django_capture_on_commit_callbacks):
    """The import writes staff and guardians in bulk (no signal per row), so it forgets every header."""
    from django.core.cache import cache

    from accounts.header import EVERYONE_KEY

    client.force_login(admin)
    upload(client, nordvik_zip, school=nordvik.pk)
    checked = cache.get(EVERYONE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster:apply", args=[ImportRun.objects.get().pk]))
    assert cache.get(EVERYONE_KEY) not in (None, checked)
