"""Who sees what (DESIGN.md), in one place. The portal, the desk, the file view, the calendar
feed and the e-mails all ask these predicates, always passing the object:

    user.has_perm("haastavat_erot.view_case_content", case)

and list what a user may see through the QuerySet functions at the end. "Coordinator", "chair"
and "expert" always mean a member of the case's own group. Superuser status opens no case content.
"""

import rules
from django.db.models import Q

from .models import (
    CaseDeclaration,
    CaseState,
    ConsultationGroup,
    County,
    Membership,
    Role,
    Session,
)

ON_AGENDA_STATES = (CaseState.SCHEDULED, CaseState.HANDLED, CaseState.CLOSED)
COORDINATOR_CONTENT_STATES = (CaseState.SUBMITTED, *ON_AGENDA_STATES)
EDITABLE_STATES = (CaseState.DRAFT, CaseState.RETURNED)
WITHDRAWABLE_STATES = (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED, CaseState.RETURNED)


# --- the user's roles, read once per user object (i.e. once per request) ---------------------
def memberships_of(user):
    """Return {group_id: Membership} of the user's active memberships."""
    if not user or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_he_memberships", None)
    if cached is None:
        cached = {m.group_id: m for m in Membership.objects.active().filter(user=user, group__is_active=True)}
        user._he_memberships = cached
    return cached


def admin_county_ids(user):
    """Return the ids of the counties the user administers."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_he_admin_counties", None)
    if cached is None:
        cached = set(user.county_admin_roles.values_list("county_id", flat=True))
        user._he_admin_counties = cached
    return cached


def forget_roles(user):
    """Drop the roles read for this user object, after memberships change."""
    for name in ("_he_memberships", "_he_admin_counties"):
        user.__dict__.pop(name, None)


def role_in_group(user, group_id):
    membership = memberships_of(user).get(group_id)
    return membership.role if membership else None


def group_ids_with_role(user, *roles):
    return {gid for gid, m in memberships_of(user).items() if m.role in roles}


def is_desk_user(user):
    """Members of groups, county admins and superusers work in the desk and need a second factor."""
    return bool(user.is_authenticated and (user.is_superuser or memberships_of(user) or admin_county_ids(user)))


# --- predicates on a case -------------------------------------------------------------------------
def _case_role(user, case):
    return role_in_group(user, case.group_id) if case is not None else None


@rules.predicate
def is_case_owner(user, case):
    return case is not None and user.is_authenticated and case.worker_id == user.pk


@rules.predicate
def is_case_coordinator(user, case):
    return _case_role(user, case) == Role.COORDINATOR


@rules.predicate
def is_case_chair(user, case):
    return _case_role(user, case) == Role.CHAIR


@rules.predicate
def is_case_expert(user, case):
    return _case_role(user, case) == Role.EXPERT


@rules.predicate
def case_has_content(user, case):
    return case is not None and case.has_content


@rules.predicate
def case_is_editable(user, case):
    return case is not None and case.state in EDITABLE_STATES


@rules.predicate
def case_is_withdrawable(user, case):
    if case is None or case.state not in WITHDRAWABLE_STATES:
        return False
    from django.utils import timezone

    return case.session is None or case.session.starts_at > timezone.now()


@rules.predicate
def case_submitted_to_group(user, case):
    return case is not None and case.state in COORDINATOR_CONTENT_STATES


@rules.predicate
def case_on_agenda(user, case):
    return case is not None and case.state in ON_AGENDA_STATES


@rules.predicate
def case_on_published_agenda(user, case):
    return (case is not None and case.state in ON_AGENDA_STATES and case.session is not None
            and case.session.agenda_published_at is not None)


@rules.predicate
def has_declared_no_conflict(user, case):
    """An expert or chair opens a case only after declaring no conflict of interest (esteettömyys)."""
    if case is None:
        return False
    return CaseDeclaration.objects.filter(case=case, user=user, decision=CaseDeclaration.Decision.NO_CONFLICT).exists()


@rules.predicate
def is_disqualified(user, case):
    """The member has declared a conflict of interest (esteellisyys) on this case."""
    if case is None:
        return False
    return CaseDeclaration.objects.filter(case=case, user=user, decision=CaseDeclaration.Decision.DISQUALIFIED).exists()


@rules.predicate
def recommendations_signed_off(user, case):
    return case is not None and case.recommendations_signed_off_at is not None


@rules.predicate
def recommendations_exist(user, case):
    """The case has been handled and its recommendation texts not yet destroyed. (While the case
    is still on the agenda, those who record recommendations read them through
    record_recommendations: see `may_read_recommendations`.)"""
    return case is not None and case.recommendations_destroyed_at is None and case.handled_at is not None


@rules.predicate
def recommendations_open(user, case):
    return (case is not None and case.state in (CaseState.SCHEDULED, CaseState.HANDLED)
            and case.recommendations_signed_off_at is None)


@rules.predicate
def case_handed_to_coordinator(user, case):
    """The worker's account was deactivated while the case was live (services/accounts.py)."""
    return case is not None and case.handed_to_coordinator_at is not None and case.state in WITHDRAWABLE_STATES


# --- predicates on a group, session or county -------------------------------------------------
def _group_id(obj):
    if obj is None:
        return None
    if isinstance(obj, ConsultationGroup):
        return obj.pk
    if isinstance(obj, Session):
        return obj.group_id
    return getattr(obj, "group_id", None)


def _county_id(obj):
    if obj is None:
        return None
    if isinstance(obj, County):
        return obj.pk
    if isinstance(obj, ConsultationGroup):
        return obj.county_id
    group = getattr(obj, "group", None)
    return group.county_id if group is not None else getattr(obj, "county_id", None)


@rules.predicate
def is_group_coordinator(user, obj):
    return role_in_group(user, _group_id(obj)) == Role.COORDINATOR


@rules.predicate
def is_group_chair(user, obj):
    return role_in_group(user, _group_id(obj)) == Role.CHAIR


@rules.predicate
def is_group_member(user, obj):
    return role_in_group(user, _group_id(obj)) is not None


@rules.predicate
def is_county_admin_of(user, obj):
    county_id = _county_id(obj)
    return county_id is not None and county_id in admin_county_ids(user)


@rules.predicate
def is_own_membership(user, membership):
    return membership is not None and membership.is_active and membership.user_id == user.pk


@rules.predicate
def is_superuser(user, obj=None):
    return bool(user.is_authenticated and user.is_superuser and user.is_active)


# --- the permissions ------------------------------------------------------------------------------
P = "haastavat_erot."

# The worker's own case.
rules.add_perm(P + "edit_case", is_case_owner & case_is_editable)
rules.add_perm(P + "withdraw_case", is_case_owner & case_is_withdrawable)
rules.add_perm(P + "manage_consents", is_case_owner & case_is_withdrawable & case_has_content)
rules.add_perm(P + "acknowledge_recommendations", is_case_owner & recommendations_signed_off & recommendations_exist)
rules.add_perm(P + "give_feedback", is_case_owner & recommendations_signed_off & recommendations_exist)

# Background information, attachments and consents.
rules.add_perm(
    P + "view_case_content",
    case_has_content & (
        is_case_owner
        | (is_case_coordinator & case_submitted_to_group)
        | (is_case_chair & case_on_agenda & has_declared_no_conflict)
        | (is_case_expert & case_on_published_agenda & has_declared_no_conflict)
    ),
)
rules.add_perm(
    P + "view_recommendations",
    recommendations_exist & (
        (is_case_owner & recommendations_signed_off)
        | is_case_coordinator
        | ((is_case_chair | is_case_expert) & case_on_published_agenda & ~is_disqualified)
    ),
)
# The case skeleton (number, state, dates): never content.
rules.add_perm(
    P + "view_case",
    is_case_owner | is_case_coordinator | (is_case_chair & case_on_agenda)
    | (is_case_expert & case_on_published_agenda) | is_superuser,
)

# The group's side.
rules.add_perm(P + "manage_agenda", is_group_coordinator)
rules.add_perm(P + "record_recommendations", (is_case_coordinator | is_case_chair) & recommendations_open)
rules.add_perm(P + "sign_off_recommendations", is_case_chair & recommendations_open)
# An expert declares once the agenda is published to them, the chair once the case is on it.
rules.add_perm(P + "declare_on_case",
               (is_case_expert & case_on_published_agenda) | (is_case_chair & case_on_agenda))
rules.add_perm(P + "view_group", is_group_member | is_county_admin_of | is_superuser)
rules.add_perm(P + "manage_sessions", is_group_coordinator)
rules.add_perm(P + "acknowledge_confidentiality", is_group_member)
rules.add_perm(P + "manage_calendar_feed", is_own_membership)
rules.add_perm(P + "manage_group", is_county_admin_of | is_superuser)
rules.add_perm(P + "view_access_log", is_group_coordinator)


@rules.predicate
def is_document_request_coordinator(user, request):
    """The coordinator of the group the document request's case or session belongs to."""
    if request is None:
        return False
    about = request.case if request.case_id else request.session
    return about is not None and role_in_group(user, about.group_id) == Role.COORDINATOR


rules.add_perm(P + "manage_document_request", is_document_request_coordinator)
rules.add_perm(P + "view_statistics", is_group_coordinator | is_group_chair | is_county_admin_of | is_superuser)

# Accounts (services/accounts.py).
rules.add_perm(P + "invite_worker", is_group_coordinator | is_county_admin_of)
rules.add_perm(P + "reassign_case", is_case_coordinator & case_handed_to_coordinator)


def may_read_recommendations(user, case):
    """Return whether the user may read the case's recommendation texts: after handling by the
    view rule, and before it by the coordinator and chair who are recording them."""
    return user.has_perm(P + "view_recommendations", case) or user.has_perm(P + "record_recommendations", case)


# --- visibility as QuerySets ----------------------------------------------------------------------
def cases_visible_to(user, queryset):
    """Return the cases whose skeleton the user may list: the same rule as view_case."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    visible = Q(worker=user)
    # Only the roles the user has: an empty branch would still leave its join (the session's) in the SQL.
    if coordinated := group_ids_with_role(user, Role.COORDINATOR):
        visible |= Q(group_id__in=coordinated)
    if chaired := group_ids_with_role(user, Role.CHAIR):
        visible |= Q(group_id__in=chaired, state__in=ON_AGENDA_STATES)
    if expert := group_ids_with_role(user, Role.EXPERT):
        visible |= Q(group_id__in=expert, state__in=ON_AGENDA_STATES, session__agenda_published_at__isnull=False)
    return queryset.filter(visible)


def groups_visible_to(user, queryset=None):
    """Return the groups whose configuration, members and sessions the user may see."""
    queryset = ConsultationGroup.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(pk__in=memberships_of(user).keys()) | Q(county_id__in=admin_county_ids(user)))


def sessions_visible_to(user, queryset=None):
    queryset = Session.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(group_id__in=memberships_of(user).keys()) | Q(group__county_id__in=admin_county_ids(user)))
