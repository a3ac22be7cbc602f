"""A member's secret iCalendar address: the group's sessions only, revocable, regenerated."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from apps.haastavat_erot.models import CalendarFeed, CaseState, Membership
from apps.haastavat_erot.services import calendar_feeds
from apps.haastavat_erot.services import sessions as services
from tests.builders import case_in_state

from .case_helpers import assert_no_family_text, desk

FEEDS = "admin:haastavat_erot_session_feeds"


def membership(world, user, group=None):
    return Membership.objects.get(user=user, group=group or world.group)


def fetch(token):
    return Client().get(reverse("calendar_feed", args=[token]))


def events(response):
    return [c for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]


def test_member_creates_an_address_and_subscribes_to_the_groups_sessions(client, world):
    case = case_in_state(world, CaseState.SCHEDULED, session=world.sessions[0])
    desk(client, world.expert)
    own = membership(world, world.expert)
    assert client.post(reverse(FEEDS), {"membership": own.pk, "action": "issue"}).status_code == 302
    feed = CalendarFeed.objects.get(membership=own, revoked_at__isnull=True)
    page = client.get(reverse(FEEDS)).content.decode()
    assert reverse("calendar_feed", args=[feed.token]) in page

    response = fetch(feed.token)  # no login: calendar apps fetch it with the secret only
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert sorted(e.decoded("dtstart") for e in found) == sorted(s.starts_at.replace(microsecond=0) for s in world.sessions)
    assert {str(e["uid"]) for e in found} == {f"session-{s.pk}@testserver" for s in world.sessions}
    assert all(world.group.name in str(e["summary"]) for e in found)
    assert all(e.decoded("dtend") - e.decoded("dtstart") == world.sessions[0].ends_at - world.sessions[0].starts_at
               for e in found)
    body = response.content.decode()
    assert case.number not in body and world.other_group.name not in body
    assert_no_family_text(body)


def test_cancelled_session_is_marked_cancelled_in_the_feed(world):
    feed = calendar_feeds.calendar_feed_issue(membership=membership(world, world.chair), by=world.chair)
    services.session_cancel(session=world.sessions[1], by=world.coordinator)
    by_uid = {str(e["uid"]): str(e["status"]) for e in events(fetch(feed.token))}
    assert by_uid[f"session-{world.sessions[1].pk}@testserver"] == "CANCELLED"
    assert by_uid[f"session-{world.sessions[0].pk}@testserver"] == "CONFIRMED"


def test_revoked_address_gives_404(client, world):
    own = membership(world, world.expert)
    feed = calendar_feeds.calendar_feed_issue(membership=own, by=world.expert)
    desk(client, world.expert)
    client.post(reverse(FEEDS), {"membership": own.pk, "action": "revoke"})
    assert fetch(feed.token).status_code == 404
    assert feed.token not in client.get(reverse(FEEDS)).content.decode()


def test_regenerating_revokes_the_old_address(client, world):
    own = membership(world, world.expert)
    old = calendar_feeds.calendar_feed_issue(membership=own, by=world.expert)
    desk(client, world.expert)
    client.post(reverse(FEEDS), {"membership": own.pk, "action": "issue"})
    new = CalendarFeed.objects.get(membership=own, revoked_at__isnull=True)
    assert new.token != old.token
    assert fetch(old.token).status_code == 404
    assert fetch(new.token).status_code == 200


def test_wrong_token_gives_404(world):
    calendar_feeds.calendar_feed_issue(membership=membership(world, world.expert), by=world.expert)
    assert fetch("not-a-real-token").status_code == 404


def test_address_closes_when_the_member_leaves_the_group(world):
    own = membership(world, world.expert)
    feed = calendar_feeds.calendar_feed_issue(membership=own, by=world.expert)
    own.is_active = False
    own.save()
    assert fetch(feed.token).status_code == 404


def test_another_groups_member_sees_only_their_own_groups_sessions(world):
    other = membership(world, world.other_member, world.other_group)
    feed = calendar_feeds.calendar_feed_issue(membership=other, by=world.other_member)
    uids = {str(e["uid"]) for e in events(fetch(feed.token))}
    assert uids == {f"session-{world.other_session.pk}@testserver"}


@pytest.mark.parametrize("role", ["other_member", "coordinator", "county_admin"])
def test_managing_someone_elses_address_not_allowed(client, world, role):
    own = membership(world, world.expert)
    feed = calendar_feeds.calendar_feed_issue(membership=own, by=world.expert)
    desk(client, getattr(world, role))
    for action in ("revoke", "issue"):
        response = client.post(reverse(FEEDS), {"membership": own.pk, "action": action})
        assert response.status_code == 403
    assert fetch(feed.token).status_code == 200
    assert CalendarFeed.objects.filter(membership=own).count() == 1
