"""Accounts: brute-force lockout, password rules, session expiry after inactivity, CSRF."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def _login(client, email, password):
    return client.post(reverse("portal:login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client, db):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    locked = _login(client, user.email, "wrong-password")
    assert locked.status_code == 429
    right = _login(client, user.email, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_before_the_limit_works_and_resets(client, db):
    user = UserFactory()
    _login(client, user.email, "wrong-password")
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("password", ["lyhyt", "123456789012", "password1234", "salasanasalasana"[:8]])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build())


def test_a_strong_password_is_accepted(db):
    validate_password("Vaativa-ero-2026-kevät", UserFactory.build())


def test_session_expires_after_inactivity(client, db):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session.set_expiry(-1)  # as if the idle time had passed
    session.save()
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_login_form_needs_a_csrf_token(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    response = client.post(reverse("portal:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
