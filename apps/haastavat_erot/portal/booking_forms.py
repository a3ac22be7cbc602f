"""The booking form: a session of the chosen group, the eligibility questions of the instruction
(issue 10.5) and the worker's reasoning."""

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import anonymity
from ..models import DiscussedBefore, Session

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def bookable_sessions(group, *, keep=None):
    """Return the group's upcoming sessions with a free slot (plus session `keep`, whatever its
    state, so that a worker who lost the race for it sees why), annotated with `booked`."""
    free = Q(booked__lt=F("capacity"))
    if keep:
        free |= Q(pk=keep)
    return Session.objects.filter(group=group).upcoming().with_booked_count().filter(free).order_by("starts_at")


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        free = max(session.capacity - session.booked, 0)
        if not free:
            return _("%(when)s – full") % {"when": when}
        return ngettext("%(when)s – %(free)d free slot", "%(when)s – %(free)d free slots", free) % {
            "when": when, "free": free}


class SessionForm(forms.Form):
    """Choose one of the group's upcoming sessions with a free slot."""

    session = SessionChoiceField(label=_("Session"), queryset=Session.objects.none(), widget=forms.RadioSelect,
                                 empty_label=None)

    def __init__(self, *args, group, selected=None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A posted session stays a choice even if it filled up meanwhile, so that the worker who
        # lost the race is told why (Case.save) rather than "not one of the choices".
        keep = self.data.get("session") if self.is_bound else None
        keep = int(keep) if isinstance(keep, str) and keep.isdigit() else None
        sessions = bookable_sessions(group, keep=keep)
        if exclude:
            sessions = sessions.exclude(pk=exclude)
        self.fields["session"].queryset = sessions
        if selected and not self.is_bound:
            self.initial.setdefault("session", selected)


class BookingForm(SessionForm):
    concern_raised_with_guardians = forms.TypedChoiceField(
        label=_("Have you first raised the concern openly with the guardians (and the child)?"),
        choices=YES_NO, coerce=_yes_no, widget=forms.RadioSelect)
    basic_services_tried = forms.TypedChoiceField(
        label=_("Have the basic services already been tried?"), choices=YES_NO, coerce=_yes_no,
        widget=forms.RadioSelect)
    discussed_before = forms.ChoiceField(label=_("Has the group discussed this family before?"),
                                         choices=DiscussedBefore.choices, widget=forms.RadioSelect)
    eligibility_reasoning = forms.CharField(
        label=_("Why does the case need the group?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
        help_text=_("Do not identify the family: no names, personal identity codes, phone numbers or e-mail "
                    "addresses. The case is anonymous until the guardians' consent is recorded."))

    def clean_eligibility_reasoning(self):
        text = self.cleaned_data["eligibility_reasoning"]
        anonymity.validate_anonymous_text(text)  # a new case is anonymous
        return text
