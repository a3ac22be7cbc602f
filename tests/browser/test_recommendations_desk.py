"""The desk in a real browser: the coordinator records recommendations during the session and
marks the case handled; the chair signs them off; the worker is e-mailed a link."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import CaseState, RecommendationCategory
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs

pytestmark = pytest.mark.browser


def test_coordinator_records_and_chair_signs_off(page, live_server, world, mailbox, queue):
    case = case_in_state(world, CaseState.SCHEDULED)
    plant_session(page, live_server, world.coordinator)
    page.goto(reverse("admin:haastavat_erot_case_change", args=[case.pk]))
    page.get_by_role("link", name=gettext("Open the recommendations")).click()
    for category, text in [(RecommendationCategory.SERVICE_REFERRAL, "Ohjaus perheneuvolaan."),
                           (RecommendationCategory.POLICE_REPORT, "Tee rikosilmoitus poliisille.")]:
        page.get_by_label(gettext("Category")).select_option(category.value)
        page.get_by_label(gettext("Recommendation")).fill(text)
        page.get_by_role("button", name=gettext("Record the recommendation")).click()
        expect(page.locator("#recommendations")).to_contain_text(text)
    page.get_by_role("button", name=gettext("Mark the case handled")).click()
    expect(page.locator("#case-state")).to_have_text(str(CaseState.HANDLED.label))
    expect(page.get_by_role("button", name=gettext("Sign off the recommendations"))).to_have_count(0)

    page.context.clear_cookies()
    plant_session(page, live_server, world.chair)
    page.goto(reverse("admin:haastavat_erot_case_recommendations", args=[case.pk]))
    expect(page.locator("#recommendations")).to_contain_text("Tee rikosilmoitus poliisille.")
    page.get_by_role("button", name=gettext("Sign off the recommendations")).click()
    expect(page.locator("#signed-off")).not_to_have_text("–")
    expect(page.get_by_role("button", name=gettext("Record the recommendation"))).to_have_count(0)

    case.refresh_from_db()
    assert case.recommendations_signed_off_by == world.chair
    run_jobs()
    link = reverse("portal:case_recommendations", args=[case.pk])
    (ready,) = [m for m in mailbox.to(world.worker.email) if link in message_text(m)]
    assert "rikosilmoitus" not in message_text(ready) and "perheneuvola" not in message_text(ready)
