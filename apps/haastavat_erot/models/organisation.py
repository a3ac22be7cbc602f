"""Counties, their consultation groups and who belongs to them in which role."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MAX_GRACE_HOURS = 14 * 24


class County(models.Model):
    """A wellbeing services county (hyvinvointialue), or the City of Helsinki."""

    code = models.CharField(_("code"), max_length=2, unique=True,
                            help_text=_("Two letters that start the case numbers, e.g. KS."))
    name_fi = models.CharField(_("name in Finnish"), max_length=120, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="county_code_two_capitals",
                                   violation_error_message=_("The code is two capital letters.")),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_sv if get_language() == "sv" else self.name_fi


class ExpertOrganisation(models.TextChoices):
    """The expert bodies that sit in the groups (DOMAIN.md)."""

    FAMILY_LAW = "family_law", _("Family law unit")
    CHILD_GUIDANCE = "child_guidance", _("Child guidance and family counselling")
    FAMILY_SOCIAL_WORK = "family_social_work", _("Family social work")
    CHILD_PROTECTION = "child_protection", _("Child protection open care")
    CHILD_PSYCHIATRY = "child_psychiatry", _("Child psychiatry")
    FORENSIC_PSYCHIATRY = "forensic_psychiatry", _("Forensic child and adolescent psychiatry unit")
    POLICE = "police", _("Police")
    EDUCATION = "education", _("Education services")
    OTHER = "other", _("Other")


class ConsultationGroup(models.Model):
    """A Haastavat erot consultation group of one county."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        BIWEEKLY = "biweekly", _("Every other week")
        WEEKLY = "weekly", _("Weekly")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="groups", verbose_name=_("county"))
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"), default=120, validators=[MinValueValidator(30), MaxValueValidator(480)])
    slots_per_session = models.PositiveSmallIntegerField(
        _("case slots per session"), default=4, validators=[MinValueValidator(1), MaxValueValidator(20)])
    grace_hours = models.PositiveSmallIntegerField(
        _("grace period before destruction (hours)"), default=24,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_GRACE_HOURS)],
        help_text=_("Background information is destroyed this long after the case is handled (0 to 14 days)."))
    default_place = models.CharField(_("default place or video link"), max_length=300, blank=True)
    public_description = models.TextField(_("public description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="consultation_groups")

    class Meta:
        verbose_name = _("consultation group")
        verbose_name_plural = _("consultation groups")
        ordering = ["county__name_fi", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "slug"], name="group_slug_unique_in_county"),
            models.CheckConstraint(condition=models.Q(grace_hours__lte=MAX_GRACE_HOURS), name="group_grace_at_most_14_days",
                                   violation_error_message=_("The grace period is at most 14 days.")),
            models.CheckConstraint(condition=models.Q(slots_per_session__gte=1), name="group_slots_positive",
                                   violation_error_message=_("A session has at least one case slot.")),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator / secretary")
    CHAIR = "chair", _("Chair")
    EXPERT = "expert", _("Expert member")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's role in one group. A chair and a coordinator may also represent an organisation."""

    group = models.ForeignKey(ConsultationGroup, on_delete=models.CASCADE, related_name="memberships",
                              verbose_name=_("group"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.CharField(_("organisation"), max_length=30, choices=ExpertOrganisation.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group"),
            models.CheckConstraint(
                condition=~models.Q(role="expert") | ~models.Q(organisation=""),
                name="expert_has_organisation",
                violation_error_message=_("An expert member must have an organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class CountyAdmin(models.Model):
    """A county admin (pääkäyttäjä) configures the groups and members of one county."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="admins", verbose_name=_("county"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="county_admin_roles",
                             verbose_name=_("user"))

    class Meta:
        verbose_name = _("county admin")
        verbose_name_plural = _("county admins")
        constraints = [models.UniqueConstraint(fields=["county", "user"], name="one_county_admin_role")]

    def __str__(self):
        return f"{self.user} ({self.county.code})"


class AllowedEmailDomain(models.Model):
    """A work e-mail domain whose owners may register themselves as workers of the county."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="allowed_domains",
                               verbose_name=_("county"))
    domain = models.CharField(_("domain"), max_length=190,
                              help_text=_("For example hyvaks.fi; subdomains are not included."))

    class Meta:
        verbose_name = _("allowed e-mail domain")
        verbose_name_plural = _("allowed e-mail domains")
        constraints = [models.UniqueConstraint(fields=["county", "domain"], name="domain_unique_in_county")]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)
