"""Desk pages for worker accounts: a coordinator invites a worker by e-mail, and reassigns a case
that was handed to them when its worker's account was deactivated."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import ratelimit
from ...models import Case, ConsultationGroup, User
from ...permissions import groups_visible_to
from ...services import accounts

TEMPLATE = "admin/haastavat_erot/account_form.html"


def groups_to_invite_to(user):
    """Return the groups whose county the user may invite workers to."""
    visible = groups_visible_to(user).select_related("county")
    return ConsultationGroup.objects.filter(
        pk__in=[group.pk for group in visible if user.has_perm("haastavat_erot.invite_worker", group)])


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Work e-mail address"), max_length=254,
                             help_text=gettext_lazy("Any work address, also outside the county's allowed domains."))
    group = forms.ModelChoiceField(label=gettext_lazy("Group"), queryset=ConsultationGroup.objects.none(),
                                   empty_label=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


def _render(request, form, *, title, intro, submit, status=200):
    context = {**admin.site.each_context(request), "form": form, "title": title, "intro": intro,
               "submit_label": submit}
    return TemplateResponse(request, TEMPLATE, context, status=status)


def invite_worker(request):
    groups = groups_to_invite_to(request.user)
    if not groups:
        raise PermissionDenied
    form = InviteForm(request.POST or None, groups=groups)
    page = {"title": _("Invite a worker"), "submit": _("Send the invitation"),
            "intro": _("The worker gets a link for creating an account and setting a password. The e-mail tells "
                       "nothing else; if the address already has an account, it says so to its owner only.")}
    if request.method == "POST":
        if ratelimit.hit("invite", request, request.POST.get("email", "")):
            messages.error(request, _("Too many invitations in a short while. Wait an hour and try again."))
            return _render(request, form, status=429, **page)
        if form.is_valid():
            accounts.invitation_send(address=form.cleaned_data["email"], group=form.cleaned_data["group"],
                                     by=request.user, language=get_language())
            # The same words for every address, so that the page tells nothing about accounts.
            messages.success(request, _("The invitation has been sent."))
            return redirect(request.path)
    return _render(request, form, **page)


class ReassignForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Colleague's work e-mail address"), max_length=254,
                             help_text=gettext_lazy("The colleague the worker named. They need an active account: "
                                                    "invite them first if they have none."))

    def clean_email(self):
        colleague = User.objects.filter(email__iexact=self.cleaned_data["email"].strip(), is_active=True).first()
        if colleague is None:
            raise ValidationError(_("No active account has this address. Invite the colleague first."),
                                  code="no_active_account")
        return colleague


def reassign_case(request, pk):
    case = get_object_or_404(Case.objects.select_related("group"), pk=pk)
    if not request.user.has_perm("haastavat_erot.reassign_case", case):
        raise PermissionDenied
    form = ReassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.case_reassign(case=case, to=form.cleaned_data["email"], by=request.user)
        messages.success(request, _("Case %(number)s has been reassigned and the colleague told by e-mail.")
                         % {"number": case.number})
        return redirect("admin:haastavat_erot_case_changelist")
    return _render(request, form, title=_("Reassign case %(number)s") % {"number": case.number},
                   intro=_("The worker who brought this case has left. Give the case to the colleague they named."),
                   submit=_("Reassign the case"))
