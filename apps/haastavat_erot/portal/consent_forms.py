"""The form recording one guardian's consent."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import anonymity
from ..models import ConsentAnswer, ConsentMethod, ExpertOrganisation, Membership, RecordsScope
from ..services.consent import would_turn_anonymous


def group_organisations(group):
    """Return the organisation choices of the group's members (all organisations if none recorded)."""
    present = set(Membership.objects.active().filter(group=group).exclude(organisation="")
                  .values_list("organisation", flat=True))
    return [(value, label) for value, label in ExpertOrganisation.choices if not present or value in present]


class ConsentForm(forms.Form):
    guardian_name = forms.CharField(
        label=_("Guardian's name"), max_length=120, required=False,
        help_text=_("Only for a guardian who consents to handling. Leave empty for an anonymous consultation."))
    handling = forms.ChoiceField(label=_("Consent to handling the case in the group"), choices=ConsentAnswer.choices,
                                 widget=forms.RadioSelect)
    records = forms.ChoiceField(label=_("Consent to the experts studying the family's records in their own "
                                        "organisations"), choices=ConsentAnswer.choices, widget=forms.RadioSelect)
    records_scope = forms.ChoiceField(label=_("The records consent covers"), choices=RecordsScope.choices,
                                      widget=forms.RadioSelect, initial=RecordsScope.ALL, required=False)
    organisations = forms.MultipleChoiceField(
        label=_("Organisations covered (when only some)"), required=False, widget=forms.CheckboxSelectMultiple)
    not_asked_reason = forms.CharField(
        label=_("Why consent could not be asked"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not identify the family: no names, identity codes, phone numbers or e-mail addresses."))
    given_on = forms.DateField(label=_("Date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("How it was given"), required=False,
                               choices=[("", "–"), *ConsentMethod.choices])
    confirm_anonymous = forms.BooleanField(
        label=_("I understand: the case turns anonymous and its identifying details are destroyed at once."),
        required=False)

    def __init__(self, *args, case, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.consent = case, consent
        self.fields["organisations"].choices = group_organisations(case.group)
        consents = list(case.consents.all())
        others = [c for c in consents if consent is None or c.pk != consent.pk]
        self.recorded_names = [c.guardian_name for c in consents if c.guardian_name]
        # A guardian who has not consented makes the case anonymous: then the form asks no name.
        self.asks_name = not any(not c.allows_handling for c in others)
        if not self.asks_name:
            del self.fields["guardian_name"]
        if case.is_anonymous:
            del self.fields["confirm_anonymous"]

    def clean(self):
        data = super().clean()
        handling, records = data.get("handling"), data.get("records")
        if not handling or not records:
            return data
        if data.get("guardian_name") and handling != ConsentAnswer.GIVEN:
            self.add_error("guardian_name", forms.ValidationError(
                _("Leave the name empty: only a guardian who consents to handling is recorded by name."),
                code="name_without_consent"))
        if records == ConsentAnswer.GIVEN and data.get("records_scope") == RecordsScope.SOME \
                and not data.get("organisations"):
            self.add_error("organisations", forms.ValidationError(
                _("Choose the organisations the consent covers."), code="organisations_required"))
        not_asked = ConsentAnswer.NOT_ASKED in (handling, records)
        reason = data.get("not_asked_reason", "")
        if not_asked and not reason.strip():
            self.add_error("not_asked_reason", forms.ValidationError(
                _("Say why consent could not be asked."), code="reason_required"))
        elif reason and handling != ConsentAnswer.GIVEN:
            try:  # the case will be anonymous: the reason must not identify the family
                anonymity.validate_anonymous_text(reason, self.recorded_names)
            except forms.ValidationError as error:
                self.add_error("not_asked_reason", error)
        asked = handling != ConsentAnswer.NOT_ASKED or records != ConsentAnswer.NOT_ASKED
        if asked and not data.get("given_on"):
            self.add_error("given_on", forms.ValidationError(_("Enter the date the guardian was asked."),
                                                             code="date_required"))
        if asked and not data.get("method"):
            self.add_error("method", forms.ValidationError(_("Choose how the guardian answered."),
                                                           code="method_required"))
        if data.get("given_on") and data["given_on"] > timezone.localdate():
            self.add_error("given_on", forms.ValidationError(_("The date cannot be in the future."),
                                                             code="date_in_future"))
        if (would_turn_anonymous(case=self.case, consent=self.consent, handling=handling)
                and not data.get("confirm_anonymous")):
            self.add_error("confirm_anonymous", forms.ValidationError(
                _("Without this guardian's consent to handling the case turns anonymous: confirm it."),
                code="confirm_anonymous"))
        return data

    def consent_fields(self):
        """Return the cleaned values as keyword arguments of services.consent.consent_record."""
        data = self.cleaned_data
        fields = {name: data.get(name) or "" for name in ("handling", "records", "records_scope", "not_asked_reason",
                                                          "method")}
        fields["records_scope"] = fields["records_scope"] or RecordsScope.ALL
        fields["guardian_name"] = (data.get("guardian_name") or "").strip()
        fields["given_on"] = data.get("given_on")
        return fields
