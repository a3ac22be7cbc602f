"""The iCalendar feed of a group's sessions, behind a member's secret, revocable address.

The feed carries the group's sessions only (time, place, status): never case numbers or any
case data, since calendar apps sync it to places outside our control."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CalendarFeed, Session

FEED_PAST = timedelta(days=180)


def live_feed(token):
    """Return the CalendarFeed of `token` if it still opens, else None: revoked, membership or
    user or group inactive all close it."""
    feed = (CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
            .select_related("membership__group", "membership__user").first())
    if feed is None:
        return None
    membership = feed.membership
    if not (membership.is_active and membership.user.is_active and membership.group.is_active):
        return None
    return feed


def group_calendar(group):
    """Return the group's sessions as an icalendar.Calendar."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Haastavat erot//Sessions//FI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", group.name)
    now = timezone.now()
    for session in Session.objects.filter(group=group, starts_at__gte=now - FEED_PAST).order_by("starts_at"):
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@{settings.SITE_URL.split('://')[-1]}")
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", _("%(group)s: session") % {"group": group.name})
        if session.place:
            event.add("location", session.place)
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        event.add("url", settings.SITE_URL + reverse("admin:haastavat_erot_session_change", args=[session.pk]))
        cal.add_component(event)
    return cal


def calendar_feed(request, token):
    """Serve a member's feed; a wrong or revoked token is a plain 404."""
    feed = live_feed(token)
    if feed is None:
        raise Http404
    with translation.override(feed.membership.user.language or settings.LANGUAGE_CODE):
        body = group_calendar(feed.membership.group).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
