"""Secret, revocable iCalendar feed addresses, one per membership."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Membership


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="calendar_feeds",
                                   verbose_name=_("membership"))
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.membership)
