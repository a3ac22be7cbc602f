"""What must be destroyed: the background information form, the children, the guardians'
consents and every uploaded file. Kept apart from the case skeleton so that destroying it is one
clean operation (purge.py)."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .organisation import ExpertOrganisation


def private_storage():
    return storages["private"]


def attachment_path(instance, filename):
    """A random name in a per-month folder: the original name stays in the row, never on disk."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Custody(models.TextChoices):
    JOINT = "joint", _("Joint custody")
    ONE_GUARDIAN = "one_guardian", _("One guardian has custody")
    OTHER = "other", _("Other arrangement")
    UNKNOWN = "unknown", _("Not known")


class Residence(models.TextChoices):
    ONE_PARENT = "one_parent", _("Lives with one parent")
    ALTERNATING = "alternating", _("Alternating residence")
    PLACEMENT = "placement", _("Placed outside the home")
    UNKNOWN = "unknown", _("Not known")


class CourtProceedings(models.TextChoices):
    NONE = "none", _("None")
    PENDING = "pending", _("Pending")
    DECIDED = "decided", _("Decided")
    UNKNOWN = "unknown", _("Not known")


class BackgroundInformation(models.Model):
    """The background information form (taustatietolomake) of one case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="background", verbose_name=_("case"))
    question = models.TextField(_("your question to the group"), blank=True)
    family_situation = models.TextField(_("family situation"), blank=True)
    custody = models.CharField(_("custody"), max_length=20, choices=Custody.choices, blank=True)
    residence = models.CharField(_("residence of the child"), max_length=20, choices=Residence.choices, blank=True)
    visitation_dispute = models.BooleanField(_("dispute over visitation"), null=True, blank=True)
    court_proceedings = models.CharField(_("court proceedings"), max_length=20, choices=CourtProceedings.choices,
                                         blank=True)
    separation_details = models.TextField(_("the separation: custody, residence, visitation, courts"), blank=True)
    concern_maltreatment = models.BooleanField(_("maltreatment"), default=False)
    concern_trauma = models.BooleanField(_("trauma of the child"), default=False)
    concern_violence = models.BooleanField(_("violence"), default=False)
    concern_threat_of_violence = models.BooleanField(_("threat of violence"), default=False)
    concern_sexual_offence = models.BooleanField(_("suspected sexual offence"), default=False)
    concern_familicide = models.BooleanField(_("risk of familicide"), default=False)
    concerns_text = models.TextField(_("the concerns in more detail"), blank=True)
    services_involved = models.TextField(_("services already involved"), blank=True)
    guardians_views = models.TextField(_("the guardians' concerns and views"), blank=True)
    tried_so_far = models.TextField(_("what has been tried"), blank=True)
    eligibility_reasoning = models.TextField(_("why the case needs the group"), blank=True)
    return_reason = models.TextField(_("reason for returning the case"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    CONCERN_FIELDS = ["concern_maltreatment", "concern_trauma", "concern_violence", "concern_threat_of_violence",
                      "concern_sexual_offence", "concern_familicide"]
    FREE_TEXT_FIELDS = ["question", "family_situation", "separation_details", "concerns_text", "services_involved",
                        "guardians_views", "tried_so_far", "eligibility_reasoning"]

    class Meta:
        verbose_name = _("background information")
        verbose_name_plural = _("background information")

    def __str__(self):
        return str(self.case)


class Child(models.Model):
    """A child of the family. Name and identity code only in a named case."""

    background = models.ForeignKey(BackgroundInformation, on_delete=models.CASCADE, related_name="children",
                                   verbose_name=_("background information"))
    age_years = models.PositiveSmallIntegerField(_("age (years)"), validators=[MaxValueValidator(17)])
    name = models.CharField(_("name"), max_length=120, blank=True)
    identity_code = models.CharField(_("personal identity code"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["-age_years", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(age_years__lte=17), name="child_under_18",
                                   violation_error_message=_("A child is under 18 years old.")),
        ]

    def __str__(self):
        return str(self.background.case)

    def validate_constraints(self, exclude=None):
        """Nothing to check here: the one constraint, child_under_18, is the database's own
        guarantee of what the age's validator already refuses with a message at the field.
        Django would build a query for it (and, with the age excluded, throw it away) for every
        child on every save of the background form."""


class ConsentAnswer(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    NOT_ASKED = "not_asked", _("Could not be asked")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed consent form")
    IN_PERSON = "in_person", _("Orally in person")
    PHONE = "phone", _("By phone")
    ELECTRONIC = "electronic", _("Electronically")


class RecordsScope(models.TextChoices):
    ALL = "all", _("All member organisations")
    SOME = "some", _("Only the organisations listed")


class Consent(models.Model):
    """One guardian's consent to handling in the group and, separately, to the experts studying
    the family's records in their own organisations."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("case"))
    guardian_name = models.CharField(_("guardian's name"), max_length=120, blank=True)
    handling = models.CharField(_("consent to handling in the group"), max_length=12, choices=ConsentAnswer.choices)
    records = models.CharField(_("consent to studying records in the experts' own organisations"), max_length=12,
                               choices=ConsentAnswer.choices)
    records_scope = models.CharField(_("records consent covers"), max_length=8, choices=RecordsScope.choices,
                                     default=RecordsScope.ALL)
    not_asked_reason = models.TextField(_("why consent could not be asked"), blank=True)
    given_on = models.DateField(_("date"), null=True, blank=True)
    method = models.CharField(_("how it was given"), max_length=12, choices=ConsentMethod.choices, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handling="not_asked") | ~models.Q(not_asked_reason=""),
                name="consent_not_asked_has_reason",
                violation_error_message=_("Say why consent could not be asked."),
            ),
        ]

    def __str__(self):
        return str(self.case)

    @property
    def allows_handling(self):
        return self.handling == ConsentAnswer.GIVEN and self.withdrawn_at is None

    def allows_records_of(self, organisation):
        """Return True if this guardian lets an expert of `organisation` study its own records."""
        if self.withdrawn_at or self.records != ConsentAnswer.GIVEN or not organisation:
            return False
        if self.records_scope == RecordsScope.ALL:
            return True
        return any(row.organisation == organisation for row in self.organisations.all())


class ConsentOrganisation(models.Model):
    """An organisation a records consent of scope 'some' covers."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.CharField(_("organisation"), max_length=30, choices=ExpertOrganisation.choices)

    class Meta:
        verbose_name = _("organisation covered by consent")
        verbose_name_plural = _("organisations covered by consent")
        constraints = [models.UniqueConstraint(fields=["consent", "organisation"], name="consent_organisation_once")]

    def __str__(self):
        return self.get_organisation_display()


class AttachmentKind(models.TextChoices):
    BACKGROUND = "background", _("Attachment to the background information")
    CONSENT_SCAN = "consent_scan", _("Scan of a signed consent form")


class Attachment(models.Model):
    """An uploaded file, stored privately under a random name. Destroyed in three steps
    (purge.py): mark the row and commit, remove the bytes, delete the row."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case"))
    consent = models.ForeignKey(Consent, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans",
                                verbose_name=_("consent"))
    kind = models.CharField(_("kind"), max_length=14, choices=AttachmentKind.choices, default=AttachmentKind.BACKGROUND)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    destruction_started_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["file"], name="attachment_file_unique"),
        ]

    def __str__(self):
        return f"{self.case} #{self.pk}"
