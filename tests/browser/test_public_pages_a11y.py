"""The public group pages pass axe-core's WCAG 2.1 A and AA rules in Chromium."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose Content Security Policy lets the test inject axe-core (the site's own pages
    get no such exception)."""
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, locale="fi-FI")
    yield context.new_page()
    context.close()


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run({runOnly: {type: 'tag', values: tags}})", WCAG)
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]


def test_public_pages_are_accessible(axe_page, world):
    world.group.public_description = "Monialainen asiantuntijaryhmä."
    world.group.save()
    for url in ("/groups/", f"/groups/{world.group.county.slug}/{world.group.slug}/"):
        axe_page.goto(url)
        assert violations(axe_page) == [], url
