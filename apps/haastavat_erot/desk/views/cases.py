"""The desk's case pages: the coordinator's incoming cases and agendas, and the members' read
view. Every view checks the object permission (permissions.py) and answers 404 for what the
user may not know about; the services (services/agenda.py) do the work."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...audit import log_access
from ...models import (
    AccessAction,
    AttachmentKind,
    Case,
    CaseDeclaration,
    CaseState,
    Membership,
    Role,
    Session,
)
from ...permissions import ON_AGENDA_STATES, cases_visible_to, group_ids_with_role, memberships_of
from ...services import agenda as agenda_services
from .forms import AgendaMoveForm, DeclarationForm, ReturnForm, SessionChoiceForm

PERM = "haastavat_erot."
NAME = "haastavat_erot_case_"


def _render(request, template, title, context):
    context = {**admin.site.each_context(request), "title": title, **context}
    return TemplateResponse(request, "haastavat_erot/desk/" + template, context)


def _fail(request, error):
    for message in error.messages:
        messages.error(request, message)


def _coordinated_case(request, pk):
    """Return a case of a group the user coordinates; any other case is indistinguishable from none."""
    case = get_object_or_404(Case.objects.select_related("group", "session"), pk=pk)
    if not request.user.has_perm(PERM + "manage_agenda", case.group):
        raise Http404
    return case


def _coordinated_session(request, pk):
    session = get_object_or_404(Session.objects.select_related("group"), pk=pk)
    if not request.user.has_perm(PERM + "manage_agenda", session):
        raise Http404
    return session


def records_consent(case, organisation):
    """Return True only if every guardian's consent lets `organisation` study its own records."""
    consents = list(case.consents.prefetch_related("organisations"))
    return bool(consents) and all(consent.allows_records_of(organisation) for consent in consents)


# --- the coordinator: incoming cases --------------------------------------------------------------
def incoming(request):
    """The submitted cases of the user's groups, with the eligibility answers and reasoning."""
    groups = group_ids_with_role(request.user, Role.COORDINATOR)
    if not groups:
        raise PermissionDenied
    cases = list(Case.objects.filter(group_id__in=groups, state=CaseState.SUBMITTED)
                 .select_related("group", "session", "background").order_by("session__starts_at", "submitted_at"))
    for case in cases:  # the reasoning is part of the background information: its reading is logged
        log_access(user=request.user, case=case, action=AccessAction.VIEW_BACKGROUND)
    sessions = (Session.objects.filter(group_id__in=groups).upcoming().with_booked_count().select_related("group")
                .order_by("starts_at"))
    return _render(request, "incoming.html", _("Incoming cases"), {"cases": cases, "sessions": sessions})


def case_review(request, pk):
    """One submitted case: its eligibility, and the forms to accept, move or return it."""
    case = _coordinated_case(request, pk)
    can_read = request.user.has_perm(PERM + "view_case_content", case)
    if can_read:
        log_access(user=request.user, case=case, action=AccessAction.VIEW_BACKGROUND)
    context = {
        "case": case,
        "background": getattr(case, "background", None) if can_read else None,
        "accept_form": SessionChoiceForm(case=case, prefix="accept"),
        "move_form": SessionChoiceForm(case=case, exclude_current=True, prefix="move"),
        "return_form": ReturnForm(prefix="return"),
        "can_accept": case.state == CaseState.SUBMITTED,
        "can_move": case.state in (CaseState.SUBMITTED, CaseState.SCHEDULED),
        "can_return": case.state in (CaseState.SUBMITTED, CaseState.SCHEDULED),
    }
    return _render(request, "case_review.html", _("Case %(number)s") % {"number": case.number}, context)


@require_POST
def case_accept(request, pk):
    case = _coordinated_case(request, pk)
    form = SessionChoiceForm(request.POST, case=case, prefix="accept")
    if not form.is_valid():
        messages.error(request, _("Choose an upcoming session of the group."))
        return redirect("admin:" + NAME + "review", pk=case.pk)
    try:
        agenda_services.case_schedule(case=case, by=request.user, session=form.cleaned_data["session"])
    except ValidationError as error:
        _fail(request, error)
        return redirect("admin:" + NAME + "review", pk=case.pk)
    messages.success(request, _("Case %(number)s is on the agenda.") % {"number": case.number})
    return redirect("admin:" + NAME + "agenda", session_pk=case.session_id)


@require_POST
def case_move(request, pk):
    case = _coordinated_case(request, pk)
    form = SessionChoiceForm(request.POST, case=case, exclude_current=True, prefix="move")
    if not form.is_valid():
        messages.error(request, _("Choose an upcoming session of the group."))
        return redirect("admin:" + NAME + "review", pk=case.pk)
    try:
        agenda_services.case_move(case=case, session=form.cleaned_data["session"], by=request.user)
    except ValidationError as error:
        _fail(request, error)
        return redirect("admin:" + NAME + "review", pk=case.pk)
    messages.success(request, _("Case %(number)s was moved.") % {"number": case.number})
    return redirect("admin:" + NAME + ("agenda" if case.state == CaseState.SCHEDULED else "incoming"),
                    **({"session_pk": case.session_id} if case.state == CaseState.SCHEDULED else {}))


@require_POST
def case_return(request, pk):
    case = _coordinated_case(request, pk)
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        messages.error(request, _("Tell the worker why the case is returned."))
        return redirect("admin:" + NAME + "review", pk=case.pk)
    try:
        agenda_services.case_return(case=case, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _fail(request, error)
        return redirect("admin:" + NAME + "review", pk=case.pk)
    messages.success(request, _("Case %(number)s was returned to the worker.") % {"number": case.number})
    return redirect("admin:" + NAME + "incoming")


# --- the coordinator: a session's agenda ----------------------------------------------------------
def _declarations_by_case(session, cases):
    """Return {case_id: [(membership, declaration or None)]} for the group's experts and chair."""
    members = list(Membership.objects.active().filter(group_id=session.group_id, role__in=[Role.EXPERT, Role.CHAIR])
                   .select_related("user").order_by("role", "user__last_name"))
    declared = {(d.case_id, d.user_id): d for d in CaseDeclaration.objects.filter(case__in=cases)}
    return {case.pk: [(m, declared.get((case.pk, m.user_id))) for m in members] for case in cases}


def agenda(request, session_pk):
    """The agenda of one session: order, declarations per case, publication."""
    session = _coordinated_session(request, session_pk)
    cases = agenda_services.agenda_order(session)
    declarations = _declarations_by_case(session, cases)
    rows = [(case, declarations[case.pk]) for case in cases]
    return _render(request, "agenda.html", _("Agenda"), {"session": session, "rows": rows})


@require_POST
def agenda_move(request, session_pk):
    session = _coordinated_session(request, session_pk)
    form = AgendaMoveForm(request.POST)
    if form.is_valid():
        case = get_object_or_404(session.cases.all(), pk=form.cleaned_data["case"])
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        try:
            agenda_services.agenda_move(case=case, by=request.user, offset=offset)
        except ValidationError as error:
            _fail(request, error)
    return redirect("admin:" + NAME + "agenda", session_pk=session.pk)


@require_POST
def agenda_publish(request, session_pk):
    session = _coordinated_session(request, session_pk)
    try:
        agenda_services.session_publish_agenda(session=session, by=request.user)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The agenda was published to the group's experts."))
    return redirect("admin:" + NAME + "agenda", session_pk=session.pk)


# --- experts and chairs: the agendas and the read view ---------------------------------------------
def member_agendas(request):
    """The user's groups' agendas (as expert or chair): declare per case, then read."""
    groups = group_ids_with_role(request.user, Role.EXPERT, Role.CHAIR)
    if not groups:
        raise PermissionDenied
    live = Q(cases__state__in=ON_AGENDA_STATES, cases__content_destroyed_at__isnull=True)
    sessions = (Session.objects.filter(group_id__in=groups, status=Session.Status.PLANNED)
                .filter(Q(starts_at__gte=timezone.now() - timedelta(days=1)) | live)
                .select_related("group").distinct().order_by("starts_at"))
    declared = {d.case_id: d for d in CaseDeclaration.objects.filter(user=request.user, case__group_id__in=groups)}
    agendas = []
    for session in sessions:
        cases = cases_visible_to(request.user, session.cases.filter(state__in=ON_AGENDA_STATES))
        cases = sorted(cases, key=lambda c: (c.agenda_position is None, c.agenda_position or 0, c.pk))
        rows = [{
            "case": case,
            "declaration": declared.get(case.pk),
            "can_declare": (request.user.has_perm(PERM + "declare_on_case", case) and case.has_content
                            and declared.get(case.pk) is None),
            "can_read": request.user.has_perm(PERM + "view_case_content", case),
            "form": DeclarationForm(prefix=f"case{case.pk}"),
        } for case in cases]
        agendas.append({"session": session, "rows": rows})
    return _render(request, "member_agendas.html", _("Agendas"), {"agendas": agendas})


@require_POST
def case_declare(request, pk):
    case = get_object_or_404(Case.objects.select_related("group", "session"), pk=pk)
    if not request.user.has_perm(PERM + "declare_on_case", case):
        raise Http404
    form = DeclarationForm(request.POST, prefix=f"case{case.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose no conflict or disqualified."))
    else:
        try:
            agenda_services.case_declare(case=case, by=request.user, decision=form.cleaned_data["decision"])
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Your declaration on case %(number)s was recorded.") % {"number": case.number})
    return redirect("admin:" + NAME + "agendas")


def case_read(request, pk):
    """A case's background information and attachments, read-only; every opening is logged.
    After destruction only the receipts remain; a disqualified member is refused."""
    case = get_object_or_404(cases_visible_to(request.user, Case.objects.select_related("group", "session")), pk=pk)
    if not request.user.has_perm(PERM + "view_case_content", case):
        if not case.has_content and request.user.has_perm(PERM + "view_case", case) and not request.user.is_superuser:
            receipts = case.destruction_receipts.order_by("destroyed_at")
            return _render(request, "case_destroyed.html", _("Case %(number)s") % {"number": case.number},
                           {"case": case, "receipts": receipts})
        if (request.user.has_perm(PERM + "declare_on_case", case)
                and not CaseDeclaration.objects.filter(case=case, user=request.user).exists()):
            messages.warning(request, _("Declare first whether you have a conflict of interest in the case."))
            return redirect("admin:" + NAME + "agendas")
        raise PermissionDenied
    log_access(user=request.user, case=case, action=AccessAction.VIEW_BACKGROUND)
    membership = memberships_of(request.user).get(case.group_id)
    organisation = membership.organisation if membership else ""
    background = getattr(case, "background", None)
    context = {
        "case": case,
        "background": background,
        "fields": _background_fields(background),
        "concerns": [background._meta.get_field(name).verbose_name for name in background.CONCERN_FIELDS
                     if getattr(background, name)] if background else [],
        "children": list(background.children.all()) if background else [],
        "attachments": case.attachments.filter(kind=AttachmentKind.BACKGROUND, destruction_started_at__isnull=True),
        "organisation": membership.get_organisation_display() if organisation else "",
        "records_allowed": records_consent(case, organisation),
    }
    return _render(request, "case_read.html", _("Case %(number)s") % {"number": case.number}, context)


def _background_fields(background):
    """Return [(label, value)] of the form's filled fields, in the form's order."""
    if background is None:
        return []
    names = ["question", "family_situation", "custody", "residence", "visitation_dispute", "court_proceedings",
             "separation_details", "concerns_text", "services_involved", "guardians_views", "tried_so_far",
             "eligibility_reasoning"]
    rows = []
    for name in names:
        field = background._meta.get_field(name)
        value = getattr(background, name)
        if value in ("", None):
            continue
        if field.choices:
            value = getattr(background, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append((field.verbose_name, value))
    return rows
