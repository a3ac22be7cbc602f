"""The coordinator's and chair's side of the lifecycle: agenda, recommendations, sign-off."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import anonymity
from ..models import Case, CaseState, Feedback, Recommendation
from ..notifications import notify_after_commit


def _require(user, perm, obj):
    if not user.has_perm("haastavat_erot." + perm, obj):
        raise PermissionDenied


def case_schedule(*, case, by, session=None):
    """Accept a submitted case onto the agenda of its session (or of `session`)."""
    _require(by, "manage_agenda", case.group)
    if case.state != CaseState.SUBMITTED:
        raise ValidationError(_("Only a submitted case can be accepted onto the agenda."), code="not_submitted")
    with transaction.atomic():
        if session is not None:
            case.session = session
        last = Case.objects.filter(session=case.session, state=CaseState.SCHEDULED).aggregate(m=Max("agenda_position"))
        case.agenda_position = (last["m"] or 0) + 1
        case.state = CaseState.SCHEDULED
        case.scheduled_at = timezone.now()
        case.full_clean(exclude=["number"])
        case.save()
    notify_after_commit("case_scheduled", case.pk)
    return case


def case_move(*, case, session, by):
    """Move a case to another session of its group; the new session must have a free slot."""
    _require(by, "manage_agenda", case.group)
    if case.state not in (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED):
        raise ValidationError(_("Only a case waiting for its session can be moved."), code="not_movable")
    case.session = session
    case.agenda_position = None
    case.full_clean(exclude=["number"])
    case.save()
    notify_after_commit("case_moved", case.pk)
    return case


def case_return(*, case, by, reason):
    """Return a submitted or scheduled case to the worker with a reason; the slot is freed."""
    _require(by, "manage_agenda", case.group)
    if case.state not in (CaseState.SUBMITTED, CaseState.SCHEDULED):
        raise ValidationError(_("Only a submitted case can be returned."), code="not_returnable")
    if not reason.strip():
        raise ValidationError(_("Tell the worker why the case is returned."), code="reason_required")
    with transaction.atomic():
        case.state = CaseState.RETURNED
        case.returned_at = timezone.now()
        case.agenda_position = None
        case.save()
        case.background.return_reason = reason
        case.background.save(update_fields=["return_reason", "updated_at"])
    notify_after_commit("case_returned", case.pk)
    return case


def agenda_reorder(*, session, case_ids, by):
    """Put the scheduled cases of `session` in the order of `case_ids`."""
    _require(by, "manage_agenda", session)
    scheduled = {c.pk: c for c in session.cases.filter(state=CaseState.SCHEDULED)}
    if set(case_ids) != set(scheduled):
        raise ValidationError(_("The new order must contain exactly the cases on the agenda."), code="order_mismatch")
    with transaction.atomic():
        for position, case_id in enumerate(case_ids, start=1):
            Case.objects.filter(pk=case_id).update(agenda_position=position)


def session_publish_agenda(*, session, by):
    """Open the agenda to the group's experts and tell them (an e-mail with a link only)."""
    _require(by, "manage_agenda", session)
    if not session.cases.filter(state=CaseState.SCHEDULED).exists():
        raise ValidationError(_("The agenda has no cases yet."), code="agenda_empty")
    session.agenda_published_at = timezone.now()
    session.agenda_published_by = by
    session.save(update_fields=["agenda_published_at", "agenda_published_by"])
    notify_after_commit("agenda_published", session.pk)
    return session


# --- recommendations: recorded by the coordinator or chair, signed off by the chair, then read,
# filed and acknowledged by the worker ------------------------------------------------------------
_LIFECYCLE_FIELDS = ("state", "handled_at", "closed_at", "recommendations_signed_off_at",
                     "recommendations_signed_off_by_id", "recommendations_acknowledged_at",
                     "recommendations_destroyed_at")


def _lock_case(case):
    """Lock the case row (call inside a transaction) and reload its lifecycle fields into `case`,
    so that a recommendation recorded while the chair signs off is either seen or refused."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    for name in _LIFECYCLE_FIELDS:
        setattr(case, name, getattr(fresh, name))
    case._loaded_state = fresh.state
    return case


def _check_text_for_anonymous_case(case, text):
    if case.is_anonymous:
        anonymity.validate_anonymous_text(text)


def recommendation_record(*, case, by, category, text):
    """Add one recommendation to a case on the agenda, before the chair signs them off."""
    text = (text or "").strip()
    with transaction.atomic():
        _lock_case(case)
        _require(by, "record_recommendations", case)
        if not text:
            raise ValidationError({"text": ValidationError(_("Write the recommendation."), code="text_required")})
        try:
            _check_text_for_anonymous_case(case, text)
        except ValidationError as error:
            raise ValidationError({"text": error.error_list}) from None
        position = (case.recommendations.aggregate(m=Max("position"))["m"] or 0) + 1
        recommendation = Recommendation(case=case, category=category, text=text, recorded_by=by, position=position)
        recommendation.full_clean()
        recommendation.save()
    return recommendation


def recommendation_remove(*, recommendation, by):
    """Remove a recommendation recorded by mistake; only before the sign-off."""
    case = recommendation.case
    with transaction.atomic():
        _lock_case(case)
        _require(by, "record_recommendations", case)
        if case.state == CaseState.HANDLED and case.recommendations.count() == 1:
            raise ValidationError(_("A handled case keeps at least one recommendation."), code="last_recommendation")
        recommendation.delete()


def case_mark_handled(*, case, by):
    """Mark the case handled: the grace period before destroying its background starts now."""
    with transaction.atomic():
        _lock_case(case)
        _require(by, "record_recommendations", case)
        if case.state != CaseState.SCHEDULED:
            raise ValidationError(_("Only a case on the agenda can be marked handled."), code="not_scheduled")
        if not case.recommendations.exists():
            raise ValidationError(_("Record at least one recommendation first."), code="no_recommendations")
        case.state = CaseState.HANDLED
        case.handled_at = timezone.now()
        case.save()
    notify_after_commit("case_handled", case.pk)
    return case


def recommendations_sign_off(*, case, by):
    """The chair signs the recommendations off; the worker is then told they are ready."""
    with transaction.atomic():
        _lock_case(case)
        _require(by, "sign_off_recommendations", case)
        if case.state != CaseState.HANDLED:
            raise ValidationError(_("Mark the case handled before signing off."), code="not_handled")
        case.recommendations_signed_off_at = timezone.now()
        case.recommendations_signed_off_by = by
        case.save(update_fields=["recommendations_signed_off_at", "recommendations_signed_off_by"])
    notify_after_commit("recommendations_ready", case.pk)
    return case


def recommendations_acknowledge(*, case, by):
    """The worker confirms the handover: they have read the recommendations and filed them in
    their own client record. The case closes and the texts are destroyed 7 days later."""
    with transaction.atomic():
        _lock_case(case)
        _require(by, "acknowledge_recommendations", case)
        if case.recommendations_acknowledged_at:
            return case
        now = timezone.now()
        case.recommendations_acknowledged_at = now
        case.state = CaseState.CLOSED
        case.closed_at = now
        case.save()
    return case


def recommendations_feedback(*, case, by, usefulness, comment=""):
    """Save (or replace) the worker's feedback: the score stays for the statistics, the comment
    is destroyed with the recommendation texts, so it may be given only while they exist."""
    comment = (comment or "").strip()
    with transaction.atomic():
        _lock_case(case)
        _require(by, "give_feedback", case)
        try:
            _check_text_for_anonymous_case(case, comment)
        except ValidationError as error:
            raise ValidationError({"comment": error.error_list}) from None
        feedback = Feedback.objects.filter(case=case).first() or Feedback(case=case)
        feedback.usefulness, feedback.comment = usefulness, comment
        feedback.full_clean()
        feedback.save()
    return feedback
