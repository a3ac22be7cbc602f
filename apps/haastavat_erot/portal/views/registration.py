"""Getting an account: self-registration with an allowed work e-mail domain, accepting a
coordinator's invitation, and resetting a forgotten password.

Every form here is rate-limited (ratelimit.py) and answers the same for an address that has an
account and one that has not: the request is acknowledged with the same redirect, and whatever
differs happens in a queued job that writes to the address itself (services/accounts.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ... import ratelimit
from ...models import Sector, User
from ...services import accounts

ADDRESS_WIDGET = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
DETAIL_FIELDS = ["first_name", "last_name", "title", "organisation", "sector"]


def rate_limited(request):
    return render(request, "haastavat_erot/portal/rate_limited.html", status=429)


# --- self-registration ----------------------------------------------------------------------------
class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail address"), max_length=254, widget=ADDRESS_WIDGET,
                             help_text=_("Use your work address. Registration is open to the e-mail domains your "
                                         "wellbeing services county has allowed."))

    def clean_email(self):
        address = accounts.normalise_address(self.cleaned_data["email"])
        if accounts.county_for_address(address) is None:
            raise ValidationError(_("This e-mail domain is not open for registration. Ask the coordinator of the "
                                    "group for an invitation."), code="domain_not_allowed")
        return address


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.hit("register", request, request.POST.get("email", "")):
            return rate_limited(request)
        if form.is_valid():
            accounts.registration_request(address=form.cleaned_data["email"], language=get_language())
            return redirect("portal:register_sent")
    return render(request, "haastavat_erot/portal/register.html", {"form": form})


def register_sent(request):
    return render(request, "haastavat_erot/portal/register_sent.html")


# --- completing the account from a link -------------------------------------------------------------------
class AccountDetailsForm(SetPasswordMixin, forms.Form):
    """The worker's details and password; the address comes from the verified link."""

    first_name = forms.CharField(label=_("First name"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    title = forms.CharField(label=_("Job title"), max_length=120,
                            widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    organisation = forms.CharField(label=_("Employer organisation"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, widget=forms.RadioSelect)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, address, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        user = User(email=self.address, **{name: cleaned.get(name, "") for name in DETAIL_FIELDS})
        self.validate_password_for_user(user)
        return cleaned


def _complete_account(request, token, kind):
    link = accounts.read_link_token(kind, token)
    if link is None:  # expired, tampered with or already used: one answer for all
        return render(request, "haastavat_erot/portal/link_invalid.html", {"kind": kind})
    form = AccountDetailsForm(request.POST or None, address=link["address"])
    if request.method == "POST":
        if ratelimit.hit("account_complete", request, link["address"]):
            return rate_limited(request)
        if form.is_valid():
            try:
                user = accounts.account_create(link=link, password=form.cleaned_data["password1"],
                                               language=get_language(),
                                               **{name: form.cleaned_data[name] for name in DETAIL_FIELDS})
            except ValidationError:
                return render(request, "haastavat_erot/portal/link_invalid.html", {"kind": kind})
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created. You can now book a slot for a case."))
            return redirect("portal:home")
    return render(request, "haastavat_erot/portal/account_complete.html",
                  {"form": form, "address": link["address"], "kind": kind})


@require_http_methods(["GET", "POST"])
def register_complete(request, token):
    return _complete_account(request, token, accounts.REGISTER)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    return _complete_account(request, token, accounts.INVITE)


# --- password reset: Django's views, our form, templates and limits --------------------------------------
class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(label=_("Work e-mail address"), max_length=254, widget=ADDRESS_WIDGET)

    def save(self, **kwargs):
        """Queue the e-mail: the job, not the request, finds out whether the address has an account."""
        accounts.password_reset_request(address=self.cleaned_data["email"], language=get_language())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "haastavat_erot/portal/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("portal:password_reset_done")

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("password_reset", request, request.POST.get("email", "")):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "haastavat_erot/portal/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "haastavat_erot/portal/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("portal:password_reset_complete")

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("password_reset_confirm", request):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "haastavat_erot/portal/password_reset_complete.html"
