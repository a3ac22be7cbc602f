"""The public group pages pass axe-core's WCAG 2.1 A and AA rules in Chromium."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page):
    """Run axe-core, evaluated through the DevTools protocol so that the page's CSP stays strict.
    (main has the same helper as tests/browser/axe.py: use that one after the merge.)"""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]


def test_public_pages_are_accessible(page, world):
    world.group.public_description = "Monialainen asiantuntijaryhmä."
    world.group.save()
    for url in ("/groups/", f"/groups/{world.group.county.slug}/{world.group.slug}/"):
        page.goto(url)
        assert violations(page) == [], url
