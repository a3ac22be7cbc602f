"""The desk page where the case's coordinator or chair records the group's recommendations
during or after the session and marks the case handled, and where the chair signs them off (the
worker is then e-mailed a link). Every request checks the object permission; every change goes
through services/agenda.py and is logged in the admin log without any text."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from ...audit import log_access
from ...models import AccessAction, Case, CaseState, DestructionReceipt, RecommendationCategory
from ...permissions import may_read_recommendations
from ...services import agenda

PERM = "haastavat_erot."


class RecommendationForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"),
                                 choices=[("", "---------"), *RecommendationCategory.choices])
    text = forms.CharField(label=gettext_lazy("Recommendation"), widget=forms.Textarea(attrs={"rows": 5,
                                                                                             "cols": 80}))


def _may(user, perm, case):
    return user.has_perm(PERM + perm, case)


def _visible_case_or_404(request, pk):
    """Return the case if the user may read or record its recommendations, or see its receipt;
    any other case answers like a missing one."""
    case = get_object_or_404(Case.objects.select_related("group", "session", "recommendations_signed_off_by"), pk=pk)
    user = request.user
    if not (may_read_recommendations(user, case)
            or (case.recommendations_destroyed_at and _may(user, "view_case", case) and not user.is_superuser)):
        raise Http404
    return case


def _post(request, case, model_admin):
    """Run the requested action; return (form, error) where form is the re-bound add form."""
    action = request.POST.get("action")
    user = request.user
    if action == "add":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                agenda.recommendation_record(case=case, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                return form
            model_admin.log_change(request, case, _("Recommendation recorded."))
            messages.success(request, _("The recommendation has been recorded."))
            return None
        return form
    try:
        if action == "remove":
            recommendation_id = request.POST.get("recommendation", "")
            if not recommendation_id.isdigit():
                raise Http404
            recommendation = get_object_or_404(case.recommendations, pk=recommendation_id)
            agenda.recommendation_remove(recommendation=recommendation, by=user)
            model_admin.log_change(request, case, _("Recommendation removed."))
            messages.success(request, _("The recommendation has been removed."))
        elif action == "handled":
            agenda.case_mark_handled(case=case, by=user)
            model_admin.log_change(request, case, _("Case marked handled."))
            messages.success(request, _("The case is marked handled. The chair signs the recommendations off."))
        elif action == "sign_off":
            agenda.recommendations_sign_off(case=case, by=user)
            model_admin.log_change(request, case, _("Recommendations signed off."))
            messages.success(request, _("The recommendations are signed off. The worker has been told by e-mail."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return None


@never_cache
def case_recommendations(request, pk, *, model_admin):
    case = _visible_case_or_404(request, pk)
    user = request.user
    form = None
    if request.method == "POST":
        form = _post(request, case, model_admin)
        if form is None:
            return redirect("admin:haastavat_erot_case_recommendations", pk=case.pk)
    can_record = _may(user, "record_recommendations", case)
    readable = may_read_recommendations(user, case)
    if readable:
        log_access(user=user, case=case, action=AccessAction.VIEW_RECOMMENDATIONS)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Recommendations for case %(number)s") % {"number": case.number},
        "opts": Case._meta,
        "case": case,
        "readable": readable,
        "recommendations": list(case.recommendations.select_related("recorded_by")) if readable else [],
        "can_record": can_record,
        "form": form if form is not None else (RecommendationForm() if can_record else None),
        "can_mark_handled": can_record and case.state == CaseState.SCHEDULED,
        "can_sign_off": _may(user, "sign_off_recommendations", case) and case.state == CaseState.HANDLED,
        "receipts": case.destruction_receipts.filter(scope=DestructionReceipt.Scope.RECOMMENDATIONS),
    }
    return TemplateResponse(request, "haastavat_erot/desk/case_recommendations.html", context,
                            status=400 if form is not None and form.errors else 200)
