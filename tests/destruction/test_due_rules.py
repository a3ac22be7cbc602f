"""Every due rule of issue 5, evaluated with `as_of` (and the command's --as-of): rows and file
bytes gone, receipts with counts and bytes only, and nothing that was not due touched."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from apps.haastavat_erot.models import CaseState, DestructionReceipt, DestructionRun, Recommendation
from apps.haastavat_erot.purge import run_destruction
from apps.haastavat_erot.services import booking
from tests.builders import case_in_state, fill_case

from .helpers import FAMILY_NAME, assert_content_gone, file_path, snapshot, with_files

SECOND = timedelta(seconds=1)


@pytest.fixture
def bystanders(world):
    """Cases that are not due: a submitted case and a handled case of a 14-day grace group."""
    submitted = case_in_state(world, CaseState.SUBMITTED, session=world.sessions[1])
    with_files(submitted)
    return [submitted]


@pytest.mark.parametrize("grace_hours", [0, 24, 14 * 24])
def test_handled_case_is_destroyed_when_its_grace_period_ends(world, bystanders, grace_hours):
    world.group.grace_hours = grace_hours
    world.group.save()
    case = case_in_state(world, CaseState.HANDLED)
    files = with_files(case)
    due = case.handled_at + timedelta(hours=grace_hours)
    before = snapshot(case), [snapshot(c) for c in bystanders]

    early = run_destruction(as_of=due - SECOND)
    assert (early.cases, early.attachments, early.errors) == (0, 0, 0)
    assert (snapshot(case), [snapshot(c) for c in bystanders]) == before

    summary = run_destruction(as_of=due)
    assert (summary.cases, summary.attachments, summary.bytes, summary.errors) == (1, 2, 1234, 0)
    assert_content_gone(case, files)
    receipt = DestructionReceipt.objects.get(case=case)
    assert (receipt.scope, receipt.reason) == (DestructionReceipt.Scope.CONTENT, DestructionReceipt.Reason.HANDLED)
    assert (receipt.background_forms, receipt.children, receipt.consents, receipt.attachments, receipt.bytes) == (
        1, 1, 2, 2, 1234)
    assert receipt.run.finished_at is not None and receipt.run.cases == 1 and receipt.run.bytes == 1234
    # The skeleton stays, recommendations are not due yet, and the bystanders are untouched.
    assert (case.number, case.state, case.is_anonymous, case.group_id) == (
        before[0]["case"]["number"], CaseState.HANDLED, False, world.group.pk)
    assert Recommendation.objects.get(case=case).text
    assert [snapshot(c) for c in bystanders] == before[1]


def test_grace_period_change_moves_the_due_time(world):
    case = case_in_state(world, CaseState.HANDLED)
    world.group.grace_hours = 14 * 24
    world.group.save()
    case.refresh_from_db()
    assert case.content_due_at == case.handled_at + timedelta(days=14)
    assert run_destruction(as_of=case.handled_at + timedelta(days=2)).cases == 0
    assert run_destruction(as_of=case.handled_at + timedelta(days=14)).cases == 1


def test_withdrawn_case_is_destroyed_at_once(world, bystanders, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)
    files = with_files(case)
    before = [snapshot(c) for c in bystanders]
    with django_capture_on_commit_callbacks(execute=True):
        booking.case_withdraw(case=case, by=world.worker)
    assert_content_gone(case, files)
    receipt = DestructionReceipt.objects.get(case=case)
    assert receipt.reason == DestructionReceipt.Reason.WITHDRAWN
    assert (receipt.attachments, receipt.bytes) == (2, 1234)
    assert receipt.run.trigger == DestructionRun.Trigger.WITHDRAWAL
    assert [snapshot(c) for c in bystanders] == before


def test_draft_untouched_for_30_days_is_destroyed(world, bystanders):
    case = fill_case(case_in_state(world, CaseState.DRAFT))
    files = with_files(case)
    due = case.last_edited_at + timedelta(days=30)
    assert run_destruction(as_of=due - SECOND).cases == 0
    assert file_path(files[0]).exists()
    assert run_destruction(as_of=due).cases == 1
    assert_content_gone(case, files)
    assert case.state == CaseState.EXPIRED
    assert DestructionReceipt.objects.get(case=case).reason == DestructionReceipt.Reason.DRAFT_ABANDONED


def test_draft_edited_again_is_kept_another_30_days(world):
    case = fill_case(case_in_state(world, CaseState.DRAFT))
    files = with_files(case)
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        booking.case_touch(case=case)
    case.refresh_from_db()
    assert run_destruction(as_of=case.created_at + timedelta(days=31)).cases == 0
    assert file_path(files[0]).exists()
    assert run_destruction(as_of=case.last_edited_at + timedelta(days=30)).cases == 1


def test_returned_case_not_resubmitted_in_30_days_is_destroyed(world, bystanders):
    case = case_in_state(world, CaseState.RETURNED)
    files = with_files(case)
    due = case.returned_at + timedelta(days=30)
    assert run_destruction(as_of=due - SECOND).cases == 0
    assert run_destruction(as_of=due).cases == 1
    assert_content_gone(case, files)
    assert case.state == CaseState.EXPIRED
    assert DestructionReceipt.objects.get(case=case).reason == DestructionReceipt.Reason.RETURNED_ABANDONED


def test_recommendations_go_7_days_after_acknowledgement(world):
    case = case_in_state(world, CaseState.CLOSED)
    due = case.recommendations_acknowledged_at + timedelta(days=7)
    summary = run_destruction(as_of=due - SECOND)
    assert summary.recommendations == 0 and summary.cases == 1  # the content went after the grace period
    assert Recommendation.objects.get(case=case).text
    summary = run_destruction(as_of=due)
    assert summary.recommendations == 1
    recommendation = Recommendation.objects.get(case=case)
    assert recommendation.text == "" and recommendation.category  # the category stays for statistics
    receipt = DestructionReceipt.objects.get(case=case, scope=DestructionReceipt.Scope.RECOMMENDATIONS)
    assert (receipt.reason, receipt.recommendations) == (DestructionReceipt.Reason.ACKNOWLEDGED, 1)
    case.refresh_from_db()
    assert case.recommendations_due_at is None and case.recommendations_destroyed_at is not None


def test_recommendations_go_60_days_after_handling_at_the_latest(world):
    case = case_in_state(world, CaseState.HANDLED)
    due = case.handled_at + timedelta(days=60)
    assert run_destruction(as_of=due - SECOND).recommendations == 0
    assert Recommendation.objects.get(case=case).text
    assert run_destruction(as_of=due).recommendations == 1
    assert Recommendation.objects.get(case=case).text == ""
    receipt = DestructionReceipt.objects.get(case=case, scope=DestructionReceipt.Scope.RECOMMENDATIONS)
    assert receipt.reason == DestructionReceipt.Reason.MAXIMUM_AGE


def test_a_second_run_destroys_nothing_twice(world):
    case = case_in_state(world, CaseState.CLOSED)
    with_files(case)
    as_of = case.handled_at + timedelta(days=61)
    first = run_destruction(as_of=as_of)
    assert (first.cases, first.recommendations) == (1, 1)
    second = run_destruction(as_of=as_of)
    assert (second.cases, second.attachments, second.bytes, second.recommendations) == (0, 0, 0, 0)
    assert DestructionReceipt.objects.filter(case=case).count() == 2


def test_receipts_hold_counts_and_choices_only(world):
    case = case_in_state(world, CaseState.CLOSED)
    with_files(case)
    run_destruction(as_of=case.handled_at + timedelta(days=61))
    for field in DestructionReceipt._meta.concrete_fields:
        assert not isinstance(field, models.TextField), field.name
        if isinstance(field, models.CharField):
            assert field.choices, field.name
    for receipt in DestructionReceipt.objects.filter(case=case).values():
        assert FAMILY_NAME not in str(receipt)
    assert FAMILY_NAME not in str(list(DestructionRun.objects.values()))


def _command(*args):
    out = StringIO()
    call_command("destroy_due", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines[:-1], json.loads(lines[-1])


def test_command_dry_run_lists_what_is_due_and_changes_nothing(world, bystanders):
    case = case_in_state(world, CaseState.HANDLED)
    with_files(case)
    before = snapshot(case), [snapshot(c) for c in bystanders]
    runs = DestructionRun.objects.count()
    as_of = (case.handled_at + timedelta(days=2)).isoformat()
    lines, summary = _command("--dry-run", "--as-of", as_of)
    assert lines == [f"due: {case.number}"]
    assert (summary["cases"], summary["attachments"], summary["bytes"], summary["errors"]) == (0, 0, 0, 0)
    assert (snapshot(case), [snapshot(c) for c in bystanders]) == before
    assert DestructionRun.objects.count() == runs


def test_command_prints_a_json_summary_last(world, bystanders):
    case = case_in_state(world, CaseState.HANDLED)
    files = with_files(case)
    _lines, summary = _command("--as-of", (case.handled_at + timedelta(days=61)).isoformat())
    assert summary == {"cases": 1, "attachments": 2, "bytes": 1234, "recommendations": 1, "orphan_files": 0,
                       "errors": 0, "error_cases": []}
    assert_content_gone(case, files)


def test_command_without_as_of_uses_the_present(world):
    case = case_in_state(world, CaseState.HANDLED)
    files = with_files(case)
    assert _command()[1]["cases"] == 0
    with time_machine.travel(case.handled_at + timedelta(days=1, minutes=1)):
        assert _command()[1]["cases"] == 1
    assert_content_gone(case, files)


def test_command_refuses_a_malformed_as_of(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("destroy_due", "--as-of", "tomorrow")
