"""Recommendations on the desk: who records them, who signs them off, what the worker is told.

Recorded by the case's coordinator or chair, marked handled, signed off by the chair only; then
the worker gets an e-mail with a link and no family data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from apps.haastavat_erot.models import CaseState, Recommendation, RecommendationCategory
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs
from tests.recommendation_builders import SECOND_TEXT, handled_case
from tests.conftest import verified_client

NOT_RECORDING = ["expert", "expert2", "other_member", "county_admin", "superuser", "worker", "other_worker"]


def desk_url(case):
    return reverse("admin:haastavat_erot_case_recommendations", args=[case.pk])


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_record_recommendations_allowed(client, world, role):
    case = case_in_state(world, CaseState.SCHEDULED)
    user = getattr(world, role)
    verified_client(client, user)
    assert client.get(desk_url(case)).status_code == 200
    response = client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.POLICE_REPORT,
                                            "text": "Tee rikosilmoitus poliisille."})
    assert response.status_code == 302
    recommendation = case.recommendations.get()
    assert (recommendation.category, recommendation.text, recommendation.recorded_by) == (
        RecommendationCategory.POLICE_REPORT, "Tee rikosilmoitus poliisille.", user)


@pytest.mark.parametrize("role", NOT_RECORDING)
def test_record_recommendations_not_allowed(world, role):
    case = case_in_state(world, CaseState.SCHEDULED)
    with pytest.raises(PermissionDenied):
        agenda.recommendation_record(case=case, by=getattr(world, role), category=RecommendationCategory.OTHER,
                                     text="Ei saa tallentua.")
    assert not case.recommendations.exists()


@pytest.mark.parametrize("role", ["expert", "other_member", "county_admin", "superuser"])
def test_record_recommendations_not_allowed_on_the_desk(client, world, role):
    case = case_in_state(world, CaseState.SCHEDULED)
    verified_client(client, getattr(world, role))
    response = client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.OTHER,
                                            "text": "Ei saa tallentua."})
    assert response.status_code in (403, 404)
    assert not case.recommendations.exists()


def test_expert_reads_recommendations_on_the_desk_without_a_form(client, world):
    case = handled_case(world)
    verified_client(client, world.expert)
    response = client.get(desk_url(case))
    assert response.status_code == 200
    assert SECOND_TEXT in response.content.decode()
    assert response.context["form"] is None and not response.context["can_sign_off"]


@pytest.mark.parametrize("role", ["other_member", "county_admin", "superuser"])
def test_desk_recommendations_page_not_allowed(client, world, role):
    case = handled_case(world)
    verified_client(client, getattr(world, role))
    response = client.get(desk_url(case))
    assert response.status_code == 404
    assert SECOND_TEXT not in response.content.decode()


def test_recording_needs_text_and_an_anonymous_case_refuses_identity_codes(world):
    case = case_in_state(world, CaseState.SCHEDULED, named=False)
    with pytest.raises(ValidationError) as empty:
        agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.OTHER,
                                     text="  ")
    assert empty.value.error_dict["text"][0].code == "text_required"
    with pytest.raises(ValidationError) as identifying:
        agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.OTHER,
                                     text="Lapsi 131052-308T tarvitsee arvion.")
    assert identifying.value.error_dict["text"][0].code == "identity_code_in_text"
    assert not case.recommendations.exists()


def test_desk_form_shows_the_error_and_keeps_the_text(client, world):
    case = case_in_state(world, CaseState.SCHEDULED, named=False)
    verified_client(client, world.coordinator)
    response = client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.OTHER,
                                            "text": "Soita numeroon 040 1234567."})
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert "Soita numeroon 040 1234567." in response.content.decode()


def test_mark_handled_needs_a_recommendation_and_remove_keeps_one(client, world):
    case = case_in_state(world, CaseState.SCHEDULED)
    with pytest.raises(ValidationError) as error:
        agenda.case_mark_handled(case=case, by=world.coordinator)
    assert error.value.code == "no_recommendations"
    verified_client(client, world.coordinator)
    client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.ASSESSMENT, "text": "Yksi."})
    client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.OTHER, "text": "Kaksi."})
    first, second = case.recommendations.all()
    client.post(desk_url(case), {"action": "remove", "recommendation": second.pk})
    assert list(case.recommendations.values_list("text", flat=True)) == ["Yksi."]
    assert client.post(desk_url(case), {"action": "handled"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.HANDLED and case.handled_at is not None
    client.post(desk_url(case), {"action": "remove", "recommendation": first.pk})
    assert case.recommendations.count() == 1  # a handled case keeps at least one


@pytest.mark.parametrize("role", ["coordinator", "expert", "other_member", "worker"])
def test_sign_off_not_allowed(world, role):
    case = handled_case(world)
    with pytest.raises(PermissionDenied):
        agenda.recommendations_sign_off(case=case, by=getattr(world, role))
    case.refresh_from_db()
    assert case.recommendations_signed_off_at is None


def test_sign_off_allowed_for_the_chair_on_the_desk_and_closes_recording(client, world):
    case = handled_case(world)
    verified_client(client, world.coordinator)
    assert not client.get(desk_url(case)).context["can_sign_off"]
    client.logout()
    verified_client(client, world.chair)
    assert client.get(desk_url(case)).context["can_sign_off"]
    assert client.post(desk_url(case), {"action": "sign_off"}).status_code == 302
    case.refresh_from_db()
    assert case.recommendations_signed_off_at is not None and case.recommendations_signed_off_by == world.chair
    with pytest.raises(PermissionDenied):
        agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.OTHER,
                                     text="Liian myöhään.")
    assert client.get(desk_url(case)).context["form"] is None


def test_sign_off_before_handled_is_refused(world):
    case = case_in_state(world, CaseState.SCHEDULED)
    agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.OTHER, text="X.")
    with pytest.raises(ValidationError) as error:
        agenda.recommendations_sign_off(case=case, by=world.chair)
    assert error.value.code == "not_handled"


def test_worker_sees_nothing_before_sign_off(world):
    case = handled_case(world)
    assert not world.worker.has_perm("haastavat_erot.view_recommendations", case)
    assert not world.worker.has_perm("haastavat_erot.acknowledge_recommendations", case)
    agenda.recommendations_sign_off(case=case, by=world.chair)
    assert world.worker.has_perm("haastavat_erot.view_recommendations", case)
    assert not world.other_worker.has_perm("haastavat_erot.view_recommendations", case)


def test_sign_off_emails_the_worker_a_link_and_no_family_data(client, world, mailbox, queue,
                                                             django_capture_on_commit_callbacks):
    case = handled_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.recommendations_sign_off(case=case, by=world.chair)
    run_jobs()
    messages = mailbox.to(world.worker.email)
    assert len(messages) == 1
    text = message_text(messages[0])
    assert case.number in text
    assert reverse("portal:case_recommendations", args=[case.pk]) in text
    background = case.background
    for secret in ("Maija", "Matti", "Meikäläinen", "Aino", background.question, background.family_situation,
                   SECOND_TEXT, "Lapsen tilanteen arvio"):
        assert secret not in text
    assert [m["To"] for m in mailbox] == [world.worker.email]


def test_marking_handled_tells_the_chair_with_a_desk_link(world, mailbox, queue, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SCHEDULED)
    agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.OTHER, text="X.")
    with django_capture_on_commit_callbacks(execute=True):
        agenda.case_mark_handled(case=case, by=world.coordinator)
    run_jobs()
    (message,) = mailbox.to(world.chair.email)
    assert desk_url(case) in message_text(message)


@pytest.mark.parametrize("role", ["coordinator", "chair", "expert"])
def test_case_change_page_shows_the_recommendations_and_links_to_their_page(client, world, role):
    case = handled_case(world)
    verified_client(client, getattr(world, role))
    response = client.get(reverse("admin:haastavat_erot_case_change", args=[case.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert desk_url(case) in content
    assert gettext("Open the recommendations") in content
    assert SECOND_TEXT in content


def test_case_change_page_hides_the_recommendations_from_a_disqualified_expert(client, world):
    from apps.haastavat_erot.models import CaseDeclaration

    case = handled_case(world)
    CaseDeclaration.objects.filter(case=case, user=world.expert).update(decision=CaseDeclaration.Decision.DISQUALIFIED)
    verified_client(client, world.expert)
    response = client.get(reverse("admin:haastavat_erot_case_change", args=[case.pk]))
    assert response.status_code == 200
    assert SECOND_TEXT not in response.content.decode()
    assert Recommendation.objects.filter(case=case).count() == 2


def test_disqualified_expert_does_not_read_the_recommendations(client, world):
    from apps.haastavat_erot.models import CaseDeclaration

    case = handled_case(world)
    CaseDeclaration.objects.filter(case=case, user=world.expert).update(decision=CaseDeclaration.Decision.DISQUALIFIED)
    assert not world.expert.has_perm("haastavat_erot.view_recommendations", case)
    verified_client(client, world.expert)
    response = client.get(desk_url(case))
    assert response.status_code == 404 and SECOND_TEXT not in response.content.decode()


def test_desk_form_requires_a_category(client, world):
    case = case_in_state(world, CaseState.SCHEDULED)
    verified_client(client, world.coordinator)
    response = client.post(desk_url(case), {"action": "add", "category": "", "text": "Arvio."})
    assert response.status_code == 400 and response.context["form"].errors["category"]
    assert not case.recommendations.exists()


def test_desk_page_after_destruction_shows_the_receipt_and_no_text(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from apps.haastavat_erot.purge import run_destruction

    case = handled_case(world)
    agenda.recommendations_sign_off(case=case, by=world.chair)
    agenda.recommendations_acknowledge(case=case, by=world.worker)
    run_destruction(as_of=timezone.now() + timedelta(days=8), sweep=False)
    verified_client(client, world.coordinator)
    response = client.get(desk_url(case))
    content = response.content.decode()
    assert response.status_code == 200 and "recommendations-destroyed" in content
    assert SECOND_TEXT not in content and "Lapsen tilanteen arvio" not in content
    assert client.post(desk_url(case), {"action": "add", "category": RecommendationCategory.OTHER,
                                        "text": "Uusi."}).status_code == 403


def test_removing_another_cases_recommendation_is_refused(client, world):
    case = handled_case(world)
    other = case_in_state(world, CaseState.SCHEDULED, session=world.sessions[1])
    verified_client(client, world.coordinator)
    target = case.recommendations.first()
    assert client.post(desk_url(other), {"action": "remove", "recommendation": target.pk}).status_code == 404
    assert client.post(desk_url(other), {"action": "remove", "recommendation": "x"}).status_code == 404
    assert client.post(desk_url(other), {"action": "unknown"}).status_code == 403
    assert case.recommendations.count() == 2
