"""Helpers for the account tests: a clean rate-limit cache, an allowed domain, links out of e-mails."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import message_text

ALLOWED_DOMAIN = "jyvaskyla.example"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """Rate-limit counters live in the test Redis cache; start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def allowed_domain(db):
    from apps.haastavat_erot.models import AllowedEmailDomain
    from tests.factories import county

    return AllowedEmailDomain.objects.create(county=county("KS"), domain=ALLOWED_DOMAIN)


def link_in(message):
    """Return the path (and query) of the one link in an e-mail, to open on the live server."""
    links = LINK.findall(message_text(message))
    assert len(links) == 1, links
    parts = urlsplit(links[0])
    return parts.path + (f"?{parts.query}" if parts.query else "")
