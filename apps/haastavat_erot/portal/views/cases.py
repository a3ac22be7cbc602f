"""The worker's own cases: the list with next steps, and one case."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ...models import Case, CaseState

NEXT_STEPS = {
    CaseState.DRAFT: _("Record the consents, fill in the background information and submit the case."),
    CaseState.SUBMITTED: _("The coordinator will accept the case onto the agenda."),
    CaseState.SCHEDULED: _("The case is on the agenda of its session."),
    CaseState.HANDLED: _("The group has handled the case; the recommendations are being signed off."),
    CaseState.CLOSED: _("You have acknowledged the recommendations."),
    CaseState.RETURNED: _("Read why the case was returned, then resubmit or withdraw it."),
    CaseState.WITHDRAWN: _("The case was withdrawn and its background information destroyed."),
    CaseState.EXPIRED: _("The case expired and its background information was destroyed."),
}


def next_step(case):
    if case.state == CaseState.HANDLED and case.recommendations_signed_off_at and case.has_recommendations_text:
        return _("Read and acknowledge the group's recommendations.")
    return NEXT_STEPS[CaseState(case.state)]


def own_case_or_404(request, pk, related=("group__county", "session")):
    """Return the user's own case with the `related` objects; another's case is
    indistinguishable from a missing one."""
    case = get_object_or_404(Case.objects.select_related(*related), pk=pk)
    if not request.user.has_perm("haastavat_erot.view_case", case) or case.worker_id != request.user.pk:
        raise Http404
    return case


# "My cases" shows a page at a time: a worker's list grows for years (bench/run measures 10,000).
CASES_PER_PAGE = 50


@login_required
def home(request):
    """List the worker's cases, newest first, with the next step of each."""
    cases = (Case.objects.filter(worker=request.user).select_related("group", "session")
             .order_by("-created_at", "-pk"))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(case, next_step(case)) for case in page]
    return render(request, "haastavat_erot/portal/home.html", {"rows": rows, "page": page})


@login_required
def case_detail(request, pk):
    case = own_case_or_404(request, pk)
    from .consent import section_context

    receipts = case.destruction_receipts.order_by("destroyed_at")
    return render(request, "haastavat_erot/portal/case_detail.html",
                  {"case": case, "next_step": next_step(case), "receipts": receipts,
                   **section_context(request, case)})
