"""A worker books a slot and records two guardians' consent in a real browser, without JavaScript."""

import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import Case, ConsentMethod
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session

pytestmark = pytest.mark.browser


def choose(page, legend, option):
    page.locator("fieldset", has_text=legend).get_by_label(option, exact=True).check()


def record_consent(page, name):
    page.get_by_role("link", name=gettext("Record a guardian's consent")).click()
    page.get_by_label(gettext("Guardian's name")).fill(name)
    choose(page, gettext("Consent to handling the case in the group"), gettext("Given"))
    choose(page, gettext("Consent to the experts studying the family's records in their own organisations"),
           gettext("Given"))
    page.get_by_label(gettext("Date"), exact=False).fill(timezone.localdate().isoformat())
    page.get_by_label(gettext("How it was given")).select_option(ConsentMethod.SIGNED_FORM)
    page.get_by_role("button", name=gettext("Save the consent")).click()


def test_worker_books_a_slot_and_records_two_guardians_consent(page, live_server, world):
    session = world.sessions[1]
    plant_session(page, live_server, world.worker)
    page.goto("/")
    page.get_by_role("link", name=gettext("Book a slot")).click()
    page.get_by_label(gettext("Wellbeing services county")).select_option(world.group.county.slug)
    page.get_by_role("button", name=gettext("Show groups")).click()
    page.get_by_role("link", name=world.group.name).click()
    page.locator(f'tr[data-session="{session.pk}"]').get_by_role("link").click()

    expect(page.locator(f'input[name="session"][value="{session.pk}"]')).to_be_checked()
    page.get_by_role("button", name=gettext("Book the slot")).click()  # nothing answered yet
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    choose(page, gettext("Have you first raised the concern openly with the guardians (and the child)?"),
           gettext("Yes"))
    choose(page, gettext("Have the basic services already been tried?"), gettext("Yes"))
    choose(page, gettext("Has the group discussed this family before?"), gettext("No"))
    page.get_by_label(gettext("Why does the case need the group?")).fill("Riita jatkuu tuesta huolimatta.")
    page.get_by_role("button", name=gettext("Book the slot")).click()

    case = Case.objects.get(worker=world.worker)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_contain_text(case.number)
    record_consent(page, "Maija Meikäläinen")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    page.get_by_role("link", name=gettext("Record a guardian's consent")).click()
    assert axe_violations(page) == []
    page.go_back()
    record_consent(page, "Matti Meikäläinen")

    consents = page.locator("section[aria-labelledby=consents-heading] tbody tr")
    expect(consents).to_have_count(2)
    expect(consents.nth(0)).to_contain_text("Maija Meikäläinen")
    expect(consents.nth(1)).to_contain_text("Matti Meikäläinen")
    expect(page.locator(".summary").first).to_contain_text(gettext("Named"))
    case.refresh_from_db()
    assert case.session == session and not case.is_anonymous and case.consents.count() == 2
