"""The coordinator's and chair's side of the lifecycle: agenda, recommendations, sign-off."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import anonymity
from ..models import BackgroundInformation, Case, CaseDeclaration, CaseState, Feedback, Recommendation, Session
from ..notifications import notify_after_commit

ON_AGENDA_STATES = (CaseState.SCHEDULED, CaseState.HANDLED, CaseState.CLOSED)


def _require(user, perm, obj):
    if not user.has_perm("haastavat_erot." + perm, obj):
        raise PermissionDenied


def _require_bookable(case, session):
    """Refuse a session of another group, a cancelled one or one that has already started."""
    if session.group_id != case.group_id:
        raise ValidationError(_("The session belongs to another group."), code="session_other_group")
    if session.is_cancelled:
        raise ValidationError(_("The session has been cancelled."), code="session_cancelled")
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session has already started."), code="session_past")


def _lock(case):
    """Lock the case row and refresh the caller's object from it (inside a transaction)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    case.refresh_from_db()
    case._loaded_state, case._loaded_session_id = case.state, case.session_id
    return case


def _next_agenda_position(session_id):
    last = Case.objects.filter(session_id=session_id, state__in=ON_AGENDA_STATES).aggregate(m=Max("agenda_position"))
    return (last["m"] or 0) + 1


def case_schedule(*, case, by, session=None):
    """Accept a submitted case onto the agenda of its session (or of `session`, same group)."""
    _require(by, "manage_agenda", case.group)
    with transaction.atomic():
        _lock(case)
        if case.state != CaseState.SUBMITTED:
            raise ValidationError(_("Only a submitted case can be accepted onto the agenda."), code="not_submitted")
        session = session or case.session
        if session is None:
            raise ValidationError(_("Choose a session for the case."), code="no_session")
        _require_bookable(case, session)
        # Lock the session before reading the last position: two acceptances in a row get distinct places.
        Session.objects.select_for_update().filter(pk=session.pk).first()
        case.session = session
        case.agenda_position = _next_agenda_position(session.pk)
        case.state = CaseState.SCHEDULED
        case.scheduled_at = timezone.now()
        case.full_clean(exclude=["number"])
        case.save()
    notify_after_commit("case_scheduled", case.pk)
    return case


def case_move(*, case, session, by):
    """Move a case to another upcoming session of its group with a free slot. A case on the
    agenda goes to the end of the new session's agenda."""
    _require(by, "manage_agenda", case.group)
    with transaction.atomic():
        _lock(case)
        if case.state not in (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED):
            raise ValidationError(_("Only a case waiting for its session can be moved."), code="not_movable")
        if case.session_id == session.pk:
            raise ValidationError(_("The case is already in that session."), code="same_session")
        _require_bookable(case, session)
        Session.objects.select_for_update().filter(pk=session.pk).first()
        case.session = session
        case.agenda_position = _next_agenda_position(session.pk) if case.state == CaseState.SCHEDULED else None
        case.full_clean(exclude=["number"])
        case.save()
    notify_after_commit("case_moved", case.pk)
    return case


def case_return(*, case, by, reason):
    """Return a submitted or scheduled case to the worker with a reason; the slot is freed.
    The reason is kept with the background information (and destroyed with it)."""
    _require(by, "manage_agenda", case.group)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tell the worker why the case is returned."), code="reason_required")
    with transaction.atomic():
        _lock(case)
        if case.state not in (CaseState.SUBMITTED, CaseState.SCHEDULED):
            raise ValidationError(_("Only a submitted case can be returned."), code="not_returnable")
        case.state = CaseState.RETURNED
        case.returned_at = timezone.now()
        case.agenda_position = None
        case.save()
        BackgroundInformation.objects.update_or_create(case=case, defaults={"return_reason": reason})
    notify_after_commit("case_returned", case.pk)
    return case


def agenda_reorder(*, session, case_ids, by):
    """Put the cases on the agenda of `session` in the order of `case_ids`."""
    _require(by, "manage_agenda", session)
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        on_agenda = set(session.cases.filter(state__in=ON_AGENDA_STATES).values_list("pk", flat=True))
        if len(case_ids) != len(set(case_ids)) or set(case_ids) != on_agenda:
            raise ValidationError(_("The new order must contain exactly the cases on the agenda."),
                                  code="order_mismatch")
        for position, case_id in enumerate(case_ids, start=1):
            Case.objects.filter(pk=case_id, session=session).update(agenda_position=position)


def agenda_order(session):
    """Return the session's cases on the agenda, in agenda order."""
    return list(session.cases.filter(state__in=ON_AGENDA_STATES).order_by(
        F("agenda_position").asc(nulls_last=True), "scheduled_at", "pk"))


def agenda_move(*, case, by, offset):
    """Move a case `offset` places up (negative) or down (positive) on its session's agenda."""
    if case.session is None:
        raise ValidationError(_("The case is not on an agenda."), code="not_on_agenda")
    ids = [c.pk for c in agenda_order(case.session)]
    if case.pk not in ids:
        raise ValidationError(_("The case is not on an agenda."), code="not_on_agenda")
    index = ids.index(case.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    agenda_reorder(session=case.session, case_ids=ids, by=by)


def case_declare(*, case, by, decision):
    """Record an expert's or the chair's declaration on a case: no conflict, or disqualified.
    A declaration is final, except that a member may later declare themselves disqualified."""
    _require(by, "declare_on_case", case)
    decision = CaseDeclaration.Decision(decision)
    with transaction.atomic():
        declaration = CaseDeclaration.objects.select_for_update().filter(case=case, user=by).first()
        if declaration is None:
            return CaseDeclaration.objects.create(case=case, user=by, decision=decision)
        if declaration.decision != decision:
            if decision != CaseDeclaration.Decision.DISQUALIFIED:
                raise ValidationError(_("A disqualification cannot be withdrawn."),
                                      code="disqualification_final")
            declaration.decision = decision
            declaration.save()
    return declaration


def session_publish_agenda(*, session, by):
    """Open the agenda to the group's experts and tell them (an e-mail with a link only).
    Publishing again, after more cases were accepted, tells them again."""
    _require(by, "manage_agenda", session)
    if session.is_cancelled:
        raise ValidationError(_("The session has been cancelled."), code="session_cancelled")
    if not session.cases.filter(state=CaseState.SCHEDULED).exists():
        raise ValidationError(_("The agenda has no cases yet."), code="agenda_empty")
    session.agenda_published_at = timezone.now()
    session.agenda_published_by = by
    session.save(update_fields=["agenda_published_at", "agenda_published_by"])
    notify_after_commit("agenda_published", session.pk)
    return session


# --- recommendations: recorded by the coordinator or chair, signed off by the chair, then read,
# filed and acknowledged by the worker ------------------------------------------------------------


def _check_text_for_anonymous_case(case, text):
    if case.is_anonymous:
        anonymity.validate_anonymous_text(text)


def recommendation_record(*, case, by, category, text):
    """Add one recommendation to a case on the agenda, before the chair signs them off."""
    text = (text or "").strip()
    with transaction.atomic():
        _lock(case)
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
        _lock(case)
        _require(by, "record_recommendations", case)
        if case.state == CaseState.HANDLED and case.recommendations.count() == 1:
            raise ValidationError(_("A handled case keeps at least one recommendation."), code="last_recommendation")
        recommendation.delete()


def case_mark_handled(*, case, by):
    """Mark the case handled: the grace period before destroying its background starts now."""
    with transaction.atomic():
        _lock(case)
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
        _lock(case)
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
        _lock(case)
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
        _lock(case)
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
