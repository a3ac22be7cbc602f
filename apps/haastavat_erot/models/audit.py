"""Who opened which case's content and when (case and user only, never content), and the
document requests the group has answered. Both are kept for ACCESS_LOG_RETENTION_DAYS."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .sessions import Session


class AccessAction(models.TextChoices):
    VIEW_BACKGROUND = "view_background", _("Read the background information")
    DOWNLOAD_ATTACHMENT = "download_attachment", _("Downloaded an attachment")
    VIEW_CONSENTS = "view_consents", _("Read the consents")
    VIEW_RECOMMENDATIONS = "view_recommendations", _("Read the recommendations")
    DOWNLOAD_HANDOVER = "download_handover", _("Downloaded the recommendations as PDF")


class AccessLogEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_log", verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=24, choices=AccessAction.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.case} {self.at:%Y-%m-%d %H:%M}"


class DocumentRequest(models.Model):
    """A request for documents about a case or session, and the answer given."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="document_requests",
                             verbose_name=_("case"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="document_requests", verbose_name=_("session"))
    received_on = models.DateField(_("received"))
    requester = models.CharField(_("requester"), max_length=200)
    request = models.TextField(_("what was requested"))
    answer = models.TextField(_("answer given"), blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(case__isnull=False) | models.Q(session__isnull=False),
                                   name="document_request_about_case_or_session",
                                   violation_error_message=_("A document request concerns a case or a session.")),
        ]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.case or self.session}"
