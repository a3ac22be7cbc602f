"""The guardians' consents of the worker's own case: record, change, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ...models import Consent
from ...services import consent as consent_service
from ..consent_forms import ConsentForm
from .cases import own_case_or_404


def section_context(request, case):
    """Return the context of the booking and consents sections of the case page."""
    can_manage = request.user.has_perm("haastavat_erot.manage_consents", case)
    consents = list(case.consents.prefetch_related("organisations")) if case.has_content else []
    return {"consents": consents, "can_manage_consents": can_manage,
            "can_withdraw_case": request.user.has_perm("haastavat_erot.withdraw_case", case),
            "can_change_session": request.user.has_perm("haastavat_erot.edit_case", case)}


def _managed_case(request, pk):
    """Return the user's own case if its consents may still be changed; otherwise 404."""
    case = own_case_or_404(request, pk)
    if not request.user.has_perm("haastavat_erot.manage_consents", case):
        raise Http404
    return case


def _consent_of(case, consent_pk):
    return get_object_or_404(Consent.objects.prefetch_related("organisations"), pk=consent_pk, case=case,
                             withdrawn_at__isnull=True)


def _initial(consent):
    return {"guardian_name": consent.guardian_name, "handling": consent.handling, "records": consent.records,
            "records_scope": consent.records_scope, "not_asked_reason": consent.not_asked_reason,
            "given_on": consent.given_on, "method": consent.method,
            "organisations": [row.organisation for row in consent.organisations.all()]}


def _edit(request, case, consent=None):
    form = ConsentForm(request.POST or None, case=case, consent=consent,
                       initial=_initial(consent) if consent else None)
    if request.method == "POST" and form.is_valid():
        was_anonymous = case.is_anonymous
        consent_service.consent_record(case=case, by=request.user, consent=consent,
                                       organisations=form.cleaned_data.get("organisations") or (),
                                       **form.consent_fields())
        case.refresh_from_db()
        if case.is_anonymous and not was_anonymous:
            messages.warning(request, _("The case is now anonymous: its identifying details were destroyed."))
        messages.success(request, _("The consent is recorded."))
        return redirect("portal:case_detail", case.pk)
    return render(request, "haastavat_erot/portal/consent_form.html",
                  {"case": case, "consent": consent, "form": form})


@never_cache
@login_required
def consent_add(request, pk):
    return _edit(request, _managed_case(request, pk))


@never_cache
@login_required
def consent_edit(request, pk, consent_pk):
    case = _managed_case(request, pk)
    return _edit(request, case, _consent_of(case, consent_pk))


@never_cache
@login_required
def consent_withdraw(request, pk, consent_pk):
    """Confirm, then withdraw a guardian's consent: the case turns anonymous at once."""
    case = _managed_case(request, pk)
    consent = _consent_of(case, consent_pk)
    if request.method == "POST":
        consent_service.consent_withdraw(consent=consent, by=request.user)
        messages.success(request, _("The consent was withdrawn. The case is anonymous and its identifying "
                                    "details were destroyed."))
        return redirect("portal:case_detail", case.pk)
    return render(request, "haastavat_erot/portal/consent_withdraw.html", {"case": case, "consent": consent})
