"""A long text survives a reload (or an expired login) as a draft in the browser tab."""

import pytest

from iop.models import Plan
from tests.iop.factories import PlanFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_unsaved_part1_text_is_restored_after_reload(page, live_server, admin, minor):
    plan = PlanFactory(student=minor, stage=Plan.Stage.DRAFT, framework_factors="")
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/iop/{plan.pk}/del1/")
    page.get_by_label("Rammefaktorer").fill("Liten gruppe i matematikk, PC med opplesing.")
    page.wait_for_timeout(800)  # the script saves after a short pause in typing
    page.reload()
    assert page.get_by_label("Rammefaktorer").input_value() == "Liten gruppe i matematikk, PC med opplesing."
    assert page.get_by_text("Et utkast du ikke lagret, er hentet fram igjen.").is_visible()
