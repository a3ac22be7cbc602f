"""The desk's case pages in Chromium: the coordinator accepts a case and publishes the agenda,
returns another and orders the agenda; an expert declares no conflict and reads the case and
its attachment."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import AccessAction, AccessLogEntry, CaseDeclaration, CaseState
from apps.haastavat_erot.services import agenda
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state
from tests.conftest import run_jobs
from tests.desk.case_helpers import add_attachment, assert_no_family_data

pytestmark = pytest.mark.browser


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_coordinator_accepts_a_case_and_publishes_the_agenda(page, live_server, world, mailbox, queue):
    case = case_in_state(world, CaseState.SUBMITTED)
    queue.empty()  # the booking's own e-mails are not this test's business
    world.coordinator.refresh_from_db()
    plant_session(page, live_server, world.coordinator)
    page.goto("/desk/")
    page.get_by_role("link", name=gettext("Incoming cases")).click()
    expect(page.locator(f'tr[data-case="{case.number}"]')).to_contain_text("Perustelu.")
    assert_accessible(page)
    page.get_by_role("link", name=case.number).click()
    page.locator("#accept-form").get_by_role("button", name=gettext("Accept onto the agenda")).click()
    expect(page).to_have_url(re.compile(rf"/agenda/{case.session_id}/$"))
    expect(page.locator(f'#agenda tr[data-case="{case.number}"]')).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=gettext("Publish to the experts")).click()
    expect(page.get_by_role("button", name=gettext("Publish again"))).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.SCHEDULED
    assert case.session.agenda_published_at is not None
    run_jobs()
    assert {m["To"] for m in mailbox} == {world.worker.email, world.chair.email, world.expert.email,
                                          world.expert2.email}
    assert_no_family_data(mailbox)


def test_expert_declares_and_reads_the_case(page, live_server, world):
    case = case_in_state(world, CaseState.SCHEDULED, declare=False)
    add_attachment(case, name="lausunto.pdf")
    world.expert.refresh_from_db()
    plant_session(page, live_server, world.expert)
    page.goto("/desk/")
    page.get_by_role("link", name=gettext("Agendas")).click()
    row = page.locator(f'tr[data-case="{case.number}"]')
    assert_accessible(page)
    row.get_by_label(gettext("No conflict of interest")).check()
    row.get_by_role("button", name=gettext("Declare")).click()
    link = page.get_by_role("link", name=gettext("Read case %(number)s") % {"number": case.number})
    link.click()
    expect(page.get_by_text("Miten tukea lasta vaihtotilanteissa?")).to_be_visible()
    expect(page.locator("#records-consent [data-allowed=yes]")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="lausunto.pdf").click()
    assert download.value.suggested_filename == "lausunto.pdf"
    assert CaseDeclaration.objects.get(case=case, user=world.expert).decision == "no_conflict"
    actions = set(AccessLogEntry.objects.filter(case=case, user=world.expert).values_list("action", flat=True))
    assert actions == {AccessAction.VIEW_BACKGROUND, AccessAction.DOWNLOAD_ATTACHMENT}


def test_coordinator_returns_one_case_and_orders_the_agenda(page, live_server, world):
    returned, first, second = (case_in_state(world, CaseState.SUBMITTED) for _ in range(3))
    for case in (first, second):
        agenda.case_schedule(case=case, by=world.coordinator)
    world.coordinator.refresh_from_db()
    plant_session(page, live_server, world.coordinator)
    page.goto(reverse("admin:haastavat_erot_case_review", args=[returned.pk]))
    page.locator("#id_return-reason").fill("Tarkenna kysymystä ryhmälle.")
    page.locator("#return-form").get_by_role("button", name=gettext("Return to the worker")).click()
    returned.refresh_from_db()
    assert returned.state == CaseState.RETURNED
    assert returned.background.return_reason == "Tarkenna kysymystä ryhmälle."

    page.goto(reverse("admin:haastavat_erot_case_agenda", args=[first.session_id]))
    rows = page.locator("#agenda tbody tr")
    expect(rows.first).to_have_attribute("data-case", first.number)
    page.get_by_role("button", name=gettext("Move %(number)s down") % {"number": first.number}).click()
    expect(page.locator("#agenda tbody tr").first).to_have_attribute("data-case", second.number)
    first.refresh_from_db(), second.refresh_from_db()
    assert second.agenda_position < first.agenda_position
    assert_accessible(page)
