"""The group's action recommendations and the worker's feedback on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, CaseState

RECOMMENDABLE_STATES = [CaseState.SCHEDULED, CaseState.HANDLED]


class RecommendationCategory(models.TextChoices):
    SERVICE_REFERRAL = "service_referral", _("Service referral")
    ASSESSMENT = "assessment", _("Assessment")
    CHILD_WELFARE_NOTIFICATION = "child_welfare_notification", _("Child welfare notification")
    POLICE_REPORT = "police_report", _("Report to the police")
    FURTHER_CONSULTATION = "further_consultation", _("Further consultation")
    OTHER = "other", _("Other")


class Recommendation(models.Model):
    """One action recommendation. Its category stays for the statistics; its text is destroyed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("case"))
    category = models.CharField(_("category"), max_length=30, choices=RecommendationCategory.choices)
    text = models.TextField(_("recommendation"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_category_display()}"

    def clean(self):
        if self.case_id and self.case.state not in RECOMMENDABLE_STATES:
            raise ValidationError(_("Recommendations can be recorded only for a case on the agenda or handled."),
                                  code="case_not_on_agenda")
        if self.case_id and self.case.recommendations_signed_off_at and self._state.adding:
            raise ValidationError(_("The recommendations have been signed off and can no longer change."),
                                  code="signed_off")

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.clean()
        super().save(*args, **kwargs)


class Feedback(models.Model):
    """The worker's short feedback on the recommendations: the score stays, the comment is destroyed."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("case"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness (1-5)"),
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=models.Q(usefulness__gte=1, usefulness__lte=5),
                                   name="feedback_usefulness_1_to_5",
                                   violation_error_message=_("Usefulness is from 1 to 5.")),
        ]

    def __str__(self):
        return str(self.case)
