"""Destruction overdue by more than two scheduler intervals (2 x 15 min) turns /healthz to 503 and
puts the oldest overdue time in the desk's context; a run that catches up clears both."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot.models import Case, CaseState
from apps.haastavat_erot.purge import overdue_since, run_destruction
from tests.builders import case_in_state
from tests.test_demo_and_health import live_scheduler  # noqa: F401 - a fixture
from tests.conftest import verified_client

from .helpers import with_files


@pytest.mark.parametrize("field", ["content_due_at", "recommendations_due_at"])
def test_overdue_after_two_intervals_only(world, field):
    case = case_in_state(world, CaseState.HANDLED)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(**{field: now - timedelta(minutes=30)})
    assert overdue_since(now) is None  # exactly two intervals: not yet
    Case.objects.filter(pk=case.pk).update(**{field: now - timedelta(minutes=30, seconds=1)})
    assert overdue_since(now) == now - timedelta(minutes=30, seconds=1)


def test_healthz_and_desk_warn_until_a_run_catches_up(client, world, live_scheduler):  # noqa: F811
    case = case_in_state(world, CaseState.HANDLED)
    with_files(case)
    due = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(content_due_at=due)
    verified_client(client, world.coordinator)

    response = client.get("/healthz")
    assert (response.status_code, response.json()["destruction"]) == (503, "overdue")
    assert client.get(reverse("admin:index")).context["destruction_overdue_since"] == due

    assert run_destruction().cases == 1
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("admin:index")).context["destruction_overdue_since"] is None


def test_the_desk_warning_is_for_desk_users_only(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.coordinator)  # no verified second factor: not a desk user yet
    response = client.get(reverse("admin:index"), follow=True)
    assert not (response.context or {}).get("destruction_overdue_since")
