"""The guardians' consents and the case's anonymity, which follows from them (decisions.md #4, #5).

A case is named only while every recorded guardian has consented to handling in the group (and
none has withdrawn). When a named case turns anonymous, because a guardian refuses, could not be
asked or withdraws, its identifying details are destroyed at once (purge.destroy_identifying).
In an anonymous case no guardian name is stored.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Case, Consent, ConsentAnswer, ConsentOrganisation, RecordsScope

CONSENT_FIELDS = ("guardian_name", "handling", "records", "records_scope", "not_asked_reason", "given_on", "method")


def case_is_named(consents):
    """Return True if `consents` (all of a case's rows) make a named consultation possible."""
    consents = list(consents)
    return bool(consents) and all(consent.allows_handling for consent in consents)


def records_allowed(case, organisation):
    """Return True if experts of `organisation` may study their own organisation's records of the
    family: only when every recorded guardian's consent covers it (never suggest more than was
    consented). Uses `case.consents` as prefetched (with `organisations`) when it is."""
    consents = list(case.consents.all())
    return bool(consents) and all(consent.allows_records_of(organisation) for consent in consents)


def would_turn_anonymous(*, case, consent=None, handling):
    """Return True if recording `handling` (for `consent`, or a new guardian) turns a named case anonymous."""
    if case.is_anonymous:
        return False
    others = [c for c in case.consents.all() if consent is None or c.pk != consent.pk]
    return not (handling == ConsentAnswer.GIVEN and all(c.allows_handling for c in others))


def _check(case, by):
    if not by.has_perm("haastavat_erot.manage_consents", case):
        raise PermissionDenied


def _destroy_identifying_after_commit(case_id):
    from .. import purge

    transaction.on_commit(lambda: purge.withdraw_identifying_now(case_id))


def _sync_anonymity(case, *, now):
    """Make `case.is_anonymous` follow the consents; a named case turning anonymous loses its
    identifying details once this transaction commits (names are still needed to redact the texts)."""
    consents = list(Consent.objects.filter(case=case).prefetch_related("organisations"))
    named = case_is_named(consents)
    if case.is_anonymous and named:
        case.is_anonymous = False
    elif not case.is_anonymous and not named:
        case.is_anonymous = True
        case.consent_withdrawn_at = case.consent_withdrawn_at or now
        _destroy_identifying_after_commit(case.pk)
    elif case.is_anonymous:
        # Anonymous before and after: no guardian name may be kept.
        Consent.objects.filter(case=case).exclude(guardian_name="").update(guardian_name="")
    case.last_edited_at = now
    case.save(update_fields=["is_anonymous", "consent_withdrawn_at", "last_edited_at"])


def consent_record(*, case, by, consent=None, organisations=(), **fields):
    """Record a guardian's consent (a new one, or change `consent`) and keep the case's anonymity
    in step. `fields` are Consent fields (CONSENT_FIELDS); `organisations` the ExpertOrganisation
    values a records consent of scope 'some' covers. Return the consent."""
    _check(case, by)
    unknown = set(fields) - set(CONSENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown consent fields: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if consent is None:
            consent = Consent(case=case)
        elif consent.case_id != case.pk or consent.withdrawn_at:
            raise PermissionDenied
        previous_name = consent.guardian_name
        for name, value in fields.items():
            setattr(consent, name, value)
        if consent.handling != ConsentAnswer.GIVEN:
            # Only a consenting guardian's name may be recorded. A named case turning anonymous
            # keeps it until purge.destroy_identifying has redacted it from the texts and cleared it.
            consent.guardian_name = "" if case.is_anonymous else (consent.guardian_name or previous_name)
        if consent.handling != ConsentAnswer.NOT_ASKED and consent.records != ConsentAnswer.NOT_ASKED:
            consent.not_asked_reason = ""
        consent.full_clean(exclude=["case"])
        consent.save()
        ConsentOrganisation.objects.filter(consent=consent).delete()
        if consent.records == ConsentAnswer.GIVEN and consent.records_scope == RecordsScope.SOME:
            ConsentOrganisation.objects.bulk_create(
                ConsentOrganisation(consent=consent, organisation=organisation) for organisation in set(organisations))
        _sync_anonymity(case, now=now)
    return consent


def consent_withdraw(*, consent, by):
    """The guardian takes back their consent: the case turns anonymous and its identifying data is
    destroyed at once (after the withdrawal commits, with a destruction receipt)."""
    case = consent.case
    _check(case, by)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        consent = Consent.objects.select_for_update().get(pk=consent.pk, case=case)
        if consent.withdrawn_at:
            return consent
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        case.is_anonymous = True
        case.consent_withdrawn_at = now
        case.last_edited_at = now
        case.save(update_fields=["is_anonymous", "consent_withdrawn_at", "last_edited_at"])
        _destroy_identifying_after_commit(case.pk)
    return consent
