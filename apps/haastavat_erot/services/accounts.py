"""Worker accounts: self-registration, invitation, password reset, deactivation and the hand-over
of a deactivated worker's live cases to their groups' coordinators.

No user enumeration: the request side of registration, invitation and password reset does the
same work for every address (it checks the domain and enqueues one job); only the job, out of
the request, looks the address up and sends either the link or an "you already have an account"
notice to the address itself. The address waits in a PendingAccountEmail row and the job gets
only the row's id, so that no address is kept in Redis (docs/decisions.md).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..models import LIVE_STATES, AccountEmailKind, Case, ConsultationGroup, County, PendingAccountEmail, User
from ..notifications import notify_after_commit, send_account_email
from ..queue import enqueue_after_commit

log = logging.getLogger(__name__)

REGISTER = "register"
INVITE = "invite"
# kind: (signing salt, setting with the link's lifetime in hours)
LINK_KINDS = {
    REGISTER: ("haastavat_erot.accounts.register", "REGISTRATION_LINK_HOURS"),
    INVITE: ("haastavat_erot.accounts.invite", "INVITATION_LINK_HOURS"),
}


def normalise_address(address):
    return (address or "").strip().lower()


def county_for_address(address):
    """Return the county that allows the address's domain (exact domain, no subdomains), or None."""
    domain = normalise_address(address).rpartition("@")[2]
    if not domain:
        return None
    return County.objects.filter(allowed_domains__domain=domain).order_by("pk").first()


# --- signed one-time links ------------------------------------------------------------------------
def link_hours(kind):
    return getattr(settings, LINK_KINDS[kind][1])


def make_link_token(kind, *, address, county_id, inviter_id=None):
    """Sign (not encrypt) the address and county; the signature carries its own timestamp."""
    payload = {"e": normalise_address(address), "c": county_id}
    if inviter_id:
        payload["i"] = inviter_id
    return signing.dumps(payload, salt=LINK_KINDS[kind][0])


def read_link_token(kind, token):
    """Return {"address", "county_id", "inviter_id"} of a valid, unexpired link that has not been used
    (no account has the address yet); None otherwise, whatever the reason."""
    try:
        payload = signing.loads(token, salt=LINK_KINDS[kind][0], max_age=timedelta(hours=link_hours(kind)))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    address = payload.get("e", "")
    if not address or User.objects.filter(email__iexact=address).exists():
        return None
    return {"address": address, "county_id": payload.get("c"), "inviter_id": payload.get("i")}


def _link_url(kind, token):
    name = "portal:register_complete" if kind == REGISTER else "portal:invitation_accept"
    return settings.SITE_URL + reverse(name, args=[token])


# --- the request side: the same work for every address ------------------------------------------------
def _enqueue(job_name, *args):
    """Run jobs.<job_name>(*args) on the queue once the transaction commits; now if Redis is down."""
    from .. import jobs

    enqueue_after_commit(getattr(jobs, job_name), *args, result_ttl=0, failure_ttl=86400)


def _request_email(kind, address, language, **invitation):
    pending = PendingAccountEmail.objects.create(kind=kind, address=normalise_address(address), language=language,
                                                 **invitation)
    _enqueue("send_pending_account_email", pending.pk)


def registration_request(*, address, language):
    """Send a registration link to an address of an allowed domain (or a notice if it has an account)."""
    if county_for_address(address) is None:
        raise ValidationError(_("Registration is open to the work e-mail domains the county has allowed. Ask the "
                                "group's coordinator for an invitation."), code="domain_not_allowed")
    _request_email(AccountEmailKind.REGISTRATION, address, language)


def invitation_send(*, address, group, by, language):
    """Invite a worker to the group's county by e-mail, whatever their domain."""
    if not by.has_perm("haastavat_erot.invite_worker", group):
        raise PermissionDenied
    _request_email(AccountEmailKind.INVITATION, address, language, group=group, inviter=by)


def password_reset_request(*, address, language):
    _request_email(AccountEmailKind.PASSWORD_RESET, address, language)


# --- the job side: look the address up and send ----------------------------------------------------
def send_pending_account_email(pending_id):
    """Send the e-mail a PendingAccountEmail asks for, then delete the row. A row already gone
    (sent by an earlier run of the job, or pruned) sends nothing."""
    pending = PendingAccountEmail.objects.filter(pk=pending_id).first()
    if pending is None:
        return 0
    if pending.kind == AccountEmailKind.REGISTRATION:
        sent = send_registration_email(pending.address, pending.language)
    elif pending.kind == AccountEmailKind.INVITATION:
        sent = send_invitation_email(pending.address, pending.group_id, pending.inviter_id, pending.language)
    else:
        sent = send_password_reset_email(pending.address, pending.language)
    pending.delete()
    return sent


def prune_pending_emails(now=None):
    """Delete the pending e-mails whose job never ran (Redis lost it, or sending failed)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.PENDING_ACCOUNT_EMAIL_HOURS)
    return PendingAccountEmail.objects.filter(requested_at__lt=cutoff).delete()[0]


def _account_exists(address):
    return User.objects.filter(email__iexact=address).exists()


def send_registration_email(address, language):
    if _account_exists(address):
        link = settings.SITE_URL + reverse("portal:login")
        return send_account_email("registration_account_exists", address, link=link, language=language)
    county = county_for_address(address)
    if county is None:  # the domain was removed since the request
        return 0
    token = make_link_token(REGISTER, address=address, county_id=county.pk)
    return send_account_email("registration_link", address, link=_link_url(REGISTER, token), language=language,
                              params={"hours": link_hours(REGISTER)})


def send_invitation_email(address, group_id, inviter_id, language):
    if _account_exists(address):
        link = settings.SITE_URL + reverse("portal:login")
        return send_account_email("invitation_account_exists", address, link=link, language=language)
    group = ConsultationGroup.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    token = make_link_token(INVITE, address=address, county_id=group.county_id, inviter_id=inviter_id)
    return send_account_email("invitation", address, link=_link_url(INVITE, token), language=language,
                              params={"hours": link_hours(INVITE)})


def send_password_reset_email(address, language):
    """Send a reset link (Django's token: works once, expires) to each active account of the address."""
    sent = 0
    for user in User.objects.filter(email__iexact=address, is_active=True):
        if not user.has_usable_password():
            continue
        path = reverse("portal:password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
        sent += send_account_email("password_reset", user.email, link=settings.SITE_URL + path,
                                   language=user.language or language,
                                   params={"hours": settings.PASSWORD_RESET_TIMEOUT // 3600})
    return sent


# --- creating the account ----------------------------------------------------------------------------
def account_create(*, link, first_name, last_name, title, organisation, sector, password, language):
    """Create the worker's account from a verified link (read_link_token). Raise ValidationError
    with code 'link_used' if the address got an account meanwhile."""
    with transaction.atomic():
        if _account_exists(link["address"]):
            raise ValidationError(_("This link has already been used."), code="link_used")
        return User.objects.create_user(
            link["address"], password, first_name=first_name, last_name=last_name, title=title,
            organisation=organisation, sector=sector, language=language, home_county_id=link["county_id"])


# --- deactivation and hand-over ---------------------------------------------------------------------------
def account_deactivate(*, user, by=None, tell_owner=False):
    """Deactivate the account. Its cases keep their skeletons; each live case is handed to its
    group's coordinator (Case.handed_to_coordinator_at), who is told by e-mail."""
    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False, deactivated_at=now)
        user.is_active, user.deactivated_at = False, now
        cases = Case.objects.select_for_update().filter(worker=user, state__in=LIVE_STATES,
                                                        handed_to_coordinator_at__isnull=True)
        for case in cases:
            case.handed_to_coordinator_at = now
            case.save(update_fields=["handed_to_coordinator_at"])
            notify_after_commit("case_handed_over", case.pk)
        if tell_owner:
            _enqueue("send_account_notice", "account_deactivated_unused", user.pk)
    log.info("account %s deactivated by %s", user.pk, by.pk if by else "schedule")
    return user


def send_account_notice(kind, user_id):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return send_account_email(kind, user.email, link=settings.SITE_URL + reverse("portal:login"),
                              language=user.language)


def unused_accounts(*, as_of=None):
    """Return the active worker accounts not used (logged in, or created) for ACCOUNT_UNUSED_DAYS.
    Group members, county admins and superusers are left to the county admin: deactivating them
    would silently take a role out of a group."""
    cutoff = (as_of or timezone.now()) - timedelta(days=settings.ACCOUNT_UNUSED_DAYS)
    return (User.objects.filter(is_active=True, is_superuser=False)
            .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
            .exclude(memberships__is_active=True).exclude(county_admin_roles__isnull=False).distinct())


def deactivate_unused_accounts(*, as_of=None):
    """Deactivate every unused worker account and tell its owner. Return how many."""
    count = 0
    for user in unused_accounts(as_of=as_of):
        account_deactivate(user=user, tell_owner=True)
        count += 1
    return count


def case_reassign(*, case, to, by):
    """Give a case held by the coordinator after its worker left to a colleague; tell the colleague."""
    if not by.has_perm("haastavat_erot.reassign_case", case):
        raise PermissionDenied
    if not to.is_active:
        raise ValidationError(_("The colleague's account is not active."), code="colleague_inactive")
    with transaction.atomic():
        case.worker = to
        case.handed_to_coordinator_at = None
        case.save(update_fields=["worker", "handed_to_coordinator_at"])
        notify_after_commit("case_reassigned", case.pk)
    return case
