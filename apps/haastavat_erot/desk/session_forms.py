"""Forms of the desk's session pages (desk/views/sessions.py)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..services.sessions import SAME_DAY_OF_MONTH, SAME_WEEKDAY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class YearOfSessionsForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, empty_label=None)
    first_date = forms.DateField(label=_("Date of the first session"), widget=DateInput())
    rule = forms.ChoiceField(
        label=_("Following sessions"), widget=forms.RadioSelect, initial=SAME_WEEKDAY,
        choices=[(SAME_WEEKDAY, _("Same weekday of the same week of each month (e.g. the second Tuesday)")),
                 (SAME_DAY_OF_MONTH, _("Same day of each month"))])
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=120,
                                          validators=[MinValueValidator(30), MaxValueValidator(480)])
    capacity = forms.IntegerField(label=_("Case slots"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    place = forms.CharField(label=_("Place or video link"), max_length=300, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class SessionMoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    time = forms.TimeField(label=_("New time"), widget=TimeInput())
    place = forms.CharField(label=_("Place or video link"), max_length=300, required=False)


class SessionCancelForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel the session"), required=True)


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(label=_("Attended"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (m.user_id, f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})") for m in memberships]
