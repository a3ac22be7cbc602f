"""The coordinator's incoming cases and agendas: accept, move, return, order, publish; and the
coordinator of another group refused on every action and URL."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot import purge
from apps.haastavat_erot.models import AccessAction, AccessLogEntry, Case, CaseDeclaration, CaseState, Session
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs
from tests.desk.case_helpers import assert_no_family_data, desk, scheduled_unpublished, url


def test_incoming_lists_submitted_cases_with_eligibility_and_logs_the_reading(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    draft = case_in_state(world, CaseState.DRAFT)
    response = desk(client, world.coordinator).get(url("incoming"))
    content = response.content.decode()
    assert response.status_code == 200
    assert case.number in content and draft.number not in content
    assert "Perustelu." in content  # the worker's reasoning
    assert AccessLogEntry.objects.filter(case=case, user=world.coordinator,
                                         action=AccessAction.VIEW_BACKGROUND).exists()


def test_review_page_offers_accept_move_and_return(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    content = desk(client, world.coordinator).get(url("review", case.pk)).content.decode()
    for form_id in ("accept-form", "move-form", "return-form"):
        assert f'id="{form_id}"' in content


def test_accept_puts_the_case_on_the_agenda_and_mails_the_worker_a_link(
        client, world, mailbox, queue, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("accept", case.pk), {"accept-session": case.session_id})
    assert response.status_code == 302
    assert response["Location"] == url("agenda", case.session_id)
    case.refresh_from_db()
    assert case.state == CaseState.SCHEDULED and case.agenda_position == 1
    run_jobs()
    sent = mailbox.to(world.worker.email)
    assert len(sent) == 1 and len(mailbox) == 1
    assert case.number in sent[0]["Subject"]
    assert settings.SITE_URL + reverse("portal:case_detail", args=[case.pk]) in message_text(sent[0])
    assert_no_family_data(mailbox)


def test_accept_into_another_session_of_the_group(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator).post(url("accept", case.pk), {"accept-session": world.sessions[1].pk})
    case.refresh_from_db()
    assert case.state == CaseState.SCHEDULED and case.session == world.sessions[1]


def test_move_to_another_session_mails_the_worker(client, world, mailbox, queue, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("move", case.pk), {"move-session": world.sessions[2].pk})
    case.refresh_from_db()
    assert case.session == world.sessions[2] and case.state == CaseState.SUBMITTED
    run_jobs()
    assert [m["To"] for m in mailbox] == [world.worker.email]
    assert_no_family_data(mailbox)


def test_a_scheduled_case_moves_to_the_end_of_the_new_agenda(client, world):
    waiting = scheduled_unpublished(world, session=world.sessions[1])
    case = scheduled_unpublished(world)
    desk(client, world.coordinator).post(url("move", case.pk), {"move-session": world.sessions[1].pk})
    case.refresh_from_db()
    assert case.session == world.sessions[1] and case.state == CaseState.SCHEDULED
    assert case.agenda_position == waiting.agenda_position + 1


@pytest.mark.parametrize("target", ["other_group", "cancelled", "past", "full"])
def test_move_refused_to_a_session_that_cannot_take_the_case(client, world, target):
    case = case_in_state(world, CaseState.SUBMITTED)
    if target == "other_group":
        session = world.other_session
    elif target == "cancelled":
        session = world.sessions[1]
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    elif target == "past":
        session = world.sessions[1]
        Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))
    else:
        session = world.sessions[1]
        for _ in range(session.capacity):
            case_in_state(world, CaseState.DRAFT, session=session, worker=world.other_worker)
    desk(client, world.coordinator).post(url("move", case.pk), {"move-session": session.pk})
    case.refresh_from_db()
    assert case.session == world.sessions[0]


def test_return_with_a_reason_mails_the_worker_a_link_only(
        client, world, mailbox, queue, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("return", case.pk), {"return-reason": "Tarkenna kysymystä, kiitos."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED
    assert case.background.return_reason == "Tarkenna kysymystä, kiitos."
    assert case.session.booked_count() == 0  # the slot is free again
    run_jobs()
    sent = mailbox.to(world.worker.email)
    assert len(sent) == 1
    assert settings.SITE_URL + reverse("portal:case_detail", args=[case.pk]) in message_text(sent[0])
    assert_no_family_data(mailbox)


def test_return_needs_a_reason(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator).post(url("return", case.pk), {"return-reason": "   "})
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_agenda_is_reordered_up_and_down(client, world):
    first, second, third = (scheduled_unpublished(world) for _ in range(3))
    desk(client, world.coordinator)
    client.post(url("agenda_move", first.session_id), {"case": third.pk, "direction": "up"})
    order = list(Case.objects.filter(session=first.session).order_by("agenda_position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    client.post(url("agenda_move", first.session_id), {"case": first.pk, "direction": "down"})
    order = list(Case.objects.filter(session=first.session).order_by("agenda_position").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]
    content = client.get(url("agenda", first.session_id)).content.decode()
    assert content.index(third.number) < content.index(first.number) < content.index(second.number)


def test_agenda_shows_the_declarations_per_case(client, world):
    case = case_in_state(world, CaseState.SCHEDULED)  # the builder declares no conflict for every member
    agenda.case_declare(case=case, by=world.expert2, decision="disqualified")
    content = desk(client, world.coordinator).get(url("agenda", case.session_id)).content.decode()
    for member in (world.chair, world.expert, world.expert2):
        assert f'data-member="{member.email}"' in content
    assert str(CaseDeclaration.Decision.DISQUALIFIED.label) in content


def test_publish_mails_the_experts_a_link_without_case_data(
        client, world, mailbox, queue, django_capture_on_commit_callbacks):
    case = scheduled_unpublished(world)
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("agenda_publish", case.session_id))
    case.session.refresh_from_db()
    assert case.session.agenda_published_at is not None
    assert case.session.agenda_published_by == world.coordinator
    run_jobs()
    assert sorted(m["To"] for m in mailbox) == sorted([world.chair.email, world.expert.email, world.expert2.email])
    for message in mailbox:
        assert settings.SITE_URL + url("agendas") in message_text(message)
        assert case.number not in message_text(message)
    assert_no_family_data(mailbox)


def test_an_empty_agenda_is_not_published(client, world):
    desk(client, world.coordinator).post(url("agenda_publish", world.sessions[0].pk))
    world.sessions[0].refresh_from_db()
    assert world.sessions[0].agenda_published_at is None


# --- another group's coordinator, and the group's other roles -----------------------------------------
def _actions(case):
    return [
        ("get", url("review", case.pk), {}),
        ("get", url("agenda", case.session_id), {}),
        ("post", url("accept", case.pk), {"accept-session": case.session_id}),
        ("post", url("move", case.pk), {"move-session": case.session_id}),
        ("post", url("return", case.pk), {"return-reason": "Ei."}),
        ("post", url("agenda_move", case.session_id), {"case": case.pk, "direction": "up"}),
        ("post", url("agenda_publish", case.session_id), {}),
    ]


@pytest.mark.parametrize("role", ["other_member", "chair", "expert", "county_admin", "superuser"])
def test_coordinator_actions_not_allowed_for_others(client, world, role):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, getattr(world, role))
    for method, address, data in _actions(case):
        response = getattr(client, method)(address, data)
        assert response.status_code in (403, 404), (address, response.status_code)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.session.agenda_published_at is None
    assert not AccessLogEntry.objects.filter(case=case).exists()


def test_incoming_of_another_group_shows_nothing_of_this_group(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    response = desk(client, world.other_member).get(url("incoming"))
    assert response.status_code == 200
    assert case.number not in response.content.decode()


@pytest.mark.parametrize("role", ["expert", "county_admin", "superuser"])
def test_incoming_not_allowed_without_a_coordinator_role(client, world, role):
    case_in_state(world, CaseState.SUBMITTED)
    assert desk(client, getattr(world, role)).get(url("incoming")).status_code == 403


def test_case_change_form_no_longer_edits_the_session_directly(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    desk(client, world.coordinator)
    client.post(reverse("admin:haastavat_erot_case_change", args=[case.pk]),
                {"session": world.sessions[1].pk, "agenda_position": 5})
    case.refresh_from_db()
    assert case.session == world.sessions[0]


# --- destruction on the desk --------------------------------------------------------------------
def test_case_page_shows_the_destruction_receipt(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timezone.timedelta(minutes=1))
    purge.run_destruction(sweep=False)
    content = desk(client, world.coordinator).get(
        reverse("admin:haastavat_erot_case_change", args=[case.pk])).content.decode()
    assert 'name="destruction_receipts-TOTAL_FORMS" value="1"' in content


def test_overdue_destruction_warning_appears_on_the_desk(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    desk(client, world.coordinator)
    assert 'id="destruction-overdue"' not in client.get(reverse("admin:index")).content.decode()
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timezone.timedelta(days=1))
    content = client.get(reverse("admin:index")).content.decode()
    assert 'id="destruction-overdue"' in content


def test_agenda_reorder_refuses_an_order_that_is_not_exactly_the_agenda(world):
    first, second = scheduled_unpublished(world), scheduled_unpublished(world)
    other = case_in_state(world, CaseState.SUBMITTED, session=world.sessions[1])
    for ids in ([first.pk], [first.pk, first.pk], [first.pk, second.pk, other.pk]):
        with pytest.raises(ValidationError):
            agenda.agenda_reorder(session=first.session, case_ids=ids, by=world.coordinator)
    agenda.agenda_reorder(session=first.session, case_ids=[second.pk, first.pk], by=world.coordinator)
    assert [c.pk for c in agenda.agenda_order(first.session)] == [second.pk, first.pk]


def test_accepting_two_cases_gives_them_distinct_places(world):
    cases = [case_in_state(world, CaseState.SUBMITTED) for _ in range(2)]
    for case in cases:
        agenda.case_schedule(case=case, by=world.coordinator)
    assert sorted(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("agenda_position", flat=True)) \
        == [1, 2]
