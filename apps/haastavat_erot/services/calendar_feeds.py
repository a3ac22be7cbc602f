"""A member's secret iCalendar address: issue (or regenerate) and revoke."""

from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed
from .agenda import _require


def active_feed(membership):
    """Return the membership's current (unrevoked) feed, or None."""
    return membership.calendar_feeds.filter(revoked_at__isnull=True).order_by("-created_at").first()


def calendar_feed_revoke(*, membership, by):
    """Revoke every address of the membership: they answer 404 from now on."""
    _require(by, "manage_calendar_feed", membership)
    return membership.calendar_feeds.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_feed_issue(*, membership, by):
    """Give the membership a new secret address; any previous one is revoked."""
    _require(by, "manage_calendar_feed", membership)
    with transaction.atomic():
        calendar_feed_revoke(membership=membership, by=by)
        return CalendarFeed.objects.create(membership=membership)
