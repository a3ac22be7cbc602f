"""Destruction runs and their receipts: what was destroyed for which case number, when and by
which run. Counts and bytes only; nothing identifying, no free text."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class DestructionRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Scheduled job")
        COMMAND = "command", _("Manual command")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    as_of = models.DateTimeField(_("evaluated as of"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    cases = models.PositiveIntegerField(_("cases"), default=0)
    attachments = models.PositiveIntegerField(_("attachments"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    recommendations = models.PositiveIntegerField(_("recommendations"), default=0)
    orphan_files = models.PositiveIntegerField(_("orphan files swept"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    error_summary = models.TextField(_("errors (identifiers only)"), blank=True)

    class Meta:
        verbose_name = _("destruction run")
        verbose_name_plural = _("destruction runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class DestructionReceipt(models.Model):
    class Scope(models.TextChoices):
        CONTENT = "content", _("Background information, attachments and consents")
        IDENTIFYING = "identifying", _("Identifying details after consent was withdrawn")
        RECOMMENDATIONS = "recommendations", _("Recommendation texts and feedback comment")

    class Reason(models.TextChoices):
        HANDLED = "handled", _("Case handled and grace period over")
        WITHDRAWN = "withdrawn", _("Case withdrawn")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        DRAFT_ABANDONED = "draft_abandoned", _("Draft untouched for 30 days")
        RETURNED_ABANDONED = "returned_abandoned", _("Returned case not resubmitted in 30 days")
        ACKNOWLEDGED = "acknowledged", _("Recommendations acknowledged 7 days ago")
        MAXIMUM_AGE = "maximum_age", _("Recommendations 60 days after handling")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="destruction_receipts",
                             verbose_name=_("case"))
    run = models.ForeignKey(DestructionRun, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("run"))
    scope = models.CharField(_("what"), max_length=16, choices=Scope.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    destroyed_at = models.DateTimeField(_("destroyed"), auto_now_add=True)
    background_forms = models.PositiveSmallIntegerField(_("background forms"), default=0)
    children = models.PositiveSmallIntegerField(_("children's details"), default=0)
    consents = models.PositiveSmallIntegerField(_("consents"), default=0)
    attachments = models.PositiveIntegerField(_("attachments"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    recommendations = models.PositiveSmallIntegerField(_("recommendation texts"), default=0)

    class Meta:
        verbose_name = _("destruction receipt")
        verbose_name_plural = _("destruction receipts")
        ordering = ["-destroyed_at"]
        constraints = [models.UniqueConstraint(fields=["case", "scope"], name="one_receipt_per_case_and_scope")]

    def __str__(self):
        return f"{self.case} {self.get_scope_display()}"
