"""The RQ queue of the product's jobs, on one Redis connection pool per process.

django_rq.get_queue() builds a new connection pool, and so opens a new TCP connection, on every
call: a few milliseconds on each request that sends an e-mail. The pool is kept per URL, so a
changed RQ_QUEUES setting (tests of "Redis down") gets its own.

A job a request queues goes to Redis once the response has been sent (Django's request_finished
signal, sent when the server closes the response), so the user does not wait for RQ. Outside a
request (jobs, commands) it goes when the transaction commits.
"""

import contextvars
import functools
import logging

import django_rq
from django.conf import settings
from django.core.signals import request_finished
from django.db import transaction
from django.dispatch import receiver
from redis import Redis

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _connection(url):
    return Redis.from_url(url)


def default_queue():
    return django_rq.get_queue("default", connection=_connection(settings.RQ_QUEUES["default"]["URL"]))


def enqueue_after_commit(function, *args, **job_options):
    """Run function(*args) on the queue once the current transaction commits (in a request: once
    its response has been sent); if Redis is down, run it in this process rather than lose an
    e-mail. Arguments are identifiers only."""

    def enqueue():
        try:
            default_queue().enqueue(function, *args, **job_options)
        except Exception as error:  # noqa: BLE001 - a lost e-mail is worse than a slow response
            log.warning("queue unavailable for %s (%s); running directly", function.__name__,
                        error.__class__.__name__)
            function(*args)

    def enqueue_when_done():
        pending = _after_response.get()
        if pending is None:
            enqueue()
        else:
            pending.append(enqueue)

    transaction.on_commit(enqueue_when_done)


# The enqueues waiting for the current request's response to be sent; None outside a request.
_after_response = contextvars.ContextVar("after_response", default=None)


class EnqueueAfterResponseMiddleware:
    """Holds the jobs a request queues until its response has been sent (send_after_response)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        send_after_response()  # a previous response that was never closed leaves nothing behind
        _after_response.set([])
        return self.get_response(request)


@receiver(request_finished)
def send_after_response(**kwargs):
    pending = _after_response.get()
    _after_response.set(None)
    for enqueue in pending or ():
        enqueue()
