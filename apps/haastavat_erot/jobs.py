"""RQ jobs. They take identifiers only, never personal data, and call the services."""

import logging

from . import audit, notifications, purge
from .models import DestructionRun
from .services import accounts

log = logging.getLogger(__name__)


def send_notification(event, object_id):
    return notifications.send_notification(event, object_id)


def run_scheduled_destruction():
    """The periodic destruction job (cron.py): destroy what is due; prune the access log and
    document requests past their retention, and account e-mails whose job never ran. Return the
    one-line JSON summary."""
    summary = purge.run_destruction(trigger=DestructionRun.Trigger.SCHEDULE)
    log.info("destruction run: %s", summary.as_json())
    entries, requests = audit.prune_access_records()
    log.info("pruned %s access log entries and %s document requests", entries, requests)
    log.info("pruned %s pending account e-mails", accounts.prune_pending_emails())
    return summary.as_json()


# --- accounts (services/accounts.py): identifiers only, the address waits in its row ----------------
def send_pending_account_email(pending_id):
    return accounts.send_pending_account_email(pending_id)


def send_account_notice(kind, user_id):
    return accounts.send_account_notice(kind, user_id)


def deactivate_unused_accounts():
    """The daily job (cron.py): deactivate worker accounts unused for 12 months, telling their owners."""
    count = accounts.deactivate_unused_accounts()
    log.info("deactivated %s unused accounts", count)
    return count
