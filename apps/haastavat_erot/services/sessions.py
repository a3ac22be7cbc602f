"""The coordinator's sessions: a year of monthly sessions at once, moving and cancelling a
session, and the members' confidentiality acknowledgements and attendance."""

import calendar
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import CaseState, Membership, Session, SessionDeclaration
from ..notifications import notify_after_commit
from . import agenda
from .agenda import _require

SAME_WEEKDAY = "weekday"
SAME_DAY_OF_MONTH = "day"
# The cases a cancelled session moves or frees: those not yet handled.
OPEN_CASE_STATES = [CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED]


def _add_months(year, month, n):
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def nth_weekday(year, month, weekday, n):
    """Return the date of the n-th (1-based) `weekday` (0=Monday) of the month; n >= 5 means the last."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[-1] if n >= 5 else days[n - 1]


def monthly_dates(first, rule, count=12):
    """Return `count` dates a month apart from `first`.

    SAME_WEEKDAY keeps the weekday and its week of the month (the 2nd Tuesday stays the 2nd
    Tuesday; a 5th weekday becomes the last one). SAME_DAY_OF_MONTH keeps the day, or the last
    day of a shorter month.
    """
    dates = []
    for n in range(count):
        year, month = _add_months(first.year, first.month, n)
        if rule == SAME_WEEKDAY:
            dates.append(nth_weekday(year, month, first.weekday(), (first.day - 1) // 7 + 1))
        else:
            dates.append(date(year, month, min(first.day, calendar.monthrange(year, month)[1])))
    return dates


def local_datetime(day, time):
    """Return the aware datetime of a wall-clock time in the site's zone (Helsinki), DST included."""
    return datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _format(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _refuse_clash(group, starts_at, exclude_pk=None):
    clash = Session.objects.filter(group=group, starts_at=starts_at).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(_("The group already has a session at %(when)s."), code="session_clash",
                              params={"when": _format(starts_at)})


def sessions_create_year(*, group, by, first_date, rule, start_time, duration_minutes, capacity, place="",
                         count=12):
    """Create `count` monthly sessions of `group` in one go: all of them or none."""
    _require(by, "manage_sessions", group)
    starts = [local_datetime(day, start_time) for day in monthly_dates(first_date, rule, count)]
    if starts[0] <= timezone.now():
        raise ValidationError(_("The first session must be in the future."), code="session_past")
    sessions = []
    with transaction.atomic():
        for starts_at in starts:
            _refuse_clash(group, starts_at)
            session = Session(group=group, starts_at=starts_at, duration_minutes=duration_minutes,
                              capacity=capacity, place=place)
            session.full_clean()
            session.save()
            sessions.append(session)
    return sessions


def _refuse_if_held(session):
    if session.is_cancelled:
        raise ValidationError(_("The session has been cancelled."), code="session_cancelled")
    if session.cases.filter(state__in=[CaseState.HANDLED, CaseState.CLOSED]).exists():
        raise ValidationError(_("The session has already been held."), code="session_held")


def session_move(*, session, starts_at, by, place=None):
    """Move a session to another time (and place); the workers with a case in it are told."""
    _require(by, "manage_sessions", session)
    _refuse_if_held(session)
    if starts_at <= timezone.now():
        raise ValidationError(_("The new time must be in the future."), code="session_past")
    _refuse_clash(session.group_id, starts_at, exclude_pk=session.pk)
    session.starts_at = starts_at
    if place is not None:
        session.place = place
    session.full_clean()
    session.save()
    notify_after_commit("session_moved", session.pk)
    return session


def _free_slots(session):
    return session.capacity - session.booked_count()


def session_cancel(*, session, by):
    """Cancel a session. Its open cases move, first come first served, to the group's next later
    sessions with a free slot (each worker is told where); a case that fits nowhere is freed
    from the session: a draft's worker is asked to choose another session, a submitted case (or
    one on the agenda, which goes back to submitted) waits for the coordinator to place it.
    Return (moved, freed) case counts."""
    _require(by, "manage_sessions", session)
    moved = freed = 0
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        _refuse_if_held(session)
        session.status = Session.Status.CANCELLED
        session.save(update_fields=["status"])
        later = list(Session.objects.upcoming().filter(group=session.group_id, starts_at__gt=session.starts_at))
        cases = session.cases.filter(state__in=OPEN_CASE_STATES).select_related("group").order_by(
            F("agenda_position").asc(nulls_last=True), "created_at")
        for case in cases:
            target = next((s for s in later if _free_slots(s) > 0), None)
            if target is not None:
                agenda.case_move(case=case, session=target, by=by)
                moved += 1
            else:
                _free_case(case)
                freed += 1
    return moved, freed


def _free_case(case):
    case.session = None
    case.agenda_position = None
    if case.state == CaseState.SCHEDULED:
        case.state = CaseState.SUBMITTED
    case.save()
    notify_after_commit("case_unbooked" if case.state == CaseState.DRAFT else "case_awaiting_session", case.pk)


# --- confidentiality and attendance ---------------------------------------------------------------
def session_members(session):
    """Return the active memberships of the session's group, coordinator first."""
    return Membership.objects.active().filter(group_id=session.group_id).select_related("user").order_by(
        "role", "user__last_name", "user__first_name")


def session_acknowledge_confidentiality(*, session, by):
    """Record that the member has acknowledged the confidentiality statement for this session
    (once: a second acknowledgement keeps the first time)."""
    _require(by, "acknowledge_confidentiality", session)
    if session.is_cancelled:
        raise ValidationError(_("The session has been cancelled."), code="session_cancelled")
    declaration, _created = SessionDeclaration.objects.get_or_create(session=session, user=by)
    if declaration.confidentiality_acknowledged_at is None:
        declaration.confidentiality_acknowledged_at = timezone.now()
        declaration.save(update_fields=["confidentiality_acknowledged_at"])
    return declaration


def session_record_attendance(*, session, by, attended_user_ids):
    """Record which members of the group attended the session; the others did not."""
    _require(by, "manage_sessions", session)
    if session.is_cancelled:
        raise ValidationError(_("The session has been cancelled."), code="session_cancelled")
    members = list(session_members(session))
    attended = {int(pk) for pk in attended_user_ids}
    if attended - {m.user_id for m in members}:
        raise ValidationError(_("Only members of the group can attend its session."), code="not_a_member")
    with transaction.atomic():
        for membership in members:
            declaration, _created = SessionDeclaration.objects.get_or_create(session=session, user=membership.user)
            declaration.attended = membership.user_id in attended
            declaration.save(update_fields=["attended"])
