"""Nothing tells whether an address has an account: the registration, password reset and
invitation forms answer byte for byte the same for a known and an unknown address, and run the
same database queries (none on the users table), so that timing gives nothing away either."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.haastavat_erot.services import accounts
from tests.accounts.conftest import ALLOWED_DOMAIN
from tests.factories import UserFactory

KNOWN = f"tuttu@{ALLOWED_DOMAIN}"
UNKNOWN = f"tuntematon@{ALLOWED_DOMAIN}"


def _answer(client, url, data, at):
    """What the browser gets, and the SQL run with the posted address written as <address> (it
    waits in a PendingAccountEmail row) and savepoint names, which count up, as <savepoint>."""
    # The clock stands still so that date headers (the desk's Expires) are the same second.
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    sql = [re.sub(r"`s\d+_x\d+`", "<savepoint>", query["sql"].replace(data["email"], "<address>"))
           for query in queries.captured_queries]
    return {
        "status": response.status_code,
        "headers": sorted(response.headers.items()),
        "cookies": sorted((name, morsel.value) for name, morsel in response.cookies.items()),
        "body": response.content,
        "sql": sql,
    }


def _desk_client(client, user):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.parametrize("url_name", ["portal:register", "portal:password_reset"])
def test_portal_forms_answer_known_and_unknown_addresses_identically(client, allowed_domain, url_name):
    UserFactory(email=KNOWN)
    now = timezone.now()
    known = _answer(client, reverse(url_name), {"email": KNOWN}, now)
    unknown = _answer(client, reverse(url_name), {"email": UNKNOWN}, now)
    assert known["status"] == 302
    assert known == unknown
    assert not any("haastavat_erot_user" in sql for sql in known["sql"])


def test_desk_invitation_answers_known_and_unknown_addresses_identically(client, world):
    UserFactory(email=KNOWN)
    _desk_client(client, world.coordinator)
    url = reverse("admin:haastavat_erot_user_invite")
    now = timezone.now()
    known = _answer(client, url, {"email": KNOWN, "group": world.group.pk}, now)
    client.cookies.pop("messages", None)  # as if the browser had shown the first message
    unknown = _answer(client, url, {"email": UNKNOWN, "group": world.group.pk}, now)
    assert known["status"] == 302
    assert (known["status"], known["headers"], known["body"]) == (unknown["status"], unknown["headers"],
                                                                  unknown["body"])
    # The session cookie is refreshed on every request; its value (the session key) stays the same.
    assert known["cookies"] == unknown["cookies"]
    assert known["sql"] == unknown["sql"]
    assert not any("haastavat_erot_user`" in sql and "<address>" in sql for sql in known["sql"])


def test_a_used_an_expired_and_a_forged_link_get_the_same_page(client, allowed_domain):
    def token():
        return accounts.make_link_token(accounts.REGISTER, address=KNOWN, county_id=allowed_domain.county_id)

    with time_machine.travel(timezone.now() - timedelta(hours=settings.REGISTRATION_LINK_HOURS, seconds=1)):
        expired = token()
    fresh = token()
    forged = fresh[:-3] + ("AAA" if not fresh.endswith("AAA") else "BBB")
    UserFactory(email=KNOWN)  # makes `fresh` a used link
    bodies = set()
    for link in (fresh, expired, forged):
        response = client.get(reverse("portal:register_complete", args=[link]))
        assert response.status_code == 200
        # The page repeats its own address (the language form's return path) and a fresh CSRF token.
        bodies.add(re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
                   .replace(link.encode(), b"TOKEN"))
    assert len(bodies) == 1
    assert b"id_password1" not in bodies.pop()
