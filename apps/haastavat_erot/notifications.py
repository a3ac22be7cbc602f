"""E-mails to workers and group members. Social welfare data must not travel by unencrypted
e-mail, so a message carries the case number and a link, never case content. Messages are sent
by an RQ job that receives only the event name and an id (jobs.py)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseState, Membership, Role, Session
from .queue import enqueue_after_commit

log = logging.getLogger(__name__)

# event: (subject, what happened). %(number)s is the case number, %(date)s the session date.
MESSAGES = {
    "case_booked": (_("Booking received: %(number)s"),
                    _("Your booking for case %(number)s has been received. Fill in the consent and the background "
                      "information form and submit the case.")),
    "case_submitted": (_("New case submitted: %(number)s"),
                       _("Case %(number)s has been submitted to the group and waits for acceptance.")),
    "case_scheduled": (_("Case on the agenda: %(number)s"),
                       _("Case %(number)s has been accepted onto the agenda of the session on %(date)s.")),
    "case_moved": (_("Case moved: %(number)s"),
                   _("Case %(number)s has been moved to the session on %(date)s.")),
    "case_returned": (_("Case returned: %(number)s"),
                      _("Case %(number)s has been returned to you. Read the reason and resubmit or withdraw it.")),
    "case_handled": (_("Recommendations to sign off: %(number)s"),
                     _("The recommendations for case %(number)s wait for the chair's sign-off.")),
    "recommendations_ready": (_("Recommendations ready: %(number)s"),
                              _("The group's recommendations for case %(number)s are ready for you to read.")),
    "agenda_published": (_("Agenda published: session on %(date)s"),
                         _("The agenda of the session on %(date)s has been published. Declare any conflict of "
                           "interest and read the cases in the desk.")),
    "session_moved": (_("Session moved: %(date)s"),
                      _("A session you have a case in has been moved. It is now on %(date)s.")),
    "case_handed_over": (_("Case handed to you: %(number)s"),
                         _("The account of the worker who brought case %(number)s has been deactivated. The case is "
                           "now held by you as the group's coordinator: reassign it to a colleague the worker names.")),
    "case_reassigned": (_("Case reassigned to you: %(number)s"),
                        _("The group's coordinator has reassigned case %(number)s to you because the worker who "
                          "brought it has left. You are now responsible for it.")),
    "case_unbooked": (_("Session cancelled: %(number)s"),
                      _("The session of case %(number)s has been cancelled and no later session of the group had a "
                        "free slot. Choose another session for the case on its page.")),
    "case_awaiting_session": (_("Session cancelled: %(number)s"),
                              _("The session of case %(number)s has been cancelled and no later session of the group "
                                "had a free slot. The coordinator will place the case in another session.")),
}

# Account e-mails (services/accounts.py): kind: (subject, what to do). %(hours)s is how long the link works.
ACCOUNT_MESSAGES = {
    "registration_link": (_("Confirm your e-mail address"),
                          _("Open the link below to confirm your work e-mail address and create your account. "
                            "The link works once, for %(hours)s hours.")),
    "registration_account_exists": (_("Registration"),
                                    _("Someone tried to register with this address, but it already has an account. "
                                      "Log in, or reset your password if you have forgotten it. If it was not you, "
                                      "you can ignore this message.")),
    "invitation": (_("Invitation to the consultation groups' service"),
                   _("A coordinator of a consultation group has invited you to bring cases to the group. Open the "
                     "link below to create your account and set your password. The link works once, for %(hours)s "
                     "hours.")),
    "invitation_account_exists": (_("Invitation to the consultation groups' service"),
                                  _("A coordinator of a consultation group has invited you. This address already has "
                                    "an account: log in with it, or reset your password if you have forgotten it.")),
    "password_reset": (_("Reset your password"),
                       _("Open the link below to choose a new password. The link works once, for %(hours)s hours. "
                         "If you did not ask for it, you can ignore this message.")),
    "account_deactivated_unused": (_("Your account has been deactivated"),
                                   _("Your account has been deactivated because it has not been used for 12 months. "
                                     "Your live cases have been handed to the coordinators of their groups. To use "
                                     "the service again, ask your county admin to reactivate the account.")),
}


def notify_after_commit(event, object_id):
    """Send the e-mails of `event` through the queue once the current transaction commits."""
    from . import jobs

    enqueue_after_commit(jobs.send_notification, event, object_id)


def _case_link(case, user):
    if case.worker_id == user.pk:
        return settings.SITE_URL + reverse("portal:case_detail", args=[case.pk])
    return settings.SITE_URL + reverse("admin:haastavat_erot_case_change", args=[case.pk])


def _recommendations_link(case, user):
    if case.worker_id == user.pk:
        return settings.SITE_URL + reverse("portal:case_recommendations", args=[case.pk])
    return settings.SITE_URL + reverse("admin:haastavat_erot_case_recommendations", args=[case.pk])


# Events about recommendations link straight to the page where they are read or signed off.
_RECOMMENDATION_LINKS = {"case_handled": _recommendations_link, "recommendations_ready": _recommendations_link}


def _session_date(session):
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT") if session else ""


def recipients(event, object_id):
    """Return [(user, link, params)] for the event; empty if its object no longer exists."""
    if event in ("agenda_published", "session_moved"):
        session = Session.objects.filter(pk=object_id).select_related("group").first()
        if session is None:
            return []
        params = {"date": _session_date(session)}
        if event == "agenda_published":
            members = Membership.objects.active().filter(group=session.group, role__in=[Role.EXPERT, Role.CHAIR])
            link = settings.SITE_URL + reverse("admin:haastavat_erot_case_agendas")
            return [(m.user, link, params) for m in members.select_related("user")]
        cases = session.cases.filter(state__in=[CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED])
        return [(c.worker, _case_link(c, c.worker), {**params, "number": c.number})
                for c in cases.select_related("worker")]
    case = Case.objects.filter(pk=object_id).select_related("worker", "session", "group").first()
    if case is None:
        return []
    params = {"number": case.number, "date": _session_date(case.session)}
    if event in ("case_submitted", "case_handed_over"):
        users = [m.user for m in Membership.objects.active().filter(group=case.group, role=Role.COORDINATOR)
                 .select_related("user")]
    elif event == "case_handled":
        users = [m.user for m in Membership.objects.active().filter(group=case.group, role=Role.CHAIR)
                 .select_related("user")]
    else:
        users = [case.worker]
    link = _RECOMMENDATION_LINKS.get(event, _case_link)
    return [(user, link(case, user), params) for user in users if user.is_active]


def send_notification(event, object_id):
    """Send one e-mail per recipient, in the recipient's language. Return the number sent."""
    subject_text, lead_text = MESSAGES[event]
    sent = 0
    for user, link, params in recipients(event, object_id):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = str(subject_text) % params
            body = render_to_string("haastavat_erot/email/notification.txt",
                                    {"lead": str(lead_text) % params, "link": link, "user": user})
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    log.info("sent %s e-mails for %s %s", sent, event, object_id)
    return sent


def send_account_email(kind, address, *, link, language=None, params=None):
    """Send one account e-mail (ACCOUNT_MESSAGES) to `address`: a link, nothing else. Return 1 if sent."""
    subject_text, lead_text = ACCOUNT_MESSAGES[kind]
    params = params or {}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = str(subject_text) % params
        body = render_to_string("haastavat_erot/email/account.txt", {"lead": str(lead_text) % params, "link": link})
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    log.info("sent account e-mail %s", kind)
    return sent
