"""The nightly job deactivates worker accounts unused for 12 months and tells their owners by
e-mail (a link only); group members, county admins and recently used accounts are kept."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from apps.haastavat_erot import jobs
from apps.haastavat_erot.models import CaseState, User
from tests.accounts.conftest import link_in
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _last_used(user, days_ago):
    user.last_login = timezone.now() - timedelta(days=days_ago)
    user.save(update_fields=["last_login"])
    return user


def test_unused_accounts_are_deactivated_and_told(world, mailbox, queue):
    assert settings.ACCOUNT_UNUSED_DAYS == 365
    stale = _last_used(world.worker, 366)
    live = case_in_state(world, CaseState.SUBMITTED, worker=stale)
    never_used = UserFactory()
    User.objects.filter(pk=never_used.pk).update(date_joined=timezone.now() - timedelta(days=400))
    recent = _last_used(world.other_worker, 300)
    member = _last_used(world.expert, 500)
    admin = _last_used(world.county_admin, 500)
    queue.empty()

    queue.enqueue(jobs.deactivate_unused_accounts)
    run_jobs()

    active = dict(User.objects.values_list("pk", "is_active"))
    assert not active[stale.pk] and not active[never_used.pk]
    assert active[recent.pk] and active[member.pk] and active[admin.pk]
    live.refresh_from_db()
    assert live.handed_to_coordinator_at is not None

    [notice] = mailbox.to(stale.email)
    assert notice["Subject"] == gettext("Your account has been deactivated")
    assert link_in(notice) == "/login/"
    assert live.number not in message_text(notice)  # nothing about the cases
    assert len(mailbox.to(never_used.email)) == 1
    assert mailbox.to(recent.email) == []
    assert [m["Subject"] for m in mailbox.to(world.coordinator.email)] == [
        gettext("Case handed to you: %(number)s") % {"number": live.number}]

    # A second run finds nothing more and sends nothing more.
    mailbox.clear()
    queue.enqueue(jobs.deactivate_unused_accounts)
    run_jobs()
    assert len(mailbox) == 0


def test_the_job_is_in_the_cron_schedule(queue):
    import django_rq
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=django_rq.get_connection("default"), name="test-accounts-cron")
    scheduler.load_config_from_file("apps.haastavat_erot.cron")
    scheduled = {job.func.__name__: job for job in scheduler.get_jobs()}
    assert scheduled["deactivate_unused_accounts"].cron == "30 3 * * *"
    assert "run_scheduled_destruction" in scheduled


def test_a_deactivated_worker_is_logged_out_and_cannot_log_in(client, world):
    from django.urls import reverse

    from apps.haastavat_erot.services.accounts import account_deactivate
    from tests.factories import PASSWORD

    client.force_login(world.worker)
    account_deactivate(user=world.worker, by=world.county_admin)
    assert client.get(reverse("portal:home")).status_code == 302
    client.logout()
    response = client.post(reverse("portal:login"), {"username": world.worker.email, "password": PASSWORD})
    assert response.status_code == 200  # the login form again, with the usual error
    assert "_auth_user_id" not in client.session
