"""Document requests and the access log in the desk: logged by the coordinator of the group,
visible only to the coordinators of that group, pruned after ACCESS_LOG_RETENTION_DAYS."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot import jobs
from apps.haastavat_erot.audit import log_access, prune_access_records
from apps.haastavat_erot.models import AccessAction, AccessLogEntry, CaseState, DocumentRequest, Role
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.desk.case_helpers import desk, url
from tests.factories import MembershipFactory

ADD = reverse("admin:haastavat_erot_documentrequest_add")
LIST = reverse("admin:haastavat_erot_documentrequest_changelist")
LOG = reverse("admin:haastavat_erot_accesslogentry_changelist")


def _request_form(case=None, session=None):
    return {"case": case.pk if case else "", "session": session.pk if session else "",
            "received_on": "2026-11-20", "requester": "Asianosaisen avustaja",
            "request": "Pyydetään asiaa koskevat asiakirjat.", "answer": "Asiakirjoja ei ole hävittämisen jälkeen.",
            "answered_on": "2026-11-25"}


def test_coordinator_logs_a_document_request_and_its_answer(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    desk(client, world.coordinator)
    response = client.post(ADD, _request_form(case=case))
    assert response.status_code == 302, response.content.decode()[:2000]
    request = DocumentRequest.objects.get()
    assert request.case == case and request.recorded_by == world.coordinator
    assert request.answered_on == date(2026, 11, 25)
    assert case.number in client.get(LIST).content.decode()


def test_a_request_about_a_session(client, world):
    desk(client, world.coordinator).post(ADD, _request_form(session=world.sessions[0]))
    assert DocumentRequest.objects.get().session == world.sessions[0]


def test_coordinator_of_another_group_cannot_log_or_see_a_request(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    desk(client, world.other_member)
    client.post(ADD, _request_form(case=case))
    client.post(ADD, _request_form(session=world.sessions[0]))
    assert not DocumentRequest.objects.exists()
    request = DocumentRequest.objects.create(case=case, received_on=date(2026, 11, 20), requester="X",
                                             request="Y", recorded_by=world.coordinator)
    assert case.number not in client.get(LIST).content.decode()
    change = client.get(reverse("admin:haastavat_erot_documentrequest_change", args=[request.pk]))
    assert change.status_code in (302, 403, 404)
    assert case.number not in change.content.decode()


@pytest.mark.parametrize("role", ["expert", "chair", "county_admin"])
def test_document_requests_not_allowed_for_other_roles(client, world, role):
    case = case_in_state(world, CaseState.HANDLED)
    DocumentRequest.objects.create(case=case, received_on=date(2026, 11, 20), requester="X", request="Y",
                                   recorded_by=world.coordinator)
    desk(client, getattr(world, role))
    response = client.get(LIST)
    assert response.status_code == 403 or case.number not in response.content.decode()
    client.post(ADD, _request_form(case=case))
    assert DocumentRequest.objects.count() == 1


def test_access_log_shows_who_opened_which_case_to_the_coordinator(client, world):
    case = case_in_state(world, CaseState.SCHEDULED)
    desk(client, world.expert).get(url("read", case.pk))
    client.logout()
    content = desk(client, world.coordinator).get(LOG).content.decode()
    assert case.number in content and str(world.expert) in content


@pytest.mark.parametrize("role", ["other_member", "expert", "chair", "county_admin"])
def test_access_log_not_allowed_for_others(client, world, role):
    case = case_in_state(world, CaseState.SCHEDULED)
    log_access(user=world.expert, case=case, action=AccessAction.VIEW_BACKGROUND)
    entry = AccessLogEntry.objects.get()
    desk(client, getattr(world, role))
    response = client.get(LOG)
    assert response.status_code == 403 or case.number not in response.content.decode()
    change = client.get(reverse("admin:haastavat_erot_accesslogentry_change", args=[entry.pk]))
    assert change.status_code in (302, 403, 404)


def test_access_log_and_document_requests_are_pruned_after_the_retention(world, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    case = case_in_state(world, CaseState.HANDLED)
    old = log_access(user=world.coordinator, case=case, action=AccessAction.VIEW_BACKGROUND)
    new = log_access(user=world.coordinator, case=case, action=AccessAction.VIEW_BACKGROUND)
    AccessLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    old_request = DocumentRequest.objects.create(case=case, received_on=date(2026, 1, 1), requester="X",
                                                 request="Y", recorded_by=world.coordinator)
    new_request = DocumentRequest.objects.create(case=case, received_on=date(2026, 11, 1), requester="X",
                                                 request="Y", recorded_by=world.coordinator)
    DocumentRequest.objects.filter(pk=old_request.pk).update(recorded_at=timezone.now() - timedelta(days=31))
    jobs.run_scheduled_destruction()
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(DocumentRequest.objects.values_list("pk", flat=True)) == [new_request.pk]
    assert prune_access_records() == (0, 0)


def test_declarations_are_seen_by_the_coordinator_on_the_case(client, world):
    case = case_in_state(world, CaseState.SCHEDULED, declare=False)
    agenda.case_declare(case=case, by=world.expert, decision="disqualified")
    content = desk(client, world.coordinator).get(
        reverse("admin:haastavat_erot_case_change", args=[case.pk])).content.decode()
    assert 'name="declarations-TOTAL_FORMS" value="1"' in content and str(world.expert) in content


def test_a_request_needs_a_case_or_session_of_one_group(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    # The coordinator also coordinates the other group, so its session is a valid choice in itself.
    MembershipFactory(group=world.other_group, user=world.coordinator, role=Role.COORDINATOR)
    desk(client, world.coordinator)
    client.post(ADD, _request_form())
    response = client.post(ADD, _request_form(case=case, session=world.other_session))
    assert response.status_code == 200  # the form again, with the error
    assert not DocumentRequest.objects.exists()
    client.post(ADD, _request_form(session=world.other_session))
    assert DocumentRequest.objects.get().session == world.other_session


def test_case_page_links_the_coordinator_to_its_access_log(client, world):
    case = case_in_state(world, CaseState.SCHEDULED)
    content = desk(client, world.coordinator).get(
        reverse("admin:haastavat_erot_case_change", args=[case.pk])).content.decode()
    assert f"{LOG}?q={case.number}" in content
    content = desk(client, world.chair).get(
        reverse("admin:haastavat_erot_case_change", args=[case.pk])).content.decode()
    assert LOG not in content
