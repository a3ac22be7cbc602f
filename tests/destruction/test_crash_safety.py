"""A SIGKILL at any step of a destruction run, then a rerun: nothing of what was due remains (no
row, no file), no receipt twice, and nothing that was not due is touched. The run is the real
`manage.py destroy_due` in a child process, paused at a named point (purge._checkpoint) and
killed there."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.haastavat_erot.models import Attachment, CaseState, DestructionReceipt, Recommendation
from apps.haastavat_erot.purge import run_destruction
from tests.builders import case_in_state, fill_case

from .helpers import assert_content_gone, file_path, snapshot, with_files
from .subprocess_run import Child, destroy_due, run_destroy_due

pytestmark = pytest.mark.django_db(transaction=True)
Scope = DestructionReceipt.Scope


@pytest.fixture
def due_world(world):
    """Three cases due at `as_of` (two handled, one closed whose recommendations are due too) and
    two that are not (a submitted case and a fresh draft), all with real files."""
    handled_a = case_in_state(world, CaseState.HANDLED, session=world.sessions[0])
    closed = case_in_state(world, CaseState.CLOSED, session=world.sessions[0])
    handled_b = case_in_state(world, CaseState.HANDLED, session=world.sessions[1])
    submitted = case_in_state(world, CaseState.SUBMITTED, session=world.sessions[1])
    draft = fill_case(case_in_state(world, CaseState.DRAFT, session=world.sessions[2]))
    due = {handled_a.pk: with_files(handled_a, (1000, 200)) + with_files(handled_a, (30, 4)),
           closed.pk: with_files(closed, (500, 50)),
           handled_b.pk: with_files(handled_b, (700, 70))}
    for case in (submitted, draft):
        with_files(case)
    return {"due": due, "cases": [handled_a, closed, handled_b], "closed": closed,
            "kept": [submitted, draft], "as_of": (timezone.now() + timedelta(days=8)).isoformat()}


def assert_no_row_points_at_nothing():
    """An attachment row whose bytes are gone must be marked for destruction (a rerun finishes it)."""
    for attachment in Attachment.objects.all():
        if not file_path(attachment).exists():
            assert attachment.destruction_started_at is not None, attachment.pk


def assert_everything_due_is_gone(due_world, kept_before):
    for case in due_world["cases"]:
        assert_content_gone(case, due_world["due"][case.pk])
        receipt = DestructionReceipt.objects.get(case=case, scope=Scope.CONTENT)
        files = due_world["due"][case.pk]
        assert (receipt.attachments, receipt.bytes) == (len(files), sum(a.size for a in files))
    closed = due_world["closed"]
    assert Recommendation.objects.get(case=closed).text == ""
    assert DestructionReceipt.objects.get(case=closed, scope=Scope.RECOMMENDATIONS).recommendations == 1
    assert DestructionReceipt.objects.count() == 4
    for case in due_world["cases"]:
        if case.pk != closed.pk:
            assert Recommendation.objects.get(case=case).text  # not due for 60 days
    assert [snapshot(c) for c in due_world["kept"]] == kept_before


# (batch size, pause point): one case per batch, where `#N` counts cases, and the default batch,
# where all three due cases go through each step together.
CHECKPOINTS = [("1", point) for point in (
    "after_mark#1", "file_removed#1", "file_removed#3", "after_files#1", "before_commit#1", "after_receipt#1",
    "after_mark#2", "before_commit#3", "recommendations_before_commit#1", "before_sweep")] + [
    ("100", point) for point in ("after_mark", "file_removed#5", "after_files", "before_commit", "after_receipt")]


@pytest.mark.parametrize("batch, point", CHECKPOINTS)
def test_sigkill_at_each_step_then_rerun_leaves_nothing_behind(due_world, batch, point):
    kept_before = [snapshot(c) for c in due_world["kept"]]
    child = destroy_due("--as-of", due_world["as_of"], pause_at=point, DESTRUCTION_BATCH_SIZE=batch)
    assert child.wait_for_pause(), child.finish()[3]
    child.kill()

    assert_no_row_points_at_nothing()
    assert [snapshot(c) for c in due_world["kept"]] == kept_before

    code, summary, out, err = run_destroy_due("--as-of", due_world["as_of"])
    assert code == 0, err
    assert summary["errors"] == 0, summary
    assert_everything_due_is_gone(due_world, kept_before)
    # A third run finds nothing left to do.
    again = run_destruction(as_of=parse_datetime(due_world["as_of"]))
    assert (again.cases, again.attachments, again.bytes, again.recommendations, again.errors) == (0, 0, 0, 0, 0)


def test_kill_twice_in_the_same_case_then_rerun(due_world):
    kept_before = [snapshot(c) for c in due_world["kept"]]
    for point in ("file_removed#2", "before_commit#1"):
        child = destroy_due("--as-of", due_world["as_of"], pause_at=point, DESTRUCTION_BATCH_SIZE="1")
        assert child.wait_for_pause()
        child.kill()
    assert run_destroy_due("--as-of", due_world["as_of"])[0] == 0
    assert_everything_due_is_gone(due_world, kept_before)


def test_withdrawal_killed_before_the_receipt_is_finished_by_the_next_run(world, due_world):
    """The immediate destruction after a withdrawal runs in the web process; if that process dies
    halfway, the withdrawn case stays due and the next scheduled run finishes it."""
    case = due_world["kept"][0]
    files = list(Attachment.objects.filter(case=case))
    code = ("from apps.haastavat_erot.models import Case, User\n"
            "from apps.haastavat_erot.services import booking\n"
            f"booking.case_withdraw(case=Case.objects.get(pk={case.pk}), by=User.objects.get(pk={world.worker.pk}))")
    child = Child("shell", "-c", code, pause_at="after_files")
    assert child.wait_for_pause()
    child.kill()
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN and case.content_due_at is not None
    assert not DestructionReceipt.objects.filter(case=case).exists()
    assert_no_row_points_at_nothing()

    code, summary, _out, err = run_destroy_due()
    assert code == 0 and summary["cases"] == 1, err
    assert_content_gone(case, files)
    assert DestructionReceipt.objects.get(case=case).reason == DestructionReceipt.Reason.WITHDRAWN
