"""Demo data is idempotent; /healthz reports the database, Redis, the cron scheduler and
overdue destruction."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rq.cron import CronScheduler

from apps.haastavat_erot.models import Case, ConsultationGroup, Membership, Session, User
from tests.builders import case_in_state


def _counts():
    return {model.__name__: model.objects.count() for model in (User, ConsultationGroup, Membership, Session, Case)}


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["ConsultationGroup"] == 2
    assert first["Case"] >= 4
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"coordinator", "chair", "expert"}
    assert Session.objects.filter(group__county__code="KS", starts_at__gt=timezone.now()).count() >= 12


@pytest.fixture
def live_scheduler(queue):
    """A real RQ cron scheduler registered in Redis, sending a heartbeat."""
    import django_rq

    scheduler = CronScheduler(connection=django_rq.get_connection("default"), name="test-scheduler")
    scheduler.register_birth()
    scheduler.heartbeat()
    yield scheduler
    scheduler.register_death()


def test_healthz_ok_when_all_are_up(client, db, live_scheduler):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "scheduler": "ok",
                                "destruction": "ok"}


def test_healthz_503_without_a_scheduler(client, db, queue):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["scheduler"] == "down"


def test_healthz_503_when_scheduler_heartbeat_is_stale(client, db, live_scheduler):
    import django_rq
    from rq.cron_scheduler_registry import get_registry_key

    django_rq.get_connection("default").zadd(get_registry_key(), {live_scheduler.name: time.time() - 600})
    assert client.get("/healthz").status_code == 503


def test_healthz_503_when_redis_is_unreachable(client, db, settings, live_scheduler):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("down")


def test_healthz_503_when_destruction_is_overdue(client, world, live_scheduler):
    case = case_in_state(world, "handled")
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timedelta(minutes=31))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["destruction"] == "overdue"
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timedelta(minutes=29))
    assert client.get("/healthz").status_code == 200
