"""Logging in and out, the second factor for desk users, and the language choice."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ...permissions import is_desk_user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("Work e-mail address"),
                                widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}))


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "haastavat_erot/portal/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        user = self.request.user
        if is_desk_user(user):
            target = _safe_next(self.request, reverse("admin:index"))
            return reverse("portal:two_factor") + "?" + urlencode({"next": target})
        return _safe_next(self.request, reverse("portal:home"))


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("portal:login")


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Six-digit code from your authenticator app"), max_length=8,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "pattern": "[0-9 ]*"}))

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("The code is wrong or has expired. Enter the code your app shows now."),
                                        code="invalid_token")
        return token


@login_required
def two_factor(request):
    """Set up (first time) or verify the second factor (TOTP) that the desk requires."""
    user = request.user
    next_url = _safe_next(request, reverse("admin:index"))
    if not is_desk_user(user):
        return redirect("portal:home")
    if user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(next_url)
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_data_uri"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "haastavat_erot/portal/two_factor.html", context)


@require_POST
def set_language(request):
    """Switch the language; a logged-in user's choice is remembered on their account."""
    language = request.POST.get("language", "")
    next_url = _safe_next(request, reverse("portal:home"))
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE, httponly=True,
                            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response
