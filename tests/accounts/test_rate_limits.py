"""Every account form is rate-limited per client address and per e-mail address, with a clear
message, and the limit says nothing about whether the address has an account."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from apps.haastavat_erot.services import accounts
from tests.accounts.conftest import ALLOWED_DOMAIN
from tests.factories import UserFactory

LIMITED = "This form has been used too many times in a short while. Wait an hour and try again, or ask your coordinator for help."


@pytest.fixture
def low_limits(settings):
    settings.RATELIMIT_PER_ADDRESS = 2
    settings.RATELIMIT_PER_IP = 4
    return settings


@pytest.mark.parametrize("url_name", ["portal:register", "portal:password_reset"])
def test_the_same_address_is_limited(client, allowed_domain, low_limits, url_name):
    address = f"kokeilija@{ALLOWED_DOMAIN}"
    answers = [client.post(reverse(url_name), {"email": address}).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    limited = client.post(reverse(url_name), {"email": address})
    assert limited.status_code == 429
    assert gettext(LIMITED) in limited.content.decode()


def test_one_client_address_is_limited_across_e_mail_addresses(client, allowed_domain, low_limits):
    url = reverse("portal:register")
    answers = [client.post(url, {"email": f"osoite{n}@{ALLOWED_DOMAIN}"}, REMOTE_ADDR="10.1.1.1").status_code
               for n in range(5)]
    assert answers == [302, 302, 302, 302, 429]
    # Another client address is not affected.
    assert client.post(url, {"email": f"toinen@{ALLOWED_DOMAIN}"}, REMOTE_ADDR="10.1.1.2").status_code == 302


def test_the_limit_treats_known_and_unknown_addresses_alike(client, allowed_domain, low_limits):
    UserFactory(email=f"tuttu@{ALLOWED_DOMAIN}")
    for address in (f"tuttu@{ALLOWED_DOMAIN}", f"tuntematon@{ALLOWED_DOMAIN}"):
        answers = [client.post(reverse("portal:password_reset"), {"email": address},
                               REMOTE_ADDR=address).status_code for _ in range(3)]
        assert answers == [302, 302, 429]


def test_completing_an_account_is_limited(client, allowed_domain, low_limits):
    token = accounts.make_link_token(accounts.REGISTER, address=f"uusi@{ALLOWED_DOMAIN}",
                                     county_id=allowed_domain.county_id)
    url = reverse("portal:register_complete", args=[token])
    answers = [client.post(url, {"first_name": "Uusi"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_the_invitation_form_is_limited(client, world, low_limits):
    from tests.accounts.test_no_enumeration import _desk_client

    _desk_client(client, world.coordinator)
    url = reverse("admin:haastavat_erot_user_invite")
    answers = [client.post(url, {"email": "sama@koulu.example", "group": world.group.pk}).status_code
               for _ in range(3)]
    assert answers == [302, 302, 429]


def test_the_cache_holds_no_e_mail_address(client, allowed_domain):
    address = f"salainen@{ALLOWED_DOMAIN}"
    client.post(reverse("portal:register"), {"email": address})
    keys = [key.decode() for key in cache._cache.get_client().keys("*")]
    assert any("ratelimit" in key for key in keys)
    assert not any("salainen" in key or ALLOWED_DOMAIN in key for key in keys)
