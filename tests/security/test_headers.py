"""Security headers and cookies on every kind of response."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PAGES = ["/login/", "/healthz", "/desk/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, db):
    client.force_login(UserFactory())
    for path in ["/login/", reverse("portal:home")]:
        html = client.get(path).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_cookies_are_httponly_and_samesite(client, db):
    user = UserFactory()
    from tests.factories import PASSWORD

    response = client.post(reverse("portal:login"), {"username": user.email, "password": PASSWORD})
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_production_settings_harden_cookies_and_transport():
    import importlib
    import os

    env = {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "he.example.fi", "DATABASE_PASSWORD": "p",
           "HE_SITE_URL": "https://he.example.fi"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        production = importlib.import_module("config.settings.production")
        importlib.reload(production)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert production.SECURE_HSTS_SECONDS >= 31536000 and production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert production.SECURE_SSL_REDIRECT
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")


@override_settings(SECURE_HSTS_SECONDS=63072000, SECURE_SSL_REDIRECT=False)
def test_hsts_header_on_https(client, db):
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")
