"""The school's IOP settings page: the scale's names, the deadline rules and the year's due dates."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import SchoolYear
from audit.models import AccessEvent
from iop.deadlines import dates_for, settings_for
from iop.models import SchoolSettings, SchoolYearDeadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return SchoolYear.objects.current(create=True)


def settings_url(school):
    return reverse("iop:school_settings", args=[school.pk])


def post_data(year, **changes):
    data = {
        "settings-scale_1": "", "settings-scale_2": "På vei", "settings-scale_3": "", "settings-scale_4": "",
        "settings-plan_weeks_after_decision": "4", "settings-approval_days": "10",
        "dates-half_year_due": f"{year.start_year + 1}-01-20", "dates-annual_due": f"{year.start_year + 1}-06-10",
    }
    return {**data, **changes}


def test_an_iop_admin_saves_the_settings_and_the_change_is_logged(client, admin, school_a, year):
    client.force_login(admin)
    response = client.post(settings_url(school_a), post_data(year))
    assert response.status_code == 302
    saved = SchoolSettings.objects.get(school=school_a)
    assert (saved.plan_weeks_after_decision, saved.approval_days, saved.scale_2) == (4, 10, "På vei")
    assert saved.scale()[1] == (2, "På vei")
    assert dates_for(school_a, year).half_year_due == date(year.start_year + 1, 1, 20)
    assert AccessEvent.objects.filter(object_type="iop_settings", action="changed", school=school_a).count() == 1
    # Saving again updates the same rows.
    client.post(settings_url(school_a), post_data(year, **{"settings-approval_days": "20"}))
    assert SchoolSettings.objects.get(school=school_a).approval_days == 20
    assert SchoolYearDeadlines.objects.filter(school=school_a).count() == 1


@pytest.mark.parametrize("changes", [
    {"dates-half_year_due": "2001-01-20"},  # outside the school year
    {"dates-annual_due": "not a date"},
    {"dates-half_year_due": "{next}-06-20", "dates-annual_due": "{next}-01-10"},  # annual before half-year
    {"settings-plan_weeks_after_decision": "0"},
    {"settings-plan_weeks_after_decision": "500"},
    {"settings-approval_days": "-3"},
])
def test_bad_values_are_a_400_and_nothing_is_saved(client, admin, school_a, year, changes):
    changes = {k: v.format(next=year.start_year + 1) for k, v in changes.items()}
    client.force_login(admin)
    response = client.post(settings_url(school_a), post_data(year, **changes))
    assert response.status_code == 400
    assert not SchoolSettings.objects.exists() and not SchoolYearDeadlines.objects.exists()
    assert not AccessEvent.objects.filter(object_type="iop_settings").exists()


def test_next_august_the_form_offers_last_years_dates_moved_on(client, admin, school_a, year):
    last = SchoolYear.objects.create(start_year=year.start_year - 1)
    SchoolYearDeadlines.objects.create(school=school_a, school_year=last, half_year_due=date(year.start_year, 1, 20))
    client.force_login(admin)
    html = client.get(settings_url(school_a)).content.decode()
    assert f'value="{year.start_year + 1}-01-20"' in html
    assert 'id="dates-carried-over"' in html


@pytest.mark.parametrize("name,status", [("teacher", 403), ("principal", 403), ("other_admin", 404),
                                         ("guardian", 404)])
def test_only_the_schools_iop_admins_change_the_settings(client, cast, school_a, year, name, status):
    client.force_login(cast[name])
    assert client.post(settings_url(school_a), post_data(year)).status_code == status
    assert not SchoolSettings.objects.exists()


def test_a_school_without_settings_uses_the_defaults(school_a):
    assert settings_for(school_a).pk is None
