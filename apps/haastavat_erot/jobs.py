"""RQ jobs. They take identifiers only, never personal data, and call the services."""

import logging

from . import notifications, purge
from .models import DestructionRun

log = logging.getLogger(__name__)


def send_notification(event, object_id):
    return notifications.send_notification(event, object_id)


def run_scheduled_destruction():
    """The periodic destruction job (cron.py). Return the one-line JSON summary."""
    summary = purge.run_destruction(trigger=DestructionRun.Trigger.SCHEDULE)
    log.info("destruction run: %s", summary.as_json())
    return summary.as_json()
