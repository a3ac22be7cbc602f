"""Account e-mails wait in a PendingAccountEmail row: the queued job carries the row's id, never
the address, and the row is gone once the message is sent or its job is given up."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.haastavat_erot.jobs import run_scheduled_destruction
from apps.haastavat_erot.models import AccountEmailKind, PendingAccountEmail
from apps.haastavat_erot.services import accounts
from tests.accounts.conftest import ALLOWED_DOMAIN
from tests.conftest import run_jobs, verified_client

ADDRESS = f"liisa.opettaja@{ALLOWED_DOMAIN}"


def _redis_holds(queue, text):
    """Whether any key of the queue's Redis database holds `text` (job hashes, lists, registries)."""
    redis, needle = queue.connection, text.encode()
    for key in redis.keys("*"):
        kind = redis.type(key)
        values = {b"hash": lambda k: list(redis.hgetall(k).values()), b"list": lambda k: redis.lrange(k, 0, -1),
                  b"string": lambda k: [redis.get(k)], b"zset": lambda k: redis.zrange(k, 0, -1),
                  b"set": lambda k: list(redis.smembers(k))}.get(kind, lambda k: [])(key)
        if any(needle in (value or b"") for value in values) or needle in key:
            return True
    return False


@pytest.mark.parametrize("url_name", ["portal:register", "portal:password_reset"])
def test_the_queued_job_names_a_row_and_never_the_address(client, queue, allowed_domain, url_name,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse(url_name), {"email": ADDRESS}).status_code == 302
    pending = PendingAccountEmail.objects.get()
    assert pending.address == ADDRESS
    [job] = queue.jobs
    assert job.args == (pending.pk,)
    assert not _redis_holds(queue, ADDRESS)


def test_an_invitation_job_names_a_row_too(client, queue, world, django_capture_on_commit_callbacks):
    verified_client(client, world.coordinator)
    address = "uusi.opettaja@koulu.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:haastavat_erot_user_invite"),
                               {"email": address, "group": world.group.pk})
    assert response.status_code == 302
    pending = PendingAccountEmail.objects.get()
    assert (pending.kind, pending.group, pending.inviter) == (AccountEmailKind.INVITATION, world.group,
                                                              world.coordinator)
    assert [job.args for job in queue.jobs] == [(pending.pk,)]
    assert not _redis_holds(queue, address)


def test_the_job_sends_once_and_deletes_the_row(client, queue, mailbox, allowed_domain,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:register"), {"email": ADDRESS})
    pending_id = PendingAccountEmail.objects.get().pk
    run_jobs()
    [message] = mailbox.to(ADDRESS)
    assert message["Subject"] == gettext("Confirm your e-mail address")
    assert not PendingAccountEmail.objects.exists()
    assert accounts.send_pending_account_email(pending_id) == 0  # a second run of the same job
    assert len(mailbox) == 1


def test_rows_whose_job_never_ran_are_pruned_by_the_scheduled_job(db, settings):
    old = PendingAccountEmail.objects.create(kind=AccountEmailKind.PASSWORD_RESET, address=ADDRESS, language="fi")
    PendingAccountEmail.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(hours=settings.PENDING_ACCOUNT_EMAIL_HOURS, minutes=1))
    fresh = PendingAccountEmail.objects.create(kind=AccountEmailKind.REGISTRATION, address=ADDRESS, language="sv")
    run_scheduled_destruction()
    assert list(PendingAccountEmail.objects.all()) == [fresh]
