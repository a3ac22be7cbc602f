"""The background information form (taustatietolomake) of a draft or returned case.

"Save draft" keeps whatever is typed (partial data is fine); "Submit" saves and submits in one
transaction, and if the case is not complete the transaction is rolled back and the form is
shown again with everything the worker typed and a message at each missing field. One POST also
adds the attachments chosen and removes the ones ticked for removal, so that nothing typed is lost by
handling files.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ...models import AttachmentKind, BackgroundInformation
from ...services import booking
from ...services.attachments import attachment_remove, attachments_add
from ..background_forms import AttachmentForm, BackgroundForm, children_formset
from .cases import own_case_or_404

# Where each of submission_problems' messages belongs on this form (by msgid); the others
# (consents, session) are shown at the top.
PROBLEM_FIELDS = {
    "Write your question to the group.": "question",
    "Describe the family situation.": "family_situation",
    "Add at least one child.": "children",
}


def editable_case_or_redirect(request, pk):
    """Return (case, None) for the user's own editable case, or (None, a redirect to the case)."""
    case = own_case_or_404(request, pk, related=("session", "background"))  # the form shows no group
    if not request.user.has_perm("haastavat_erot.edit_case", case):
        messages.info(request, _("This case can no longer be edited."))
        return None, redirect("portal:case_detail", pk=case.pk)
    if not hasattr(case, "background"):  # a case made outside case_book
        case.background = BackgroundInformation.objects.create(case=case)
    return case, None


def background_attachments(case):
    return case.attachments.filter(kind=AttachmentKind.BACKGROUND, destruction_started_at__isnull=True)


def _render(request, case, form, children, attachment_form, problems=(), status=200):
    context = {
        "case": case,
        "form": form,
        "children": children,
        "attachment_form": attachment_form,
        "attachments": background_attachments(case),
        "problems": problems,
        "has_errors": bool(form.errors or children.total_error_count() or attachment_form.errors or problems),
    }
    return render(request, "haastavat_erot/portal/background_form.html", context, status=status)


def _remove_ticked(request, case):
    """Remove the attachments the worker ticked. Outside any transaction: a removal commits its
    mark before the bytes go (services.attachments)."""
    ids = [value for value in request.POST.getlist("remove_attachment") if value.isdigit()]
    if not ids:
        return
    for attachment in background_attachments(case).filter(pk__in=ids):
        attachment_remove(attachment=attachment, by=request.user)


def _show_problems(form, children, problems):
    """Put each problem at its field; return those that belong to no field."""
    rest = []
    targets = {gettext(msgid): field for msgid, field in PROBLEM_FIELDS.items()}
    for problem in problems:
        field = targets.get(problem)
        if field == "children":
            children.non_form_errors().append(problem)
        elif field:
            form.add_error(field, problem)
        else:
            rest.append(problem)
    return rest


@login_required
def background_form(request, pk):
    case, refusal = editable_case_or_redirect(request, pk)
    if refusal:
        return refusal
    if request.method != "POST":
        return _render(request, case, BackgroundForm(case=case), children_formset(case), AttachmentForm(case=case))

    form = BackgroundForm(request.POST, case=case)
    children = children_formset(case, request.POST)
    attachment_form = AttachmentForm(request.POST, request.FILES, case=case)
    if not all([form.is_valid(), children.is_valid(), attachment_form.is_valid()]):
        return _render(request, case, form, children, attachment_form)
    _remove_ticked(request, case)

    submitting = request.POST.get("action") == "submit"
    files = attachment_form.cleaned_data["file"]
    try:
        with transaction.atomic():
            if form.has_changed():
                form.save()
            children.save()
            if submitting:  # case_submit checks completeness before it writes the files
                booking.case_submit(case=case, by=request.user, files=files)
            else:
                attachments_add(case=case, files=files, by=request.user)
                booking.case_touch(case=case)
    except ValidationError as error:  # incomplete, too many files, or the session filled up meanwhile
        case.refresh_from_db(fields=["state", "submitted_at", "last_edited_at"])  # undo in memory what rolled back
        if getattr(error, "code", None) == "too_many_files":  # counted under the case's lock
            attachment_form.add_error("file", error)
            return _render(request, case, form, children, attachment_form)
        problems = _show_problems(form, children, error.messages)
        if files:
            problems.append(gettext("The files you chose were not added: choose them again."))
        return _render(request, case, form, children, AttachmentForm(case=case), problems=problems)
    if submitting:
        messages.success(request, _("The case has been submitted to the group's coordinator."))
        return redirect("portal:case_detail", pk=case.pk)
    messages.success(request, _("The draft has been saved. You can continue later."))
    return redirect("portal:background_form", pk=case.pk)
