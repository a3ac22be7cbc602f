"""Logging in to the desk in a real browser: password, then the second factor, in Finnish."""

import re

import django_otp.oath
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_to_the_desk_with_a_second_factor(page, live_server, world):
    page.goto("/desk/")
    expect(page).to_have_url(re.compile(r"/login/\?next=(/|%2F)desk(/|%2F)$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.locator("#id_username").fill(world.coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))
    device = TOTPDevice.objects.get(user=world.coordinator)
    assert not device.confirmed
    token = django_otp.oath.TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.locator("#id_token").fill(f"{token:06d}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/desk/")
    expect(page.locator("#user-tools")).to_contain_text("Tervetuloa")
    device.refresh_from_db()
    assert device.confirmed


def test_wrong_second_factor_code_is_refused(page, live_server, world):
    from tests.browser.fixtures import plant_session

    plant_session(page, live_server, world.coordinator, verified=False)
    TOTPDevice.objects.create(user=world.coordinator, name="app", confirmed=True)
    page.goto("/desk/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))
    page.locator("#id_token").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_be_visible()
    page.goto("/desk/")
    expect(page).not_to_have_url(f"{live_server.url}/desk/")
