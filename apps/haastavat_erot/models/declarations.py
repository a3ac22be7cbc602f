"""Safeguards of administrative law: confidentiality, attendance and disqualification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .sessions import Session


class SessionDeclaration(models.Model):
    """A member's confidentiality acknowledgement and attendance for one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="declarations",
                                verbose_name=_("session"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_declarations",
                             verbose_name=_("member"))
    confidentiality_acknowledged_at = models.DateTimeField(_("confidentiality acknowledged"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("session declaration")
        verbose_name_plural = _("session declarations")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_declaration_per_session_member")]

    def __str__(self):
        return f"{self.session} {self.user}"


class CaseDeclaration(models.Model):
    """An expert's declaration on one case: no conflict, or disqualified (esteellinen)."""

    class Decision(models.TextChoices):
        NO_CONFLICT = "no_conflict", _("No conflict of interest")
        DISQUALIFIED = "disqualified", _("Disqualified")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_declarations",
                             verbose_name=_("member"))
    decision = models.CharField(_("decision"), max_length=14, choices=Decision.choices)
    declared_at = models.DateTimeField(_("declared"), auto_now=True)

    class Meta:
        verbose_name = _("disqualification declaration")
        verbose_name_plural = _("disqualification declarations")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_declaration_per_case_member")]

    def __str__(self):
        return f"{self.case} {self.user}"
