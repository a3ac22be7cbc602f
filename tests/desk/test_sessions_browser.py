"""The coordinator creates a year of sessions in a real browser and reads the month calendar."""

import calendar
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import Session
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session

pytestmark = pytest.mark.browser

def test_coordinator_creates_a_year_of_sessions(page, live_server, world):
    year = timezone.localdate().year + 1
    tuesdays = [d for d in calendar.Calendar().itermonthdates(year, 3) if d.month == 3 and d.weekday() == 1]
    first = tuesdays[1]  # the second Tuesday of March: the year crosses both DST changes
    plant_session(page, live_server, world.coordinator)
    page.goto("/desk/haastavat_erot/session/")
    page.get_by_role("link", name=gettext("Create a year of sessions")).click()
    page.get_by_label(gettext("Group")).select_option(str(world.group.pk))
    page.get_by_label(gettext("Date of the first session")).fill(first.isoformat())
    page.get_by_label(gettext("Same weekday of the same week of each month (e.g. the second Tuesday)")).check()
    page.get_by_label(gettext("Starts at")).fill("13:00")
    page.get_by_label(gettext("Case slots")).fill("5")
    page.get_by_label(gettext("Place or video link")).fill("Kokoushuone Kuusi")
    assert axe_violations(page) == []
    page.get_by_role("button", name=gettext("Create the sessions")).click()

    expect(page).to_have_url(re.compile(rf"/session/calendar/{world.group.pk}/\?month={year}-03$"))
    expect(page.locator(".messagelist")).to_contain_text("12")
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text(world.group.name)
    cell = table.locator("td.he-has-session")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text("13:00")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(str(year))).filter(has_text="→").click()
    expect(table.locator("td.he-has-session")).to_have_count(1)

    created = Session.objects.filter(group=world.group, place="Kokoushuone Kuusi")
    assert created.count() == 12
    assert {(timezone.localtime(s.starts_at).hour, s.capacity) for s in created} == {(13, 5)}


def test_county_admin_adds_a_member_with_a_role(page, live_server, world):
    from apps.haastavat_erot.models import Membership, Role

    plant_session(page, live_server, world.county_admin)
    page.goto("/desk/haastavat_erot/user/add/")
    page.locator("#id_email").fill("poliisi.asiantuntija@poliisi.example")
    page.locator("#id_first_name").fill("Paula")
    page.locator("#id_last_name").fill("Poliisi")
    page.locator("#id_password1").fill("Pitka-salasana-2026!")
    page.locator("#id_password2").fill("Pitka-salasana-2026!")
    group = page.get_by_label(gettext("Group"))
    expect(group.locator("option")).to_have_count(2)  # the empty choice and their county's one group
    group.select_option(str(world.group.pk))
    page.get_by_label(gettext("Role")).select_option(Role.EXPERT)
    page.get_by_label(gettext("Organisation")).select_option("police")
    page.locator("input[name=_save]").click()
    expect(page).to_have_url(re.compile(r"/desk/haastavat_erot/user/\d+/change/"))
    membership = Membership.objects.get(user__email="poliisi.asiantuntija@poliisi.example")
    assert (membership.group, membership.role, membership.organisation) == (world.group, Role.EXPERT, "police")


def test_member_acknowledges_confidentiality_and_subscribes_to_the_calendar(page, live_server, world):
    from apps.haastavat_erot.models import CalendarFeed, SessionDeclaration

    session = world.sessions[0]
    plant_session(page, live_server, world.expert)
    page.goto(f"/desk/haastavat_erot/session/{session.pk}/change/")
    page.get_by_role("link", name=gettext("Acknowledge it")).click()
    assert axe_violations(page) == []
    page.get_by_role("button", name=gettext("I acknowledge the confidentiality statement")).click()
    expect(page.locator(f'#session-declarations tr[data-user="{world.expert.pk}"]')).not_to_contain_text(
        gettext("Not yet"))
    assert SessionDeclaration.objects.get(session=session, user=world.expert).confidentiality_acknowledged_at

    page.goto("/desk/haastavat_erot/session/feeds/")
    page.get_by_role("button", name=gettext("Create an address")).click()
    feed = CalendarFeed.objects.get(membership__user=world.expert)
    expect(page.get_by_label(gettext("Calendar address"))).to_have_value(re.compile(rf"/calendar/{feed.token}\.ics$"))
    assert axe_violations(page) == []
