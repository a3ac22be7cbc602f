"""The account pages pass axe-core's WCAG 2.1 A/AA rules, with and without form errors."""

from pathlib import Path

import pytest

from apps.haastavat_erot.services import accounts
from tests.accounts.conftest import ALLOWED_DOMAIN

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as an inline script, which the CSP rightly forbids to the site itself.
    context = browser.new_context(locale="fi-FI", base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(f"async () => (await axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}}}))"
                         ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")


def test_account_pages_are_accessible(axe_page, allowed_domain):
    token = accounts.make_link_token(accounts.REGISTER, address=f"uusi@{ALLOWED_DOMAIN}",
                                     county_id=allowed_domain.county_id)
    for path in ["/register/", "/register/sent/", f"/register/{token}/", "/register/vanha/", "/password-reset/",
                 "/password-reset/MQ/vanha-linkki/"]:
        axe_page.goto(path)
        assert violations(axe_page) == [], path
    # With errors shown.
    axe_page.goto(f"/register/{token}/")
    axe_page.locator("main form button[type=submit]").click()
    axe_page.locator(".error-summary").wait_for()
    assert violations(axe_page) == []
    axe_page.goto("/register/")
    axe_page.locator("#id_email").fill("joku@gmail.com")
    axe_page.locator("main form button[type=submit]").click()
    axe_page.locator(".error-summary").wait_for()
    assert violations(axe_page) == []
