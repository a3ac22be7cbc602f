"""Desk pages for sessions that the generated admin does not give: a year of sessions at once,
moving and cancelling, the month calendar, confidentiality and attendance, and the member's
calendar feed addresses. Routed by SessionAdmin.get_urls(); each checks its object permission."""

import calendar
from datetime import date, time, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ... import permissions
from ...models import ConsultationGroup, Membership, Role, Session
from ...services import calendar_feeds
from ...services import sessions as services
from ..session_forms import AttendanceForm, SessionCancelForm, SessionMoveForm, YearOfSessionsForm


def _render(request, template, title, **context):
    return TemplateResponse(request, "haastavat_erot/desk/" + template,
                            {**admin.site.each_context(request), "title": title, "opts": Session._meta, **context})


def _require(request, perm, obj):
    if not request.user.has_perm("haastavat_erot." + perm, obj):
        raise PermissionDenied


def _visible_session(request, pk, perm):
    session = get_object_or_404(permissions.sessions_visible_to(request.user).select_related("group"), pk=pk)
    _require(request, perm, session)
    return session


def _session_url(session):
    return reverse("admin:haastavat_erot_session_change", args=[session.pk])


def month_of(moment):
    local = timezone.localtime(moment)
    return f"{local.year:04d}-{local.month:02d}"


# --- a year of sessions -------------------------------------------------------------------------
def create_year(request, model_admin):
    groups = ConsultationGroup.objects.filter(
        pk__in=permissions.group_ids_with_role(request.user, Role.COORDINATOR), is_active=True)
    if not groups:
        raise PermissionDenied
    chosen = groups.filter(pk=request.GET.get("group") or 0).first() or groups.first()
    initial = {"group": chosen, "capacity": chosen.slots_per_session, "duration_minutes": chosen.session_minutes,
               "place": chosen.default_place}
    form = YearOfSessionsForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.sessions_create_year(
                group=data["group"], by=request.user, first_date=data["first_date"], rule=data["rule"],
                start_time=data["start_time"], duration_minutes=data["duration_minutes"],
                capacity=data["capacity"], place=data["place"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for session in created:
                model_admin.log_addition(request, session, [{"added": {}}])
            messages.success(request, ngettext("%(count)d session created.", "%(count)d sessions created.",
                                               len(created)) % {"count": len(created)})
            url = reverse("admin:haastavat_erot_session_calendar", args=[data["group"].pk])
            return redirect(f"{url}?month={month_of(created[0].starts_at)}")
    return _render(request, "session_year.html", _("Create a year of sessions"), form=form)


# --- move and cancel ----------------------------------------------------------------------------
def move(request, pk, model_admin):
    session = _visible_session(request, pk, "manage_sessions")
    local = timezone.localtime(session.starts_at)
    form = SessionMoveForm(request.POST or None,
                           initial={"date": local.date(), "time": local.time(), "place": session.place})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_move(session=session, by=request.user, place=data["place"],
                                  starts_at=services.local_datetime(data["date"], data["time"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.log_change(request, session, [{"changed": {"fields": ["starts_at", "place"]}}])
            messages.success(request, _("The session has been moved and the workers with a case in it told."))
            return redirect(_session_url(session))
    return _render(request, "session_move.html", _("Move the session"), session=session, form=form,
                   open_cases=session.cases.filter(state__in=services.OPEN_CASE_STATES).count())


def cancel(request, pk, model_admin):
    session = _visible_session(request, pk, "manage_sessions")
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved, freed = services.session_cancel(session=session, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.log_change(request, session, [{"changed": {"fields": ["status"]}}])
            messages.success(request, _("The session has been cancelled. Cases moved to later sessions: %(moved)d; "
                                        "cases without a session: %(freed)d. Their workers have been told.")
                             % {"moved": moved, "freed": freed})
            return redirect(_session_url(session))
    return _render(request, "session_cancel.html", _("Cancel the session"), session=session, form=form,
                   open_cases=session.cases.filter(state__in=services.OPEN_CASE_STATES).count())


# --- confidentiality and attendance -------------------------------------------------------------
def confidentiality_pending(user, session):
    """Return True if `user` is a member who has still to acknowledge confidentiality for `session`."""
    return (not session.is_cancelled
            and user.has_perm("haastavat_erot.acknowledge_confidentiality", session)
            and not session.declarations.filter(user=user, confidentiality_acknowledged_at__isnull=False).exists())


def declarations(request, pk):
    session = _visible_session(request, pk, "view_group")
    memberships = list(services.session_members(session))
    may_record = request.user.has_perm("haastavat_erot.manage_sessions", session)
    by_user = {d.user_id: d for d in session.declarations.all()}
    form = AttendanceForm(initial={"attended": [uid for uid, d in by_user.items() if d.attended]},
                          memberships=memberships)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "acknowledge":
                services.session_acknowledge_confidentiality(session=session, by=request.user)
                messages.success(request, _("Your acknowledgement has been recorded."))
                return redirect(request.path)
            if not may_record:
                raise PermissionDenied
            form = AttendanceForm(request.POST, memberships=memberships)
            if form.is_valid():
                services.session_record_attendance(session=session, by=request.user,
                                                   attended_user_ids=form.cleaned_data["attended"])
                messages.success(request, _("Attendance has been recorded."))
                return redirect(request.path)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    rows = [(m, by_user.get(m.user_id)) for m in memberships]
    return _render(request, "session_declarations.html", _("Confidentiality and attendance"), session=session,
                   rows=rows, form=form, may_record=may_record and not session.is_cancelled,
                   may_acknowledge=confidentiality_pending(request.user, session))


# --- the month calendar -------------------------------------------------------------------------
def _parse_month(value):
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2999:
            return date(year, month, 1)
    except (AttributeError, ValueError):
        pass
    return timezone.localdate().replace(day=1)


def calendar_index(request):
    groups = list(permissions.groups_visible_to(request.user).filter(is_active=True))
    if len(groups) == 1:
        return redirect("admin:haastavat_erot_session_calendar", groups[0].pk)
    return _render(request, "session_calendar_index.html", _("Session calendar"), groups=groups)


def month_calendar(request, group_id):
    group = get_object_or_404(permissions.groups_visible_to(request.user), pk=group_id)
    _require(request, "view_group", group)
    first = _parse_month(request.GET.get("month"))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    sessions = Session.objects.filter(group=group).with_booked_count().filter(
        starts_at__gte=services.local_datetime(weeks[0][0], time.min),
        starts_at__lt=services.local_datetime(weeks[-1][-1] + timedelta(days=1), time.min))
    by_day = {}
    for session in sessions:
        session.free = max(session.capacity - session.booked, 0)
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=32)
    return _render(
        request, "session_calendar.html", _("Session calendar"), group=group,
        month_label=date_format(first, "YEAR_MONTH_FORMAT"),
        weekdays=[date_format(day, "l") for day in weeks[0]],
        weeks=[[(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in weeks],
        previous_month=f"{previous.year:04d}-{previous.month:02d}",
        next_month=f"{following.year:04d}-{following.month:02d}",
        previous_label=date_format(previous, "YEAR_MONTH_FORMAT"),
        next_label=date_format(following, "YEAR_MONTH_FORMAT"),
        may_create=request.user.has_perm("haastavat_erot.manage_sessions", group),
    )


# --- calendar feed addresses --------------------------------------------------------------------
def feeds(request):
    memberships = list(Membership.objects.active().filter(user=request.user, group__is_active=True)
                       .select_related("group"))
    if request.method == "POST":
        membership = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
        if membership is None:
            raise PermissionDenied
        if request.POST.get("action") == "revoke":
            calendar_feeds.calendar_feed_revoke(membership=membership, by=request.user)
            messages.success(request, _("The calendar address has been revoked."))
        else:
            calendar_feeds.calendar_feed_issue(membership=membership, by=request.user)
            messages.success(request, _("A new calendar address has been created; any earlier one no longer works."))
        return redirect(request.path)
    rows = []
    for membership in memberships:
        feed = calendar_feeds.active_feed(membership)
        url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else None
        rows.append((membership, url))
    return _render(request, "calendar_feeds.html", _("My calendar feeds"), rows=rows)
