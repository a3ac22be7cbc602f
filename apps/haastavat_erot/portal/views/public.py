"""Public pages, no login: the active groups by county, and one page per group telling
professionals what the group does, which expert bodies sit in it (never who), how to bring a
case (the instruction's steps) and which coming sessions still have free slots. Keeping
professionals informed is what keeps cases coming to the group."""

from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...models import ConsultationGroup, ExpertOrganisation, Membership, Session

NEXT_SESSIONS = 6

# The instruction for bringing a case to the group (10/2023), in the order a worker follows it.
BRING_A_CASE_STEPS = [
    _("Raise your concerns openly with the guardians and the child first. Bring the case to the group only if "
      "the concern remains."),
    _("Log in and book a slot for the case in one of the group's sessions. The coordinator accepts it onto the "
      "agenda."),
    _("Where possible, tell the guardians that the case is brought to the group and ask for their consent to two "
      "things separately: that the case is handled in the group, and that the experts may study the family's "
      "client records held in their own organisations."),
    _("Ask the guardians' concerns and views, and tell them about the background information form and which "
      "expert bodies sit in the group."),
    _("Without the guardians' consent the case is presented anonymously; a named consultation is then not "
      "possible."),
    _("Fill in the background information form in this service and submit it. The coordinator passes it to the "
      "experts."),
    _("The group gives action recommendations. You receive them here and tell the client as appropriate; you "
      "remain responsible for the work with the family."),
]


def group_url(group):
    return reverse("portal:public_group", args=[group.county.slug, group.slug])


def group_index(request):
    groups = ConsultationGroup.objects.filter(is_active=True).select_related("county").order_by(
        "county__name_fi", "name")
    rows = [(group, group_url(group)) for group in groups]
    return render(request, "haastavat_erot/portal/public_groups.html", {"rows": rows})


def group_short(request, slug):
    """/groups/<slug>/ leads to the group's page when only one active group has that slug."""
    matches = list(ConsultationGroup.objects.filter(is_active=True, slug=slug).select_related("county")[:2])
    if len(matches) != 1:
        raise Http404
    return redirect(group_url(matches[0]))


def organisations_of(group):
    """Return the labels of the expert bodies of the group's active members, in a fixed order."""
    present = set(Membership.objects.active().filter(group=group).exclude(organisation="")
                  .values_list("organisation", flat=True).distinct())
    return [label for value, label in ExpertOrganisation.choices if value in present]


def sessions_with_free_slots(group):
    sessions = (Session.objects.upcoming().filter(group=group).with_booked_count()
                .filter(booked__lt=F("capacity")).order_by("starts_at")[:NEXT_SESSIONS])
    return [(session, session.capacity - session.booked) for session in sessions]


def group_page(request, county, slug):
    group = ConsultationGroup.objects.filter(is_active=True, slug=slug, county__slug=county).select_related(
        "county").first()
    if group is None:
        raise Http404
    return render(request, "haastavat_erot/portal/public_group.html", {
        "group": group,
        "organisations": organisations_of(group),
        "steps": BRING_A_CASE_STEPS,
        "sessions": sessions_with_free_slots(group),
    })
