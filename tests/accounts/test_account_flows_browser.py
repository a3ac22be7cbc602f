"""Getting an account in a real browser: self-registration with an allowed and a refused domain,
an expired link, an invitation from the desk, and a password reset. The links are read out of the
e-mails the real SMTP server received."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import Sector, User
from apps.haastavat_erot.notifications import ACCOUNT_MESSAGES
from tests.accounts.conftest import ALLOWED_DOMAIN, link_in
from tests.browser.fixtures import plant_session
from tests.conftest import message_text, run_jobs
from tests.factories import PASSWORD, UserFactory, county

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Uusi-vaativa-salasana-2026"


def submit(page):
    page.locator("main form button[type=submit]").click()


def fill_details(page, *, first="Liisa", last="Opettaja", sector=Sector.EDUCATION, password=NEW_PASSWORD):
    page.locator("#id_first_name").fill(first)
    page.locator("#id_last_name").fill(last)
    page.locator("#id_title").fill("Erityisopettaja")
    page.locator("#id_organisation").fill("Jyväskylän kaupunki, sivistystoimi")
    page.locator(f"input[name=sector][value={sector}]").check()
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    submit(page)


def ask_for_registration_link(page, address):
    page.goto("/login/")
    page.get_by_role("link", name=gettext("Register as a worker")).click()
    page.locator("#id_email").fill(address)
    submit(page)


def test_worker_registers_with_an_allowed_domain(page, live_server, mailbox, queue, allowed_domain):
    address = f"liisa.opettaja@{ALLOWED_DOMAIN}"
    ask_for_registration_link(page, "Liisa.Opettaja@" + ALLOWED_DOMAIN.upper())
    expect(page).to_have_url(f"{live_server.url}/register/sent/")
    assert not User.objects.filter(email=address).exists()  # nothing is stored before the address is verified

    run_jobs()
    [message] = mailbox.to(address)
    assert message["Subject"] == gettext("Confirm your e-mail address")
    link = link_in(message)
    page.goto(link)
    expect(page.locator("main")).to_contain_text(address)
    fill_details(page)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text(
        gettext("Your account has been created. You can now book a slot for a case."))
    user = User.objects.get(email=address)
    assert (user.first_name, user.title, user.sector) == ("Liisa", "Erityisopettaja", Sector.EDUCATION)
    assert user.organisation == "Jyväskylän kaupunki, sivistystoimi"
    assert user.home_county == county("KS") and user.is_active and not user.is_staff
    assert user.check_password(NEW_PASSWORD)

    # The link works once.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("h1")).to_have_text(gettext("The link does not work"))
    expect(page.locator("form #id_password1")).to_have_count(0)


def test_registration_with_a_refused_domain_sends_nothing(page, live_server, mailbox, queue, allowed_domain):
    ask_for_registration_link(page, "liisa.opettaja@gmail.com")
    expect(page).to_have_url(f"{live_server.url}/register/")
    expect(page.locator(".field .errorlist")).to_contain_text(gettext(
        "This e-mail domain is not open for registration. Ask the coordinator of the group for an invitation."))
    # A subdomain of an allowed domain is not allowed either.
    page.locator("#id_email").fill(f"liisa@koulu.{ALLOWED_DOMAIN}")
    submit(page)
    expect(page.locator(".field .errorlist")).to_be_visible()
    assert queue.count == 0
    run_jobs()
    assert len(mailbox) == 0
    assert not User.objects.filter(email__startswith="liisa").exists()


def test_an_expired_registration_link_is_refused(page, live_server, mailbox, queue, allowed_domain):
    address = f"pekka.kuraattori@{ALLOWED_DOMAIN}"
    ask_for_registration_link(page, address)
    expect(page).to_have_url(f"{live_server.url}/register/sent/")
    # The e-mail was written longer ago than the link's lifetime.
    with time_machine.travel(timezone.now() - timedelta(hours=settings.REGISTRATION_LINK_HOURS, minutes=1)):
        run_jobs()
    page.goto(link_in(mailbox.to(address)[0]))
    expect(page.locator("h1")).to_have_text(gettext("The link does not work"))
    expect(page.get_by_role("link", name=gettext("Register again"))).to_be_visible()
    assert not User.objects.filter(email=address).exists()


def test_coordinator_invites_a_worker_from_outside_the_allowed_domains(page, live_server, mailbox, queue, world):
    address = "rehtori@koulu.example"
    plant_session(page, live_server, world.coordinator)
    page.goto("/desk/haastavat_erot/case/")
    page.get_by_role("link", name=gettext("Invite a worker")).click()
    page.locator("#id_email").fill(address)
    page.locator("#id_group").select_option(str(world.group.pk))
    page.locator("#content-main input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text(gettext("The invitation has been sent."))

    run_jobs()
    [message] = mailbox.to(address)
    assert message["Subject"] == gettext("Invitation to the consultation groups' service")
    assert world.group.name not in message_text(message)  # a link, nothing else
    page.context.clear_cookies()
    page.goto(link_in(message))
    fill_details(page, first="Reijo", last="Rehtori")

    expect(page).to_have_url(f"{live_server.url}/")
    user = User.objects.get(email=address)
    assert user.home_county == world.group.county
    assert user.check_password(NEW_PASSWORD)


def test_invitation_to_an_address_with_an_account_tells_only_its_owner(page, live_server, mailbox, queue, world):
    plant_session(page, live_server, world.coordinator)
    page.goto("/desk/haastavat_erot/user/invite/")
    page.locator("#id_email").fill(world.worker.email.upper())
    page.locator("#content-main input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text(gettext("The invitation has been sent."))
    run_jobs()
    [message] = mailbox.to(world.worker.email)
    assert str(ACCOUNT_MESSAGES["invitation_account_exists"][1]) in message_text(message)
    assert link_in(message) == "/login/"


def test_worker_resets_a_forgotten_password(page, live_server, mailbox, queue):
    user = UserFactory()
    page.goto("/login/")
    page.get_by_role("link", name=gettext("Forgot your password?")).click()
    page.locator("#id_email").fill(user.email)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/password-reset/sent/")

    run_jobs()
    [message] = mailbox.to(user.email)
    assert message["Subject"] == gettext("Reset your password")
    link = link_in(message)
    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/password-reset/done/")

    page.get_by_role("link", name=gettext("Log in")).last.click()
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(NEW_PASSWORD)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)

    # The link works once.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("main")).to_contain_text(gettext("The link has expired, has already been used, or is "
                                                         "incomplete."))
    expect(page.locator("#id_new_password1")).to_have_count(0)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(page, live_server, mailbox, queue):
    page.goto("/password-reset/")
    page.locator("#id_email").fill("nobody@hyvinvointialue.example")
    submit(page)
    expect(page).to_have_url(re.compile(r"/password-reset/sent/$"))
    run_jobs()
    assert len(mailbox) == 0
