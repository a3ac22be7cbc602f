"""Sessions (kokous): a group's meeting with a number of case slots."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .organisation import ConsultationGroup


class SessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())

    def with_booked_count(self):
        """Annotate `booked` with the number of cases holding a slot."""
        from .cases import SLOT_HOLDING_STATES

        return self.annotate(
            booked=models.Count("cases", filter=models.Q(cases__state__in=SLOT_HOLDING_STATES), distinct=True)
        )


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(ConsultationGroup, on_delete=models.PROTECT, related_name="sessions",
                              verbose_name=_("group"))
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(30), MaxValueValidator(480)])
    capacity = models.PositiveSmallIntegerField(
        _("case slots"), default=4, validators=[MinValueValidator(1), MaxValueValidator(20)])
    place = models.CharField(_("place or video link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    agenda_published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", verbose_name=_("agenda published by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "starts_at"], name="one_session_per_group_and_time"),
            # The target of the composite foreign key from Case (group, session) in migration 0002.
            models.UniqueConstraint(fields=["id", "group"], name="session_id_group"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity_positive",
                                   violation_error_message=_("A session has at least one case slot.")),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="session_status_start")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.group} {date_format(local, 'SHORT_DATETIME_FORMAT')}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def agenda_is_published(self):
        return self.agenda_published_at is not None

    def booked_count(self):
        from .cases import SLOT_HOLDING_STATES

        return self.cases.filter(state__in=SLOT_HOLDING_STATES).count()
