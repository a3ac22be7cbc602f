"""A county admin adds a new member in one step: the account and its first membership in one of
their county's groups, so that the new account is at once inside their view of users."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import ConsultationGroup, ExpertOrganisation, Role


class MemberCreationForm(AdminUserCreationForm):
    """UserAdmin.get_form subclasses this with `groups` (the groups the user may add members to)
    and `group_required` (True for county admins: an account of theirs starts as a member)."""

    groups = ConsultationGroup.objects.none()
    group_required = True

    group = forms.ModelChoiceField(label=_("Group"), queryset=ConsultationGroup.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices], required=False)
    member_organisation = forms.ChoiceField(label=_("Organisation"), required=False,
                                            choices=[("", "---------"), *ExpertOrganisation.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = self.groups
        self.fields["group"].required = self.fields["role"].required = self.group_required

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") and not cleaned.get("role"):
            self.add_error("role", ValidationError(_("Choose the member's role."), code="role_required"))
        if cleaned.get("role") == Role.EXPERT and not cleaned.get("member_organisation"):
            self.add_error("member_organisation", ValidationError(
                _("An expert member must have an organisation."), code="expert_without_organisation"))
        return cleaned
