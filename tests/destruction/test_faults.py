"""Faults during a destruction run: a file already missing, a file that cannot be removed, Redis
down, the database connection killed mid-run. The run reports it in its JSON summary, leaves a
consistent state (the case stays due, no row points at nothing), and the next run finishes."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.haastavat_erot.models import Attachment, Case, CaseState, DestructionReceipt, DestructionRun
from apps.haastavat_erot.purge import run_destruction
from apps.haastavat_erot.services import booking
from tests.builders import case_in_state

from .helpers import assert_content_gone, file_path, with_files
from .subprocess_run import destroy_due, run_destroy_due

CLOSED_PORT = "redis://127.0.0.1:1/0"


def handled_cases(world, count=2):
    cases = [case_in_state(world, CaseState.HANDLED, session=world.sessions[i]) for i in range(count)]
    return cases, {case.pk: with_files(case) for case in cases}


def later(cases):
    return max(case.content_due_at for case in cases) + timedelta(minutes=1)


def test_a_file_already_missing_is_no_error(world):
    (case,), files = handled_cases(world, 1)
    file_path(files[case.pk][0]).unlink()
    summary = run_destruction(as_of=later([case]))
    assert (summary.cases, summary.attachments, summary.errors) == (1, 2, 0)
    assert_content_gone(case, files[case.pk])


class Unremovable:
    """Make a file impossible to remove, even for root: the immutable flag where chattr works,
    else a non-empty directory in its place."""

    def __init__(self, path):
        self.path, self.original = path, path.read_bytes()
        chattr = shutil.which("chattr")
        self.immutable = bool(chattr) and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0
        if not self.immutable:
            path.unlink()
            (path / "blocker").mkdir(parents=True)

    def lift(self):
        if self.immutable:
            subprocess.run(["chattr", "-i", str(self.path)], check=True)
        else:
            shutil.rmtree(self.path)
            self.path.write_bytes(self.original)


@pytest.fixture
def unremovable():
    made = []
    yield lambda path: made.append(Unremovable(path)) or made[-1]
    for blocker in made:
        if blocker.immutable:
            subprocess.run(["chattr", "-i", str(blocker.path)], check=False)


def test_a_file_that_cannot_be_removed_is_reported_and_the_next_run_finishes(world, unremovable):
    (stuck, other), files = handled_cases(world)
    blocker = unremovable(file_path(files[stuck.pk][1]))
    as_of = later([stuck, other])

    summary = run_destruction(as_of=as_of)
    assert (summary.cases, summary.errors) == (1, 1)
    assert summary.error_cases == [f"{stuck.number}: FileRemovalFailed"]
    assert_content_gone(other, files[other.pk])
    # Consistent: the stuck case is still due, its rows are all there and marked, no receipt.
    stuck.refresh_from_db()
    assert stuck.content_due_at is not None and stuck.content_destroyed_at is None
    rows = Attachment.objects.filter(case=stuck)
    assert rows.count() == 2 and not rows.filter(destruction_started_at__isnull=True).exists()
    assert not DestructionReceipt.objects.filter(case=stuck).exists()
    run = DestructionRun.objects.latest("started_at")
    assert (run.errors, run.error_summary) == (1, f"{stuck.number}: FileRemovalFailed")

    blocker.lift()
    summary = run_destruction(as_of=as_of)
    assert (summary.cases, summary.attachments, summary.errors) == (1, 2, 0)
    assert_content_gone(stuck, files[stuck.pk])


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_with_redis_down(world):
    cases, files = handled_cases(world)
    code, summary, _out, err = run_destroy_due("--as-of", later(cases).isoformat(),
                                               TEST_REDIS_URL=CLOSED_PORT, TEST_CACHE_URL=CLOSED_PORT)
    assert code == 0, err
    assert (summary["cases"], summary["errors"]) == (2, 0)
    for case in cases:
        assert_content_gone(case, files[case.pk])


def test_withdrawal_destroys_at_once_with_redis_down(world, settings, django_capture_on_commit_callbacks):
    settings.REDIS_URL = CLOSED_PORT
    settings.RQ_QUEUES = {"default": {"URL": CLOSED_PORT, "DEFAULT_TIMEOUT": 5}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}}
    case = case_in_state(world, CaseState.SUBMITTED)
    files = with_files(case)
    with django_capture_on_commit_callbacks(execute=True):
        booking.case_withdraw(case=case, by=world.worker)
    assert_content_gone(case, files)


def _connections_of_others():
    with connection.cursor() as cursor:
        cursor.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
                       [connection.settings_dict["NAME"]])
        return [row[0] for row in cursor.fetchall()]


def _kill_the_childs_connection(child):
    assert child.wait_for_pause()
    victims = _connections_of_others()
    assert victims
    with connection.cursor() as cursor:
        for victim in victims:
            cursor.execute(f"KILL CONNECTION {int(victim)}")
    child.resume()
    code, summary, _out, err = child.finish()
    assert code == 0, err
    return summary


@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_mid_run_is_reported_and_the_next_run_finishes(world):
    """One case per batch: the interrupted case is reported and left due; the next run finishes."""
    cases, files = handled_cases(world, 3)
    as_of = later(cases).isoformat()
    summary = _kill_the_childs_connection(
        destroy_due("--as-of", as_of, pause_at="after_files#1", DESTRUCTION_BATCH_SIZE="1"))
    first = Case.objects.get(pk__in=[c.pk for c in cases], content_destroyed_at__isnull=True)
    assert first.pk == cases[0].pk  # the first due, where the run paused
    assert summary["errors"] == 1 and summary["cases"] == 2, summary
    assert summary["error_cases"] == [f"{first.number}: OperationalError"]
    # Consistent: the interrupted case is still due, its rows marked, its bytes gone, no receipt.
    assert first.content_destroyed_at is None and first.content_due_at is not None
    assert not Attachment.objects.filter(case=first, destruction_started_at__isnull=True).exists()
    assert not any(file_path(a).exists() for a in Attachment.objects.filter(case=first))
    assert not DestructionReceipt.objects.filter(case=first).exists()

    code, summary, _out, err = run_destroy_due("--as-of", as_of)
    assert code == 0 and (summary["cases"], summary["errors"]) == (1, 0), err
    for case in cases:
        assert_content_gone(case, files[case.pk])
        assert DestructionReceipt.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_mid_batch_is_reported_and_the_batch_retried_case_by_case(world):
    cases, files = handled_cases(world, 3)
    summary = _kill_the_childs_connection(destroy_due("--as-of", later(cases).isoformat(), pause_at="after_files#1"))
    assert (summary["cases"], summary["errors"], summary["error_cases"]) == (
        3, 1, ["batch of 3: OperationalError"]), summary
    for case in cases:
        assert_content_gone(case, files[case.pk])
        assert DestructionReceipt.objects.filter(case=case).count() == 1


def test_the_overdue_case_is_what_a_failed_run_leaves(world, unremovable):
    """A case that keeps failing stays due, so /healthz turns 503 after two intervals."""
    from apps.haastavat_erot.purge import overdue_since

    (case,), files = handled_cases(world, 1)
    unremovable(file_path(files[case.pk][0]))
    now = case.content_due_at + timedelta(minutes=31)
    assert run_destruction(as_of=now).errors == 1
    assert overdue_since(now) == case.content_due_at
    assert overdue_since(timezone.now()) is None  # not yet due in real time
