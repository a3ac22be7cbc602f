"""The worker's side of the lifecycle: book, submit, withdraw."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import BackgroundInformation, Case, CaseState, Child, Consent, Session
from ..notifications import notify_after_commit
from .attachments import attachments_add_in_transaction


def case_book(*, worker, session, sector="", concern_raised_with_guardians=None, basic_services_tried=None,
              discussed_before="", eligibility_reasoning=""):
    """Book a slot of `session` for a new case of `worker`. The slot is held from now on.

    Two workers racing for the last slot: the session row is locked (Case.save), so exactly one
    gets it and the other gets a ValidationError with code 'session_full'.
    """
    session = Session.objects.select_related("group__county").get(pk=session.pk)
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session has already started."), code="session_past")
    if not session.group.is_active:
        raise ValidationError(_("The group does not take new cases."), code="group_inactive")
    with transaction.atomic():
        case = Case(
            group=session.group,
            session=session,
            worker=worker,
            sector=sector or worker.sector,
            worker_unit=worker.unit,
            concern_raised_with_guardians=concern_raised_with_guardians,
            basic_services_tried=basic_services_tried,
            discussed_before=discussed_before,
        )
        case.full_clean(exclude=["number"])
        case.save()
        BackgroundInformation.objects.create(case=case, eligibility_reasoning=eligibility_reasoning)
    notify_after_commit("case_booked", case.pk)
    return case


def submission_problems(case):
    """Return the messages that keep the case from being submitted (empty when complete)."""
    problems = []
    background = getattr(case, "background", None)
    has_consent, has_child = _has_consent_and_child(case, background)
    if not has_consent:
        problems.append(_("Record the guardians' consent, or that it could not be asked."))
    if background is None or not background.question.strip():
        problems.append(_("Write your question to the group."))
    if not has_child:
        problems.append(_("Add at least one child."))
    if background is None or not background.family_situation.strip():
        problems.append(_("Describe the family situation."))
    if not case.session_id:
        problems.append(_("Book a session for the case."))
    return problems


def _has_consent_and_child(case, background):
    """Return whether the case has a consent recorded and a child added: one SQL statement
    instead of two ORM queries, on the submit's path (decision 36)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS(SELECT 1 FROM {Consent._meta.db_table} WHERE case_id = %s), "
                       f"EXISTS(SELECT 1 FROM {Child._meta.db_table} WHERE background_id = %s)",
                       [case.pk, background.pk if background else None])
        has_consent, has_child = cursor.fetchone()
    return bool(has_consent), bool(has_child)


def case_submit(*, case, by, files=()):
    """Submit a complete draft, or resubmit a returned case, to the group's coordinator, adding
    `files` (uploads) to its attachments. An incomplete case raises a ValidationError listing
    what is missing before any file is written. Inside a caller's transaction it takes no
    savepoint: a refusal after that (too many files, a full session) rolls the caller's whole
    transaction back, as the background form's view wants."""
    if case.worker_id != by.pk:
        raise PermissionDenied
    problems = submission_problems(case)
    if problems:
        raise ValidationError(problems, code="incomplete")
    with transaction.atomic(savepoint=False):
        attachments_add_in_transaction(case=case, files=files, by=by)  # while the case is still editable
        case.state = CaseState.SUBMITTED
        case.submitted_at = timezone.now()
        case.last_edited_at = case.submitted_at
        case.save(update_fields=["state", "submitted_at", "last_edited_at"])
    notify_after_commit("case_submitted", case.pk)
    return case


def case_withdraw(*, case, by):
    """Withdraw the case before its session; its background information is destroyed at once."""
    if not by.has_perm("haastavat_erot.withdraw_case", case):
        raise ValidationError(_("This case can no longer be withdrawn."), code="not_withdrawable")
    case.state = CaseState.WITHDRAWN
    case.withdrawn_at = timezone.now()
    case.save()
    from .. import purge

    transaction.on_commit(lambda: purge.destroy_now(case.pk))
    return case


def case_rebook(*, case, session, by):
    """Move the worker's own draft or returned case to another upcoming session of its group, e.g.
    after its session was cancelled. A draft takes the new slot at once (Case.save checks it is
    free); a returned case takes it when resubmitted."""
    if not by.has_perm("haastavat_erot.edit_case", case):
        raise PermissionDenied
    session = Session.objects.get(pk=session.pk)
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session has already started."), code="session_past")
    case.session = session
    case.last_edited_at = timezone.now()
    case.full_clean(exclude=["number"])
    case.save()
    return case


def case_touch(*, case):
    """Record that the worker edited the draft: an untouched draft is destroyed after 30 days."""
    case.last_edited_at = timezone.now()
    case.save(update_fields=["last_edited_at"])
