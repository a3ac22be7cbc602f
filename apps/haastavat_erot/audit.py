"""The access log: who opened which case's content and when. Case and user only, never content."""

from .models import AccessAction, AccessLogEntry


def log_access(*, user, case, action):
    """Record that `user` opened `case`'s content (an AccessAction)."""
    return AccessLogEntry.objects.create(user=user, case=case, action=AccessAction(action))
