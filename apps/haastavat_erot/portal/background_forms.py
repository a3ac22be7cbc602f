"""Forms of the background information (taustatietolomake): the form, its children and a file.

Every field may be left empty in a draft; what submission needs is decided by
`services.booking.submission_problems`. In an anonymous case the children have no name field and
every free-text field is checked for identifying details (anonymity.py).
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from .. import uploads
from ..anonymity import validate_anonymous_text
from ..models import BackgroundInformation, Child, Consent

FREE_TEXT_HELP = {
    "question": _("What do you want the group to think about? One or two questions work best."),
    "family_situation": _("Who belongs to the family, who the child lives with, and what has happened."),
    "separation_details": _("Custody, residence, visitation disputes and court proceedings."),
    "concerns_text": _("Describe the concerns you ticked above: what, since when, and how you know."),
    "services_involved": _("For example child protection, child guidance, school health care."),
    "guardians_views": _("What each guardian is worried about and what they think would help."),
}


def family_names(case):
    """Return the names already recorded for the family: the guardians' and the children's. In
    SQL: on the submit's path the ORM took three times as long to build the union (decision 36)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT guardian_name FROM {Consent._meta.db_table} WHERE case_id = %s UNION ALL "
                       f"SELECT name FROM {Child._meta.db_table} WHERE background_id = %s",
                       [case.pk, case.background.pk])
        return [name for (name,) in cursor.fetchall() if name]


class BackgroundForm(forms.ModelForm):
    class Meta:
        model = BackgroundInformation
        fields = ["question", "family_situation", "custody", "residence", "visitation_dispute", "court_proceedings",
                  "separation_details", *BackgroundInformation.CONCERN_FIELDS, "concerns_text",
                  "services_involved", "guardians_views", "tried_so_far", "eligibility_reasoning"]
        help_texts = FREE_TEXT_HELP
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in BackgroundInformation.FREE_TEXT_FIELDS}
        widgets["visitation_dispute"] = forms.NullBooleanSelect

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, instance=case.background, **kwargs)
        self.case = case
        self.names = family_names(case) if case.is_anonymous else []

    def clean(self):
        cleaned = super().clean()
        if self.case.is_anonymous:
            for name in BackgroundInformation.FREE_TEXT_FIELDS:
                try:
                    validate_anonymous_text(cleaned.get(name, ""), self.names)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def concern_fields(self):
        return [self[name] for name in BackgroundInformation.CONCERN_FIELDS]


class NamedChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["age_years", "name"]
        help_texts = {"name": _("First name only; leave empty if you prefer.")}


class AnonymousChildForm(forms.ModelForm):
    """A child of an anonymous case: the age only."""

    class Meta:
        model = Child
        fields = ["age_years"]


class OwnChildField(forms.ModelChoiceField):
    """The hidden id of a child row: one of the children the formset has read (one query for
    all of them). Django's own field asks the database for every posted id, and accepts any
    child's id, of any case."""

    def __init__(self, formset, **kwargs):
        super().__init__(formset.get_queryset(), **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        child = next((child for child in self.formset.get_queryset() if str(child.pk) == str(value)), None)
        if child is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return child


class ChildFormSet(forms.BaseInlineFormSet):
    """The children of a case, each row's hidden id an OwnChildField."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        form.fields[pk_name] = OwnChildField(self, initial=form.fields[pk_name].initial, required=False,
                                             widget=forms.HiddenInput)


def _child_formset_class(form):
    return forms.inlineformset_factory(BackgroundInformation, Child, form=form, formset=ChildFormSet, extra=1,
                                       max_num=12, validate_max=True, can_delete=True)


NamedChildFormSet = _child_formset_class(NamedChildForm)
AnonymousChildFormSet = _child_formset_class(AnonymousChildForm)


def children_formset(case, data=None):
    """Return the inline formset of the case's children: with names only in a named case."""
    formset_class = AnonymousChildFormSet if case.is_anonymous else NamedChildFormSet
    return formset_class(data, instance=case.background, prefix="children")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files at once; cleans to a list (empty when none)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files if upload]


class AttachmentForm(forms.Form):
    """Files to add, one or several at once. The checks live in uploads.py so that every upload
    gets the same; the form's cleaned files are uploads.CheckedUpload, checked once."""

    file = MultipleFileField(label=_("Add attachments"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["file"].help_text = _(
            "You can choose several files at once: PDFs, PNG or JPEG images, or Office documents; at most "
            "%(size)s each and %(count)d per case."
        ) % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES), "count": settings.ATTACHMENT_MAX_COUNT}

    def clean_file(self):
        """Check each file. With the files already attached, the count is checked where the files
        are stored, under the case's lock; more files than a case may have are refused here."""
        files = self.cleaned_data.get("file") or []
        if len(files) > settings.ATTACHMENT_MAX_COUNT:
            raise uploads.too_many_files()
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(uploads.check_upload(upload))
            except ValidationError as error:
                errors.append(ValidationError(_("%(name)s: %(problem)s"), code=error.code,
                                              params={"name": upload.name, "problem": error.messages[0]}))
        if errors:
            raise ValidationError(errors)
        return checked
