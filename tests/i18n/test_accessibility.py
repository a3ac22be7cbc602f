"""axe-core (WCAG 2.1 A and AA) on every portal and public page, in each state, in Finnish,
Swedish and English: 0 violations. Each entry of PAGES brings the browser to one page state."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from apps.haastavat_erot.models import CaseState
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def as_visitor(page, live_server, world, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def as_worker(page, live_server, world, language):
    world.worker.language = language
    world.worker.save(update_fields=["language"])
    plant_session(page, live_server, world.worker)


def login_empty(page, live_server, world, language):
    as_visitor(page, live_server, world, language)
    page.goto(reverse("portal:login"))


def login_with_errors(page, live_server, world, language):
    login_empty(page, live_server, world, language)
    page.locator("#id_username").fill("nobody@hyvinvointialue.example")
    page.locator("#id_password").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def home_empty(page, live_server, world, language):
    as_worker(page, live_server, world, language)
    page.goto(reverse("portal:home"))


def home_with_cases(page, live_server, world, language):
    case_in_state(world, CaseState.DRAFT)
    case_in_state(world, CaseState.SCHEDULED)
    home_empty(page, live_server, world, language)


def case_after_submit(page, live_server, world, language):
    case = case_in_state(world, CaseState.SUBMITTED)
    as_worker(page, live_server, world, language)
    page.goto(reverse("portal:case_detail", args=[case.pk]))


def two_factor_enrolment(page, live_server, world, language):
    world.coordinator.language = language
    world.coordinator.save(update_fields=["language"])
    plant_session(page, live_server, world.coordinator, verified=False)
    page.goto(reverse("portal:two_factor"))


def public_groups(page, live_server, world, language):
    as_visitor(page, live_server, world, language)
    page.goto(reverse("portal:public_groups"))


def public_group(page, live_server, world, language):
    world.group.public_description = "Monialainen asiantuntijaryhmä."
    world.group.save()
    as_visitor(page, live_server, world, language)
    page.goto(reverse("portal:public_group", args=[world.group.county.slug, world.group.slug]))


PAGES = [public_groups, public_group, login_empty, login_with_errors, home_empty, home_with_cases, case_after_submit, two_factor_enrolment]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", PAGES, ids=lambda f: f.__name__)
def test_no_wcag_violations(page, live_server, world, state, language):
    state(page, live_server, world, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert axe_violations(page) == []
