"""The account pages pass axe-core's WCAG 2.1 A/AA rules (tests/browser/axe.py), empty and with
form errors."""

import pytest
from playwright.sync_api import expect

from apps.haastavat_erot.services import accounts
from tests.accounts.conftest import ALLOWED_DOMAIN
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser


def test_account_pages_are_accessible(page, allowed_domain):
    token = accounts.make_link_token(accounts.REGISTER, address=f"uusi@{ALLOWED_DOMAIN}",
                                     county_id=allowed_domain.county_id)
    for path in ["/register/", "/register/sent/", f"/register/{token}/", "/register/vanha/", "/password-reset/",
                 "/password-reset/MQ/vanha-linkki/"]:
        page.goto(path)
        assert axe_violations(page) == [], path
    # With errors shown.
    page.goto(f"/register/{token}/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/register/")
    page.locator("#id_email").fill("joku@gmail.com")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
