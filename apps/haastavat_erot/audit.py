"""The access log: who opened which case's content and when. Case and user only, never content.
The log and the document requests are kept for settings.ACCESS_LOG_RETENTION_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AccessAction, AccessLogEntry, DocumentRequest


def log_access(*, user, case, action):
    """Record that `user` opened `case`'s content (an AccessAction)."""
    return AccessLogEntry.objects.create(user=user, case=case, action=AccessAction(action))


def prune_access_records(now=None):
    """Delete access log entries and document requests older than the retention period.
    Return (log entries, document requests) deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    entries, _ = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    requests, _ = DocumentRequest.objects.filter(recorded_at__lt=cutoff).delete()
    return entries, requests
