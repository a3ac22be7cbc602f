"""Rate limits for the account forms (registration, invitation, password reset), counted in the
cache (Redis). django-axes covers the login form itself.

A limit is counted per client IP address and per e-mail address. The cache holds counters only:
an e-mail address appears in a key as a keyed hash, never in clear (settings: CACHES)."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def _key(scope, kind, value):
    digest = hmac.new(settings.SECRET_KEY.encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{scope}:{kind}:{digest[:32]}"


def _count(key, window):
    """Add one to the counter `key`, starting a window of `window` seconds on the first hit."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def client_ip(request):
    """The client's address as django-axes resolves it for the login lockout, so that both limits
    agree on who the client is (and a proxy's configuration applies to both)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def hit(scope, request, address=""):
    """Count one attempt at the form `scope` and return True when it is over a limit.

    Every attempt counts, successful or not, so that a limited response says nothing about the
    address. Limits: settings.RATELIMIT_PER_IP and RATELIMIT_PER_ADDRESS per RATELIMIT_WINDOW_SECONDS.
    """
    window = settings.RATELIMIT_WINDOW_SECONDS
    over = _count(_key(scope, "ip", client_ip(request)), window) > settings.RATELIMIT_PER_IP
    if address:
        over = _count(_key(scope, "address", address), window) > settings.RATELIMIT_PER_ADDRESS or over
    return over
