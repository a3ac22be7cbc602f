"""The RQ queue of the product's jobs, on one Redis connection pool per process.

django_rq.get_queue() builds a new connection pool, and so opens a new TCP connection, on every
call: a few milliseconds on each request that sends an e-mail. The pool is kept per URL, so a
changed RQ_QUEUES setting (tests of "Redis down") gets its own.
"""

import functools
import logging

import django_rq
from django.conf import settings
from django.db import transaction
from redis import Redis

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _connection(url):
    return Redis.from_url(url)


def default_queue():
    return django_rq.get_queue("default", connection=_connection(settings.RQ_QUEUES["default"]["URL"]))


def enqueue_after_commit(function, *args, **job_options):
    """Run function(*args) on the queue once the current transaction commits; if Redis is down,
    run it now in this process rather than lose an e-mail. Arguments are identifiers only."""

    def enqueue():
        try:
            default_queue().enqueue(function, *args, **job_options)
        except Exception as error:  # noqa: BLE001 - a lost e-mail is worse than a slow response
            log.warning("queue unavailable for %s (%s); running directly", function.__name__,
                        error.__class__.__name__)
            function(*args)

    transaction.on_commit(enqueue)
