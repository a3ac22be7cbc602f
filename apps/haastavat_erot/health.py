"""/healthz: the state of the database, Redis, the cron scheduler and destruction, as JSON.
200 when all are fine, 503 otherwise. Identifiers and states only."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from redis import Redis
from rq.cron_scheduler_registry import get_registry_key
from rq.defaults import DEFAULT_CRON_SCHEDULER_TTL


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _connection():
    return Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _redis():
    _connection().ping()
    return "ok"


def _scheduler():
    """A cron scheduler is alive if one sent a heartbeat within RQ's scheduler TTL."""
    alive = _connection().zcount(get_registry_key(), time.time() - DEFAULT_CRON_SCHEDULER_TTL, "+inf")
    return "ok" if alive else "down"


def _destruction():
    from .purge import overdue_since

    return "overdue" if overdue_since() else "ok"


CHECKS = {"database": _database, "redis": _redis, "scheduler": _scheduler, "destruction": _destruction}


def health_report():
    report = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure is a failed check
            report[name] = f"down ({error.__class__.__name__})"
    return report


@never_cache
def healthz(request):
    report = health_report()
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "fail", **report}, status=200 if healthy else 503)
