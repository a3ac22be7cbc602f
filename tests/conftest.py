"""Shared fixtures. Every test talks to the real MariaDB and Redis; e-mail goes to a real SMTP
server (aiosmtpd) on localhost; browser tests drive Debian's Chromium through Playwright."""

import email
import os
import random
import shutil
import socket
from email import policy
from types import SimpleNamespace

import factory.random
import pytest
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser.fixtures"]


def pytest_sessionfinish(session, exitstatus):
    """The run's temporary folder (its private file store and static files) goes with the run."""
    from django.conf import settings

    if getattr(settings, "TEST_ROOT_OWNED", False):
        shutil.rmtree(settings.TEST_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _deterministic_and_finnish():
    """Seed randomness and start every test in Finnish, the default language."""
    random.seed(20261124)
    factory.random.reseed_random(20261124)
    translation.activate("fi")
    yield
    translation.deactivate()


def ensure_reference_data():
    """Counties and role groups come from data migrations; a transactional test's flush removes
    them, so put them back when they are missing."""
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    from apps.haastavat_erot.models import County
    from apps.haastavat_erot.roles import ROLE_PERMISSIONS, apply_role_permissions

    if not County.objects.exists():
        from importlib import import_module

        import_module("apps.haastavat_erot.migrations.0002_counties_and_case_session_group_fk").add_counties(
            django_apps, None)
    if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() != len(ROLE_PERMISSIONS):
        apply_role_permissions(django_apps)


@pytest.fixture(autouse=True)
def _reference_data(request):
    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server"))
    if not uses_db:
        return
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        transactional = True
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_reference_data()


# --- Redis and RQ --------------------------------------------------------------------------------
@pytest.fixture
def queue():
    """The real RQ queue on the test Redis database, emptied before the test."""
    import django_rq

    connection = django_rq.get_connection("default")
    connection.flushdb()
    return django_rq.get_queue("default")


def run_jobs():
    """Run the queued jobs in this process (a SimpleWorker: no fork, same database connection)."""
    import django_rq
    from rq import SimpleWorker

    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    worker.work(burst=True)
    return worker


# --- A real SMTP server ---------------------------------------------------------------------------
class Mailbox(list):
    def to(self, address):
        return [m for m in self if address in m["To"]]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    """Start aiosmtpd on a free port and point Django's SMTP backend at it; collect the messages."""
    from aiosmtpd.controller import Controller

    received = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            received.append(message)
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield received
    controller.stop()


def message_text(message):
    body = message.get_body(preferencelist=("plain",))
    return f"{message['Subject']}\n{body.get_content() if body else ''}"


# --- Logged-in test clients ------------------------------------------------------------------------
def verified_client(client, user):
    """Log `user` in with a verified second factor (TOTP), as a desk user is after logging in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def client_for(client, user):
    """Log in as `user` the way they log in themselves: anonymous for None, a second factor for
    desk users, a password only for workers."""
    if user is None:
        return client
    if user.is_staff:
        return verified_client(client, user)
    client.force_login(user)
    return client


# --- A group with every role ------------------------------------------------------------------------
@pytest.fixture
def world(db):
    """A group with a coordinator, chair and two experts, a member of another group, a county
    admin, two workers and a superuser; three upcoming sessions."""
    from apps.haastavat_erot.models import ExpertOrganisation, Role
    from tests.factories import (
        CountyAdminFactory,
        GroupFactory,
        MembershipFactory,
        SessionFactory,
        UserFactory,
        county,
    )

    group = GroupFactory(name="Keski-Suomen ryhmä", county=county("KS"))
    other_group = GroupFactory(name="Pohjois-Savon ryhmä", county=county("PS"))

    def member(role, organisation, in_group=group):
        return MembershipFactory(group=in_group, role=role, organisation=organisation).user

    ns = SimpleNamespace(
        group=group,
        other_group=other_group,
        coordinator=member(Role.COORDINATOR, ExpertOrganisation.FAMILY_SOCIAL_WORK),
        chair=member(Role.CHAIR, ExpertOrganisation.CHILD_GUIDANCE),
        expert=member(Role.EXPERT, ExpertOrganisation.POLICE),
        expert2=member(Role.EXPERT, ExpertOrganisation.FAMILY_LAW),
        other_member=member(Role.COORDINATOR, ExpertOrganisation.FAMILY_SOCIAL_WORK, other_group),
        county_admin=CountyAdminFactory(county=group.county).user,
        worker=UserFactory(),
        other_worker=UserFactory(),
        superuser=UserFactory(is_superuser=True, is_staff=True),
    )
    ns.sessions = [SessionFactory(group=group, capacity=3) for _ in range(3)]
    ns.other_session = SessionFactory(group=other_group)
    return ns
