"""RQ jobs. They take identifiers only, never personal data, and call the services."""

import logging

from . import audit, notifications, purge
from .models import DestructionRun

log = logging.getLogger(__name__)


def send_notification(event, object_id):
    return notifications.send_notification(event, object_id)


def run_scheduled_destruction():
    """The periodic destruction job (cron.py): destroy what is due and prune the access log and
    document requests past their retention. Return the one-line JSON summary."""
    summary = purge.run_destruction(trigger=DestructionRun.Trigger.SCHEDULE)
    log.info("destruction run: %s", summary.as_json())
    entries, requests = audit.prune_access_records()
    log.info("pruned %s access log entries and %s document requests", entries, requests)
    return summary.as_json()
