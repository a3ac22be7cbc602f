"""Small forms of the desk's case pages."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ...models import CaseDeclaration, Session


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        when = date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")
        return _("%(when)s (%(booked)s/%(capacity)s booked)") % {
            "when": when, "booked": session.booked, "capacity": session.capacity}


class SessionChoiceForm(forms.Form):
    """Choose an upcoming session of the case's group (to accept the case into, or move it to)."""

    session = SessionChoiceField(label=_("Session"), queryset=Session.objects.none())

    def __init__(self, *args, case, exclude_current=False, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = Session.objects.upcoming().filter(group_id=case.group_id).with_booked_count().order_by("starts_at")
        if exclude_current and case.session_id:
            sessions = sessions.exclude(pk=case.session_id)
        self.fields["session"].queryset = sessions
        if not exclude_current and case.session_id:
            self.fields["session"].initial = case.session_id


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning the case"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("The worker reads this in the portal; the e-mail carries only a link."))


class DeclarationForm(forms.Form):
    decision = forms.ChoiceField(label=_("Declaration"), choices=CaseDeclaration.Decision.choices,
                                 widget=forms.RadioSelect)


class AgendaMoveForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
