"""The statistics page in Chromium: Chart.js, served by the project under the page's Content
Security Policy, draws the charts from the json_script data (no inline script)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.fixtures import plant_session
from tests.statistics_seed import seed_statistics

pytestmark = pytest.mark.browser

SOCIAL_BAR = (0x1F, 0x5F, 0x8B)  # the first colour of statistics.js's palette


def test_statistics_charts_render(page, live_server, world, tmp_path):
    seed_statistics(world)
    problems = []
    page.on("console", lambda message: message.type == "error" and not message.location.get(
        "url", "").endswith("/favicon.ico") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    plant_session(page, live_server, world.coordinator)
    page.goto(f"/desk/statistics/?scope=g{world.group.pk}&year=2025&granularity=month")
    expect(page.locator("#statistics-table")).to_be_visible()
    expect(page.locator("#statistics-table tbody tr")).to_have_count(13)  # twelve months and the total
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-sectors') && Chart.getChart('chart-categories')")

    for chart_id in ("chart-sectors", "chart-categories"):
        canvas = page.locator(f"#{chart_id}")
        expect(canvas).to_be_visible()
        image = Image.open(io.BytesIO(canvas.screenshot(path=tmp_path / f"{chart_id}.png"))).convert("RGB")
        colours = {colour: count for count, colour in image.getcolors(maxcolors=image.width * image.height)}
        drawn = image.width * image.height - colours.get((255, 255, 255), 0)
        assert drawn > image.width * image.height // 100, chart_id  # axes, labels and bars: not blank
        assert colours.get(SOCIAL_BAR, 0) > 50, chart_id  # the bars themselves
    assert problems == []
