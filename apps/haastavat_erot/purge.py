"""Destruction of background information, attachments, consents and recommendation texts.

Rows and file bytes go together, crash-safe, in three steps per batch of due cases
(DESTRUCTION_BATCH_SIZE, so the cost is a few queries per batch, not per case):

1. In a transaction, lock the cases, check they are still due, close them to editing and mark
   their attachments; commit.
2. Remove the marked files' bytes (a file already missing is fine; a case whose file cannot be
   removed is reported and left due, its rows marked).
3. In a transaction, lock the cases again, delete the marked rows and the content, write the
   receipts (unique per case and scope, so never twice) and clear the due times; commit.

A SIGKILL anywhere leaves the cases due with some files marked or already gone; the next run
repeats the steps and finishes. Bytes are never removed while a rollback could keep their row.
Identifying details after a consent withdrawal go the same way, one case at a time; a run
finishes one that was interrupted. Files that have no row at all (an upload whose transaction
rolled back) are swept once older than ORPHAN_FILE_SAFETY_HOURS. Log lines, the summary and the
run's error list carry case numbers, counts and exception class names only. The crash tests pause
a run at the named points of `_checkpoint`.
"""

import json
import logging
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from . import anonymity
from .models import (
    Attachment,
    BackgroundInformation,
    Case,
    CaseState,
    Child,
    Consent,
    DestructionReceipt,
    DestructionRun,
    Feedback,
    Recommendation,
)

log = logging.getLogger(__name__)
Reason = DestructionReceipt.Reason
Scope = DestructionReceipt.Scope


@dataclass
class Summary:
    cases: int = 0
    attachments: int = 0
    bytes: int = 0
    recommendations: int = 0
    orphan_files: int = 0
    errors: int = 0
    error_cases: list = field(default_factory=list)
    due_cases: list = field(default_factory=list)

    def as_json(self):
        data = asdict(self)
        data.pop("due_cases")
        return json.dumps(data, sort_keys=True)


class FileRemovalFailed(Exception):
    pass


_checkpoints_seen = {}


def _checkpoint(name):
    """Test hook for the crash tests: with settings.DESTRUCTION_TEST_HOOKS on and the process
    environment naming this point (HE_DESTRUCTION_PAUSE_AT=name, or name#N for its Nth passage),
    say so on stderr and wait for SIGUSR1 (go on) or SIGKILL. Does nothing in production."""
    if not getattr(settings, "DESTRUCTION_TEST_HOOKS", False):
        return
    wanted = os.environ.get("HE_DESTRUCTION_PAUSE_AT", "")
    if wanted.split("#")[0] != name:
        return
    _checkpoints_seen[name] = _checkpoints_seen.get(name, 0) + 1
    if wanted not in (name, f"{name}#{_checkpoints_seen[name]}"):
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    sys.stderr.write(f"paused at {wanted}\n")
    sys.stderr.flush()
    signal.sigwait({signal.SIGUSR1})
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})


# --- content ---------------------------------------------------------------------------------
def _content_reason(case):
    if case.state in (CaseState.HANDLED, CaseState.CLOSED):
        return Reason.HANDLED
    if case.state == CaseState.WITHDRAWN:
        return Reason.WITHDRAWN
    if case.state == CaseState.DRAFT or (case.state == CaseState.EXPIRED and case.returned_at is None):
        return Reason.DRAFT_ABANDONED
    return Reason.RETURNED_ABANDONED


def _remove_marked_files(case_ids):
    """Step 2: remove the bytes of the cases' marked attachments (a file already missing is fine).
    Return {case id: FileRemovalFailed} for the cases whose bytes could not all be removed."""
    storage = storages["private"]
    failed = {}
    marked = Attachment.objects.filter(case_id__in=case_ids, destruction_started_at__isnull=False)
    for case_id, name in marked.values_list("case_id", "file").order_by("case_id", "pk").iterator():
        if case_id in failed:
            continue
        try:
            storage.delete(name)
            if storage.exists(name):
                raise FileRemovalFailed("attachment file still exists after removal")
        except FileNotFoundError:
            pass
        except FileRemovalFailed as error:
            failed[case_id] = error
        except OSError as error:
            failed[case_id] = FileRemovalFailed(f"attachment file could not be removed ({error.__class__.__name__})")
        _checkpoint("file_removed")
    return failed


def _mark_attachments(case_ids, now):
    Attachment.objects.filter(case_id__in=case_ids, destruction_started_at__isnull=True).update(
        destruction_started_at=now)


def _counts(queryset, case_field, **aggregates):
    """Return {case id: {name: value}} of `aggregates` grouped by case, in one query."""
    rows = queryset.values(case_field).annotate(**aggregates).order_by()
    return {row.pop(case_field): row for row in rows}


def _delete_marked_attachments(case_ids):
    """Step 3 for files: delete the marked rows; return {case id: {"n": count, "bytes": size}}."""
    marked = Attachment.objects.filter(case_id__in=case_ids, destruction_started_at__isnull=False)
    counts = _counts(marked, "case_id", n=Count("pk"), bytes=Sum("size"))
    marked.delete()
    return counts


def destroy_content(case_ids, run, as_of):
    """Destroy the background information, attachments and consents of due cases, a batch at a
    time: each step is one transaction (or one pass over the files) for the whole batch, so the
    cost per case is a few rows, not a few commits.

    Return ({case id: receipt} of the cases destroyed now or before, {case id: error} of the
    cases whose files could not be removed; those stay due, their rows marked).
    """
    now = timezone.now()
    with transaction.atomic():  # step 1
        cases = list(Case.objects.select_for_update().filter(pk__in=case_ids, content_due_at__lte=as_of)
                     .order_by("pk"))
        for case in cases:
            if case.state in (CaseState.DRAFT, CaseState.RETURNED):
                case.state = CaseState.EXPIRED  # closed to editing before any byte goes
                case.expired_at = now
                case.save()
        _mark_attachments([c.pk for c in cases], now)
    _checkpoint("after_mark")
    failed = _remove_marked_files([c.pk for c in cases])  # step 2
    _checkpoint("after_files")
    with transaction.atomic():  # step 3
        ids = [c.pk for c in cases if c.pk not in failed]
        cases = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        done = {r.case_id: r for r in DestructionReceipt.objects.filter(case_id__in=ids, scope=Scope.CONTENT)}
        cases = [c for c in cases if c.content_destroyed_at is None and c.pk not in done]
        ids = [c.pk for c in cases]
        attachments = _delete_marked_attachments(ids)
        forms = _counts(BackgroundInformation.objects.filter(case_id__in=ids), "case_id", n=Count("pk"))
        children = _counts(Child.objects.filter(background__case_id__in=ids), "background__case_id", n=Count("pk"))
        consents = _counts(Consent.objects.filter(case_id__in=ids), "case_id", n=Count("pk"))
        receipts = DestructionReceipt.objects.bulk_create([DestructionReceipt(
            case=case, run=run, scope=Scope.CONTENT, reason=_content_reason(case),
            background_forms=forms.get(case.pk, {}).get("n", 0), children=children.get(case.pk, {}).get("n", 0),
            consents=consents.get(case.pk, {}).get("n", 0), attachments=attachments.get(case.pk, {}).get("n", 0),
            bytes=attachments.get(case.pk, {}).get("bytes") or 0) for case in cases])
        Consent.objects.filter(case_id__in=ids).delete()
        BackgroundInformation.objects.filter(case_id__in=ids).delete()
        Case.objects.filter(pk__in=ids).update(content_destroyed_at=timezone.now(), content_due_at=None)
        _checkpoint("before_commit")
    _checkpoint("after_receipt")
    for case in cases:
        log.info("destroyed content of case %s", case.number)
    done.update((r.case_id, r) for r in receipts)
    return done, failed


def destroy_case_content(case_id, run, as_of):
    """Destroy the content of one due case; return its receipt, or None if it was not due.
    Raise FileRemovalFailed if its files could not all be removed (it stays due)."""
    done, failed = destroy_content([case_id], run, as_of)
    if case_id in failed:
        raise failed[case_id]
    return done.get(case_id)


def destroy_case_recommendations(case_id, run, as_of):
    """Destroy the recommendation texts and the feedback comment of one due case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.recommendations_due_at is None or case.recommendations_due_at > as_of:
            return None
        texts = Recommendation.objects.filter(case=case).exclude(text="")
        count = texts.count()
        texts.update(text="")
        Feedback.objects.filter(case=case).update(comment="")
        acknowledged = case.recommendations_acknowledged_at
        reason = Reason.ACKNOWLEDGED if acknowledged and case.recommendations_due_at < case.handled_at + timedelta(
            days=60) else Reason.MAXIMUM_AGE
        receipt, _ = DestructionReceipt.objects.get_or_create(
            case=case, scope=Scope.RECOMMENDATIONS, defaults={"run": run, "reason": reason, "recommendations": count})
        case.recommendations_destroyed_at = timezone.now()
        case.save()
        _checkpoint("recommendations_before_commit")
    log.info("destroyed recommendations of case %s", case.number)
    return receipt


def destroy_identifying(case_id, run):
    """After a guardian withdraws consent: the case is anonymous from now on. Redact names,
    identity codes, phone numbers and e-mail addresses from its texts, clear the names of the
    guardians and children, and destroy every uploaded file (they may identify the family)."""
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.content_destroyed_at is not None:
            return None
        consents = list(Consent.objects.filter(case=case))
        background = BackgroundInformation.objects.filter(case=case).first()
        children = list(background.children.all()) if background else []
        names = [c.guardian_name for c in consents] + [c.name for c in children]
        if background:
            for name in BackgroundInformation.FREE_TEXT_FIELDS:
                setattr(background, name, anonymity.redact(getattr(background, name), names))
            background.save()
        for consent in consents:
            consent.guardian_name = ""
            consent.not_asked_reason = anonymity.redact(consent.not_asked_reason, names) or "-"
            consent.save()
        Child.objects.filter(pk__in=[c.pk for c in children]).update(name="", identity_code="")
        case.is_anonymous = True
        case.save()
        _mark_attachments([case.pk], now)
    _checkpoint("after_mark")
    failed = _remove_marked_files([case_id])
    if failed:
        raise failed[case_id]
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        counts = _delete_marked_attachments([case.pk]).get(case.pk, {})
        attachments, size = counts.get("n", 0), counts.get("bytes") or 0
        receipt, created = DestructionReceipt.objects.get_or_create(
            case=case, scope=Scope.IDENTIFYING,
            defaults={"run": run, "reason": Reason.CONSENT_WITHDRAWN, "consents": len(consents),
                      "children": len(children), "attachments": attachments, "bytes": size})
        if not created:
            receipt.attachments += attachments
            receipt.bytes += size
            receipt.save(update_fields=["attachments", "bytes"])
        _checkpoint("before_commit")
    return receipt


def reschedule_group(group):
    """Apply the group's grace period to its handled cases whose content still waits: the county
    admin may change it at any time, and the due time is what the runs read."""
    return Case.objects.filter(group=group, state__in=[CaseState.HANDLED, CaseState.CLOSED],
                               content_destroyed_at__isnull=True).update(
        content_due_at=F("handled_at") + timedelta(hours=group.grace_hours))


# --- runs -----------------------------------------------------------------------------------
def due_case_ids(as_of):
    """Return (content_ids, recommendation_ids) due at `as_of`, read through the due-time indexes."""
    content = list(Case.objects.content_due(as_of).order_by("content_due_at").values_list("pk", flat=True))
    recommendations = list(Case.objects.recommendations_due(as_of).order_by("recommendations_due_at")
                           .values_list("pk", flat=True))
    return content, recommendations


def sweep_orphan_files(now, summary):
    """Remove files in the private storage that no attachment row names, once old enough."""
    root = Path(storages["private"].location)
    if not root.exists():
        return
    cutoff = (now - timedelta(hours=settings.ORPHAN_FILE_SAFETY_HOURS)).timestamp()
    candidates = []
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(directory) / filename
            try:
                if path.stat().st_mtime < cutoff:
                    candidates.append(path)
            except FileNotFoundError:
                continue
    for start in range(0, len(candidates), 500):
        batch = {str(p.relative_to(root)): p for p in candidates[start:start + 500]}
        known = set(Attachment.objects.filter(file__in=batch).values_list("file", flat=True))
        for name, path in batch.items():
            if name in known:
                continue
            try:
                size = path.stat().st_size
                path.unlink()
                summary.orphan_files += 1
                summary.bytes += size
            except FileNotFoundError:
                continue
            except OSError:
                summary.errors += 1
                log.warning("orphan file could not be removed")


def identifying_due_ids(as_of):
    """Return the cases whose identifying details wait for destruction after a consent withdrawal
    (the immediate destruction died or failed): withdrawn, no receipt yet, content still there.
    Read through the index on consent_withdrawn_at."""
    return list(Case.objects.filter(consent_withdrawn_at__lte=as_of, content_destroyed_at__isnull=True)
                .exclude(destruction_receipts__scope=Scope.IDENTIFYING).values_list("pk", flat=True))


def run_destruction(*, as_of=None, dry_run=False, trigger=DestructionRun.Trigger.COMMAND, sweep=True):
    """Destroy everything due at `as_of` (default now). Return a Summary; never raise for one case."""
    now = timezone.now()
    as_of = as_of or now
    summary = Summary()
    content_ids, recommendation_ids = due_case_ids(as_of)
    if dry_run:
        due = set(content_ids) | set(recommendation_ids) | set(identifying_due_ids(as_of))
        summary.due_cases = list(Case.objects.filter(pk__in=due)
                                 .order_by("number").values_list("number", flat=True))
        return summary
    run = DestructionRun.objects.create(trigger=trigger, as_of=as_of)
    size = settings.DESTRUCTION_BATCH_SIZE
    for start in range(0, len(content_ids), size):
        _destroy_content_batch(summary, content_ids[start:start + size], run, as_of)
    for case_id in identifying_due_ids(as_of):
        receipt = _guarded(summary, case_id, destroy_identifying, case_id, run)
        if receipt is not None:
            summary.attachments += receipt.attachments
            summary.bytes += receipt.bytes
    for case_id in recommendation_ids:
        receipt = _guarded(summary, case_id, destroy_case_recommendations, case_id, run, as_of)
        if receipt is not None and receipt.run_id == run.pk:
            summary.recommendations += receipt.recommendations
    if sweep:
        _checkpoint("before_sweep")
        sweep_orphan_files(now, summary)
    _finish_run(run, summary)
    return summary


def _destroy_content_batch(summary, case_ids, run, as_of):
    """Destroy a batch; if the batch fails as a whole (a database error), report it and retry
    its cases one by one, so that one bad case does not hold back the others."""
    try:
        done, failed = destroy_content(case_ids, run, as_of)
    except (DatabaseError, OSError) as error:
        _drop_broken_connection()
        if len(case_ids) == 1:
            _record_error(summary, case_ids[0], error)
            return
        summary.errors += 1
        summary.error_cases.append(f"batch of {len(case_ids)}: {error.__class__.__name__}")
        log.warning("destruction batch of %s cases failed: %s", len(case_ids), error.__class__.__name__)
        for case_id in case_ids:
            _destroy_content_batch(summary, [case_id], run, as_of)
        return
    for case_id, error in failed.items():
        _record_error(summary, case_id, error)
    for receipt in done.values():
        if receipt.run_id == run.pk:
            summary.cases += 1
            summary.attachments += receipt.attachments
            summary.bytes += receipt.bytes


def _guarded(summary, case_id, destroy, *args):
    """Call `destroy(*args)` for one case; record a failure (the case stays due) and go on."""
    try:
        return destroy(*args)
    except (FileRemovalFailed, DatabaseError, OSError) as error:
        _drop_broken_connection()
        _record_error(summary, case_id, error)
        return None


def _drop_broken_connection():
    """After a database error outside a transaction, close a connection that no longer answers
    (the server restarted or killed it) so that the next query opens a new one."""
    if connection.in_atomic_block or connection.connection is None:
        return
    try:
        usable = connection.is_usable()
    except Exception:  # noqa: BLE001 - a broken connection may fail in any way
        usable = False
    if not usable:
        connection.close()


def _record_error(summary, case_id, error):
    try:
        number = Case.objects.filter(pk=case_id).values_list("number", flat=True).first()
    except DatabaseError:
        _drop_broken_connection()
        number = None
    number = number or f"id {case_id}"
    summary.errors += 1
    summary.error_cases.append(f"{number}: {error.__class__.__name__}")
    log.warning("destruction of case %s failed: %s", number, error.__class__.__name__)


def _finish_run(run, summary):
    for attempt in range(3):  # the database may be restarting: try a few times before giving up
        try:
            DestructionRun.objects.filter(pk=run.pk).update(
                finished_at=timezone.now(), cases=summary.cases, attachments=summary.attachments,
                bytes=summary.bytes, recommendations=summary.recommendations, orphan_files=summary.orphan_files,
                errors=summary.errors, error_summary="\n".join(summary.error_cases))
            return
        except DatabaseError:
            _drop_broken_connection()
            time.sleep(1 + attempt)
    summary.errors += 1
    summary.error_cases.append(f"run #{run.pk}: not recorded")


def _run_one(destroy, case_id, *args):
    """Run one immediate destruction as its own run. Never raise: called after a commit, where a
    failure must not undo the user's action; the case stays due and the next run finishes it."""
    summary = Summary()
    try:
        run = DestructionRun.objects.create(trigger=DestructionRun.Trigger.WITHDRAWAL, as_of=timezone.now())
    except DatabaseError as error:
        _drop_broken_connection()
        _record_error(summary, case_id, error)
        return summary
    receipt = _guarded(summary, case_id, destroy, case_id, run, *args)
    if receipt is not None:
        summary.cases = int(receipt.scope == Scope.CONTENT)
        summary.attachments, summary.bytes = receipt.attachments, receipt.bytes
    _finish_run(run, summary)
    return summary


def destroy_now(case_id):
    """Destroy a withdrawn case's content at once (called after the withdrawal commits)."""
    return _run_one(destroy_case_content, case_id, timezone.now())


def withdraw_identifying_now(case_id):
    """Destroy identifying details at once after a consent is withdrawn."""
    return _run_one(destroy_identifying, case_id)


def overdue_since(now=None):
    """Return the oldest due time more than two scheduler intervals in the past, or None."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=2 * settings.DESTRUCTION_INTERVAL_MINUTES)
    oldest = [
        Case.objects.filter(**{f"{name}__lt": limit}).order_by(name).values_list(name, flat=True).first()
        for name in ("content_due_at", "recommendations_due_at")
    ]
    oldest = [t for t in oldest if t is not None]
    return min(oldest) if oldest else None
