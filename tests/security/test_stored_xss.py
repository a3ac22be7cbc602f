"""Stored XSS: a script planted in every free-text field comes back escaped on every portal and
desk page that shows it, and never as markup. One case is signed off (recommendations, feedback,
the members' read view), another waits in the incoming list; the attacker is anyone who can type
into a field (a worker, a coordinator, a member)."""

from datetime import date

from django.urls import reverse

from apps.haastavat_erot.models import (
    BackgroundInformation,
    CaseState,
    Child,
    Consent,
    DocumentRequest,
    Feedback,
    Recommendation,
)
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.conftest import client_for

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
RAW = ("<script>alert(", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert("


def plant(world):
    """Put the payload into every free-text field of two cases, the group and the session."""
    signed_off = case_in_state(world, CaseState.HANDLED)
    agenda.recommendations_sign_off(case=signed_off, by=world.chair)
    incoming = case_in_state(world, CaseState.SUBMITTED, session=world.sessions[1])
    for case in (signed_off, incoming):
        BackgroundInformation.objects.filter(case=case).update(
            **{field: PAYLOAD for field in BackgroundInformation.FREE_TEXT_FIELDS}, return_reason=PAYLOAD)
        Child.objects.filter(background__case=case).update(name=PAYLOAD)
        Consent.objects.filter(case=case).update(guardian_name=PAYLOAD, not_asked_reason=PAYLOAD)
        case.worker_unit = PAYLOAD
        case.save(update_fields=["worker_unit"])
    Recommendation.objects.filter(case=signed_off).update(text=PAYLOAD)
    Feedback.objects.create(case=signed_off, usefulness=4, comment=PAYLOAD)
    DocumentRequest.objects.create(case=signed_off, received_on=date.today(), requester=PAYLOAD, request=PAYLOAD,
                                   answer=PAYLOAD, recorded_by=world.coordinator)
    world.group.public_description = PAYLOAD
    world.group.save()
    for session in world.sessions:
        session.place = PAYLOAD
        session.save(update_fields=["place"])
    world.worker.first_name = world.worker.last_name = world.worker.unit = PAYLOAD
    world.worker.save()
    return signed_off, incoming


def pages(world, signed_off, incoming):
    """(user, url) for every page that shows one of the planted fields."""
    return [
        (world.worker, reverse("portal:home")),
        (world.worker, reverse("portal:case_detail", args=[signed_off.pk])),
        (world.worker, reverse("portal:case_detail", args=[incoming.pk])),
        (world.worker, reverse("portal:case_recommendations", args=[signed_off.pk])),
        (world.worker, reverse("portal:consent_edit", args=[incoming.pk, incoming.consents.first().pk])),
        (world.worker, reverse("portal:consent_scans", args=[incoming.pk, incoming.consents.first().pk])),
        (world.worker, reverse("portal:book_case", args=[world.group.pk])),
        (world.coordinator, reverse("admin:haastavat_erot_case_incoming")),
        (world.coordinator, reverse("admin:haastavat_erot_case_review", args=[incoming.pk])),
        (world.coordinator, reverse("admin:haastavat_erot_case_read", args=[signed_off.pk])),
        (world.coordinator, reverse("admin:haastavat_erot_case_change", args=[signed_off.pk])),
        (world.coordinator, reverse("admin:haastavat_erot_case_changelist")),
        (world.coordinator, reverse("admin:haastavat_erot_case_recommendations", args=[signed_off.pk])),
        (world.coordinator, reverse("admin:haastavat_erot_case_agenda", args=[signed_off.session_id])),
        (world.coordinator, reverse("admin:haastavat_erot_documentrequest_changelist")),
        (world.coordinator, reverse("admin:haastavat_erot_session_changelist")),
        (world.coordinator, reverse("admin:haastavat_erot_consultationgroup_change", args=[world.group.pk])),
        (world.expert, reverse("admin:haastavat_erot_case_read", args=[signed_off.pk])),
        (world.expert, reverse("admin:haastavat_erot_case_agendas")),
        (world.chair, reverse("admin:haastavat_erot_case_recommendations", args=[signed_off.pk])),
        (world.county_admin, reverse("admin:haastavat_erot_user_changelist")),
        (world.coordinator, reverse("admin:haastavat_erot_documentrequest_change",
                                    args=[DocumentRequest.objects.get().pk])),
        (None, reverse("portal:public_group", args=[world.group.county.slug, world.group.slug])),
    ]


def test_planted_scripts_come_back_escaped_everywhere(client, world):
    signed_off, incoming = plant(world)
    escaped_somewhere = 0
    problems = []
    for user, url in pages(world, signed_off, incoming):
        client.logout()
        client_for(client, user)
        response = client.get(url)
        body = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
        problems += [f"{url} renders {raw!r} as markup" for raw in RAW if raw in body]
        escaped_somewhere += ESCAPED in body
    assert problems == []
    assert escaped_somewhere >= 15  # the payload is really shown (escaped), not just absent

