"""Scans of signed consent forms: added to one guardian's consent through the same checks as
every upload (uploads.py), listed, removed while the consents may still be changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ...models import AttachmentKind, Consent
from ...services.attachments import attachment_remove, attachments_add
from ..background_forms import AttachmentForm
from .cases import own_case_or_404


def _consent_of_own_case(request, pk, consent_pk):
    case = own_case_or_404(request, pk)
    if not request.user.has_perm("haastavat_erot.manage_consents", case):
        raise Http404
    return case, get_object_or_404(Consent, pk=consent_pk, case=case, withdrawn_at__isnull=True)


def _scans(consent):
    return consent.scans.filter(kind=AttachmentKind.CONSENT_SCAN, destruction_started_at__isnull=True)


@login_required
def consent_scans(request, pk, consent_pk):
    case, consent = _consent_of_own_case(request, pk, consent_pk)
    form = AttachmentForm(request.POST or None, request.FILES or None, case=case)
    form.fields["file"].label = _("Scans of the signed consent form")
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["file"]
        if not files:
            form.add_error("file", _("Choose the files to add."))
        else:
            try:
                attachments_add(case=case, files=files, by=request.user, kind=AttachmentKind.CONSENT_SCAN,
                                consent=consent)
            except ValidationError as error:  # too many files for the case
                form.add_error("file", error)
            else:
                messages.success(request, ngettext("The scan has been added.", "The scans have been added.",
                                                   len(files)))
                return redirect("portal:consent_scans", pk=case.pk, consent_pk=consent.pk)
    return render(request, "haastavat_erot/portal/consent_scans.html",
                  {"case": case, "consent": consent, "form": form, "scans": _scans(consent)})


@require_POST
@login_required
def consent_scan_remove(request, pk, consent_pk, scan_pk):
    case, consent = _consent_of_own_case(request, pk, consent_pk)
    scan = get_object_or_404(_scans(consent), pk=scan_pk)
    try:
        attachment_remove(attachment=scan, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The scan has been removed."))
    return redirect("portal:consent_scans", pk=case.pk, consent_pk=consent.pk)
