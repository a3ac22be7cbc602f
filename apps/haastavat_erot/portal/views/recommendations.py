"""The worker's side of the recommendations: read them once the chair has signed them off,
download them as a PDF for their own client record, confirm the handover (which starts the
destruction clock of the texts) and give short feedback. Another worker's case is a 404 on
every URL; each reading and download is logged."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ...audit import log_access
from ...handover import handover_pdf
from ...models import AccessAction, DestructionReceipt, Feedback
from ...services import agenda
from .cases import own_case_or_404

PERM = "haastavat_erot."


class HandoverForm(forms.Form):
    filed = forms.BooleanField(label=gettext_lazy("I have read the recommendations and filed them in my own client "
                                                  "record."))


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=gettext_lazy("How useful were the recommendations? (1 = not at all, 5 = very)"),
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("Optional. Do not write anything that identifies the family."))


def _case_allowing(request, pk, perm):
    """Return the user's own case if `perm` holds for it; otherwise the same 404 as a missing id."""
    case = own_case_or_404(request, pk)
    if not request.user.has_perm(PERM + perm, case):
        raise Http404
    return case


def _render(request, case, *, handover_form=None, feedback_form=None, status=200):
    readable = request.user.has_perm(PERM + "view_recommendations", case)
    feedback = Feedback.objects.filter(case=case).first()
    if feedback_form is None and request.user.has_perm(PERM + "give_feedback", case):
        initial = {"usefulness": feedback.usefulness, "comment": feedback.comment} if feedback else None
        feedback_form = FeedbackForm(initial=initial)
    if handover_form is None and request.user.has_perm(PERM + "acknowledge_recommendations", case) \
            and not case.recommendations_acknowledged_at:
        handover_form = HandoverForm()
    context = {
        "case": case,
        "readable": readable,
        "recommendations": list(case.recommendations.order_by("position", "pk")) if readable else [],
        "handover_form": handover_form,
        "feedback_form": feedback_form,
        "feedback": feedback,
        "receipts": case.destruction_receipts.filter(scope=DestructionReceipt.Scope.RECOMMENDATIONS),
    }
    if readable:
        log_access(user=request.user, case=case, action=AccessAction.VIEW_RECOMMENDATIONS)
    return render(request, "haastavat_erot/portal/recommendations.html", context, status=status)


@never_cache
@login_required
def case_recommendations(request, pk):
    """The recommendations page: the texts after sign-off, a receipt only after destruction."""
    return _render(request, own_case_or_404(request, pk))


@never_cache
@login_required
def recommendations_pdf(request, pk):
    case = _case_allowing(request, pk, "view_recommendations")
    log_access(user=request.user, case=case, action=AccessAction.DOWNLOAD_HANDOVER)
    response = HttpResponse(handover_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_POST
def recommendations_acknowledge(request, pk):
    case = _case_allowing(request, pk, "acknowledge_recommendations")
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return _render(request, case, handover_form=form, status=400)
    agenda.recommendations_acknowledge(case=case, by=request.user)
    messages.success(request, _("Thank you. The handover is confirmed."))
    return redirect("portal:case_recommendations", pk=case.pk)


@never_cache
@login_required
@require_POST
def recommendations_feedback(request, pk):
    case = _case_allowing(request, pk, "give_feedback")
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            agenda.recommendations_feedback(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render(request, case, feedback_form=form, status=400)
    messages.success(request, _("Thank you for your feedback."))
    return redirect("portal:case_recommendations", pk=case.pk)
