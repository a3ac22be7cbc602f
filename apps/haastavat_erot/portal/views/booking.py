"""Booking a slot: choose the county and the group, see the sessions with free slots, book one.
Withdrawing a case before its session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ...models import ConsultationGroup, County
from ...services import booking
from ..booking_forms import BookingForm, SessionForm, bookable_sessions
from .cases import own_case_or_404


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _active_groups():
    return ConsultationGroup.objects.filter(is_active=True).select_related("county")


@login_required
def book(request):
    """The chooser, driven by GET parameters: ?county=<slug>, then ?group=<id>."""
    counties = County.objects.filter(groups__is_active=True).distinct().order_by("name_fi")
    county = group = None
    group_id = _int_or_none(request.GET.get("group"))
    if group_id:
        group = get_object_or_404(_active_groups(), pk=group_id)
        county = group.county
    elif request.GET.get("county"):
        county = get_object_or_404(counties, slug=request.GET["county"])
    groups = _active_groups().filter(county=county).order_by("name") if county else []
    sessions = []
    if group:
        sessions = list(bookable_sessions(group))
        for session in sessions:
            session.free = session.capacity - session.booked
    return render(request, "haastavat_erot/portal/book.html", {
        "counties": counties, "county": county, "groups": groups, "group": group, "sessions": sessions})


@login_required
def book_case(request, group_pk):
    """Book a slot of one of the group's sessions for a new case."""
    group = get_object_or_404(_active_groups(), pk=group_pk)
    form = BookingForm(request.POST or None, group=group, selected=_int_or_none(request.GET.get("session")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = booking.case_book(
                worker=request.user, session=data["session"],
                concern_raised_with_guardians=data["concern_raised_with_guardians"],
                basic_services_tried=data["basic_services_tried"], discussed_before=data["discussed_before"],
                eligibility_reasoning=data["eligibility_reasoning"])
        except ValidationError as error:
            # Lost the race for the last slot, or the session started meanwhile: keep what was typed.
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The slot is booked for case %(number)s. Next, record the guardians' "
                                        "consent.") % {"number": case.number})
            return redirect("portal:case_detail", case.pk)
    return render(request, "haastavat_erot/portal/book_case.html", {"group": group, "form": form})


@login_required
def case_withdraw(request, pk):
    """Confirm, then withdraw the whole case: its background information is destroyed at once."""
    case = own_case_or_404(request, pk)
    if not request.user.has_perm("haastavat_erot.withdraw_case", case):
        messages.error(request, _("This case can no longer be withdrawn."))
        return redirect("portal:case_detail", case.pk)
    if request.method == "POST":
        booking.case_withdraw(case=case, by=request.user)
        messages.success(request, _("Case %(number)s was withdrawn and its background information destroyed.")
                         % {"number": case.number})
        return redirect("portal:case_detail", case.pk)
    return render(request, "haastavat_erot/portal/case_withdraw.html", {"case": case})


@login_required
def case_rebook(request, pk):
    """Choose another session for the worker's own draft or returned case."""
    case = own_case_or_404(request, pk)
    if not request.user.has_perm("haastavat_erot.edit_case", case):
        messages.error(request, _("The session of this case can no longer be changed."))
        return redirect("portal:case_detail", case.pk)
    form = SessionForm(request.POST or None, group=case.group, exclude=case.session_id)
    if request.method == "POST" and form.is_valid():
        try:
            booking.case_rebook(case=case, session=form.cleaned_data["session"], by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The case is now booked into the session you chose."))
            return redirect("portal:case_detail", case.pk)
    return render(request, "haastavat_erot/portal/case_rebook.html", {"case": case, "form": form})
