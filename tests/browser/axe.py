"""axe-core (from npm, node_modules/axe-core) injected into Debian's Chromium: an automated
WCAG 2.1 A and AA audit of the page as it is now."""

from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page):
    """Run axe on the current page; return readable violations ([] when it passes).

    The script is evaluated through the DevTools protocol, so the page's own CSP (no inline
    scripts) stays as strict as in production."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{page.url} [{v['id']}] {v['help']}: " + "; ".join(node["target"][0] if isinstance(node["target"][0], str)
                                                          else str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
