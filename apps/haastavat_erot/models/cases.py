"""The case skeleton: what the statistics need and what survives destruction.

Everything a family could be identified by lives in `content.py` and is destroyed on schedule;
this module holds numbers, dates, states and categories only.
"""

from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisation import ConsultationGroup, County
from .sessions import Session
from .users import Sector

DRAFT_ABANDONED_AFTER = timedelta(days=30)
RETURNED_ABANDONED_AFTER = timedelta(days=30)
RECOMMENDATIONS_KEPT_AFTER_ACKNOWLEDGEMENT = timedelta(days=7)
RECOMMENDATIONS_KEPT_AT_MOST = timedelta(days=60)


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCHEDULED = "scheduled", _("On the agenda")
    HANDLED = "handled", _("Handled")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned to the worker")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


TRANSITIONS = {
    CaseState.DRAFT: {CaseState.SUBMITTED, CaseState.WITHDRAWN, CaseState.EXPIRED},
    CaseState.SUBMITTED: {CaseState.SCHEDULED, CaseState.RETURNED, CaseState.WITHDRAWN},
    # Back to submitted: taken off the agenda, e.g. to move it to another session.
    CaseState.SCHEDULED: {CaseState.SUBMITTED, CaseState.HANDLED, CaseState.RETURNED, CaseState.WITHDRAWN},
    CaseState.RETURNED: {CaseState.SUBMITTED, CaseState.WITHDRAWN, CaseState.EXPIRED},
    CaseState.HANDLED: {CaseState.CLOSED},
    CaseState.CLOSED: set(),
    CaseState.WITHDRAWN: set(),
    CaseState.EXPIRED: set(),
}
# A case in one of these states holds a slot of its session.
SLOT_HOLDING_STATES = [CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED, CaseState.HANDLED, CaseState.CLOSED]
# The worker may still edit or withdraw a case in these states.
LIVE_STATES = [CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED, CaseState.RETURNED]
# The background information may exist only in these states.
CONTENT_STATES = [CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED, CaseState.RETURNED, CaseState.HANDLED,
                  CaseState.CLOSED]


def _session_error(message, code):
    return ValidationError({"session": ValidationError(message, code=code)})


class CaseNumberSequence(models.Model):
    """The last case number given per county and year, locked while a new number is taken."""

    county = models.ForeignKey(County, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="one_sequence_per_county_year")]

    @classmethod
    def next_number(cls, county, year):
        """Return the next readable case number, e.g. KS-2026-0007. Call inside a transaction."""
        cls.objects.get_or_create(county=county, year=year)
        sequence = cls.objects.select_for_update().get(county=county, year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return f"{county.code}-{year}-{sequence.last_number:04d}"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the cases whose skeleton the user may see (permissions.py decides the content)."""
        from ..permissions import cases_visible_to

        return cases_visible_to(user, self)

    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def content_due(self, as_of):
        return self.filter(content_due_at__lte=as_of)

    def recommendations_due(self, as_of):
        return self.filter(recommendations_due_at__lte=as_of)


class DiscussedBefore(models.TextChoices):
    NO = "no", _("No")
    YES = "yes", _("Yes")
    UNKNOWN = "unknown", _("Not known")


class Case(models.Model):
    """A client situation brought to a group by a worker. Its string is its case number only."""

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    group = models.ForeignKey(ConsultationGroup, on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("group"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="cases", null=True, blank=True,
                                verbose_name=_("session"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("worker"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    worker_unit = models.CharField(_("worker's unit"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.DRAFT)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Named only when every recorded guardian has consented to handling in the group."))
    agenda_position = models.PositiveSmallIntegerField(_("agenda position"), null=True, blank=True)

    # Eligibility questions asked at booking (the instruction's preconditions).
    concern_raised_with_guardians = models.BooleanField(_("concern raised openly with the guardians first"),
                                                        null=True, blank=True)
    basic_services_tried = models.BooleanField(_("basic services tried"), null=True, blank=True)
    discussed_before = models.CharField(_("group has discussed this family before"), max_length=10,
                                        choices=DiscussedBefore.choices, blank=True)

    # Lifecycle timestamps: the skeleton the statistics are made of.
    created_at = models.DateTimeField(_("booked"), default=timezone.now, editable=False)
    last_edited_at = models.DateTimeField(_("last edited"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    # Set when the worker's account was deactivated while the case was live: the group's
    # coordinator holds the case until they reassign it to a colleague (services/accounts.py).
    handed_to_coordinator_at = models.DateTimeField(_("handed to the coordinator"), null=True, blank=True,
                                                    editable=False)

    recommendations_signed_off_at = models.DateTimeField(_("recommendations signed off"), null=True, blank=True)
    recommendations_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("signed off by"))
    recommendations_acknowledged_at = models.DateTimeField(_("recommendations acknowledged"), null=True, blank=True)

    # Destruction bookkeeping. A due time is cleared once its destruction is done, so the
    # periodic job reads only what is due through these indexes.
    content_due_at = models.DateTimeField(_("background information due for destruction"), null=True, blank=True,
                                          db_index=True, editable=False)
    content_destroyed_at = models.DateTimeField(_("background information destroyed"), null=True, blank=True,
                                                editable=False)
    recommendations_due_at = models.DateTimeField(_("recommendations due for destruction"), null=True, blank=True,
                                                  db_index=True, editable=False)
    recommendations_destroyed_at = models.DateTimeField(_("recommendations destroyed"), null=True, blank=True,
                                                        editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=CaseState.values), name="case_state_known",
                                   violation_error_message=_("Unknown case state.")),
            models.CheckConstraint(
                condition=~models.Q(state__in=[CaseState.SCHEDULED, CaseState.HANDLED, CaseState.CLOSED])
                | models.Q(session__isnull=False),
                name="case_on_agenda_has_session",
                violation_error_message=_("A case on the agenda must be booked into a session."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=[CaseState.HANDLED, CaseState.CLOSED]) | models.Q(handled_at__isnull=False),
                name="handled_case_has_handled_at",
                violation_error_message=_("A handled case records when it was handled."),
            ),
        ]
        indexes = [
            models.Index(fields=["group", "state"], name="case_group_state"),
            models.Index(fields=["worker", "state"], name="case_worker_state"),
            # A destruction run finishes an interrupted destruction of identifying details (purge.py).
            models.Index(fields=["consent_withdrawn_at"], name="case_consent_withdrawn"),
        ]
        permissions = [
            ("view_case_content", _("Can read background information and attachments")),
            ("manage_agenda", _("Can schedule, return and order cases")),
            ("record_recommendations", _("Can record recommendations")),
            ("sign_off_recommendations", _("Can sign off recommendations")),
            ("view_statistics", _("Can view statistics")),
        ]

    def __str__(self):
        return self.number or str(_("new case"))

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        instance._loaded_session_id = instance.__dict__.get("session_id")
        return instance

    # --- derived state -------------------------------------------------------------------
    @property
    def is_live(self):
        return self.state in LIVE_STATES

    @property
    def has_content(self):
        return self.content_destroyed_at is None and self.state in CONTENT_STATES

    @property
    def has_recommendations_text(self):
        return self.recommendations_destroyed_at is None

    def compute_content_due_at(self):
        """Return when the background information must be destroyed, or None if not yet known."""
        if self.content_destroyed_at:
            return None
        if self.state in (CaseState.HANDLED, CaseState.CLOSED):
            return self.handled_at + timedelta(hours=self.group.grace_hours)
        if self.state == CaseState.WITHDRAWN:
            return self.withdrawn_at
        if self.state == CaseState.EXPIRED:
            return self.expired_at
        if self.state == CaseState.DRAFT:
            return self.last_edited_at + DRAFT_ABANDONED_AFTER
        if self.state == CaseState.RETURNED:
            return self.returned_at + RETURNED_ABANDONED_AFTER
        return None

    def compute_recommendations_due_at(self):
        """Return when the recommendation texts must be destroyed, or None if not yet known."""
        if self.recommendations_destroyed_at or not self.handled_at:
            return None
        latest = self.handled_at + RECOMMENDATIONS_KEPT_AT_MOST
        if self.recommendations_acknowledged_at:
            return min(latest, self.recommendations_acknowledged_at + RECOMMENDATIONS_KEPT_AFTER_ACKNOWLEDGEMENT)
        return latest

    # --- rules ---------------------------------------------------------------------------
    def clean(self):
        errors = {}
        if self.session_id and self.group_id and self.session.group_id != self.group_id:
            errors["session"] = ValidationError(_("The session belongs to another group."), code="session_other_group")
        loaded = getattr(self, "_loaded_state", None)
        if loaded and self.state != loaded and self.state not in TRANSITIONS[CaseState(loaded)]:
            errors["state"] = self._illegal_transition_error(loaded)
        if errors:
            raise ValidationError(errors)

    def _illegal_transition_error(self, loaded):
        return ValidationError(
            _("A case cannot go from %(from)s to %(to)s."),
            code="illegal_transition",
            params={"from": CaseState(loaded).label, "to": CaseState(self.state).label},
        )

    def _takes_new_slot(self):
        if not self.session_id or self.state not in SLOT_HOLDING_STATES:
            return False
        if self.pk is None or getattr(self, "_loaded_state", None) is None:
            return True
        return self._loaded_session_id != self.session_id or self._loaded_state not in SLOT_HOLDING_STATES

    def _check_slot(self):
        """Lock the session row and refuse a booking into another group's, a cancelled or a full session."""
        session = Session.objects.select_for_update().get(pk=self.session_id)
        if session.group_id != self.group_id:
            raise _session_error(_("The session belongs to another group."), "session_other_group")
        if session.is_cancelled:
            raise _session_error(_("The session has been cancelled."), "session_cancelled")
        taken = session.cases.filter(state__in=SLOT_HOLDING_STATES).exclude(pk=self.pk).count()
        if taken >= session.capacity:
            raise _session_error(_("The session is full: every case slot has been booked."), "session_full")

    def save(self, *args, **kwargs):
        """Save the case, enforcing its lifecycle and the session's capacity whatever the caller."""
        loaded = getattr(self, "_loaded_state", None)
        if loaded and self.state != loaded and self.state not in TRANSITIONS[CaseState(loaded)]:
            raise self._illegal_transition_error(loaded)
        takes_new_slot = self._takes_new_slot()
        # Only locking the session or drawing a number needs a transaction; an UPDATE alone is atomic.
        with transaction.atomic() if takes_new_slot or not self.number else nullcontext():
            if takes_new_slot:
                self._check_slot()
            if not self.number:
                self.number = CaseNumberSequence.next_number(self.group.county, timezone.localdate().year)
            self.content_due_at = self.compute_content_due_at()
            self.recommendations_due_at = self.compute_recommendations_due_at()
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = set(kwargs["update_fields"]) | {"content_due_at", "recommendations_due_at"}
            super().save(*args, **kwargs)
        self._loaded_state = self.state
        self._loaded_session_id = self.session_id
