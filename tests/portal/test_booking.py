"""Booking a slot in the portal, and withdrawing a case: what the worker (and another worker) sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from apps.haastavat_erot.models import Case, CaseState, DestructionReceipt, DiscussedBefore
from apps.haastavat_erot.services import booking
from tests.builders import case_in_state
from tests.factories import GroupFactory, SessionFactory, UserFactory

REASONING = "Huoltajien riita tapaamisista on jatkunut kaksi vuotta, eikä perustason tuki ole auttanut."


def fill_up(session):
    for _ in range(session.capacity - session.booked_count()):
        booking.case_book(worker=UserFactory(), session=session)


def booking_data(session, **overrides):
    data = {"session": session.pk, "concern_raised_with_guardians": "yes", "basic_services_tried": "no",
            "discussed_before": DiscussedBefore.UNKNOWN, "eligibility_reasoning": REASONING}
    data.update(overrides)
    return data


def test_home_offers_booking(client, world):
    client.force_login(world.worker)
    response = client.get(reverse("portal:home"))
    assert reverse("portal:book") in response.content.decode()


def test_chooser_lists_counties_and_only_active_groups(client, world):
    inactive = GroupFactory(county=world.group.county, name="Lakkautettu ryhmä", is_active=False)
    client.force_login(world.worker)
    response = client.get(reverse("portal:book"), {"county": world.group.county.slug})
    assert response.status_code == 200
    assert world.group.county in response.context["counties"]
    assert list(response.context["groups"]) == [world.group]
    assert inactive.name not in response.content.decode()
    assert client.get(reverse("portal:book"), {"group": inactive.pk}).status_code == 404


def test_booking_list_shows_free_slots_and_hides_full_sessions(client, world):
    free, full, partly = world.sessions
    fill_up(full)
    booking.case_book(worker=world.other_worker, session=partly)
    SessionFactory(group=world.group, status="cancelled")
    client.force_login(world.worker)
    response = client.get(reverse("portal:book"), {"group": world.group.pk})
    sessions = response.context["sessions"]
    assert [s.pk for s in sessions] == [free.pk, partly.pk]
    assert [s.free for s in sessions] == [3, 2]
    html = response.content.decode()
    assert f'data-session="{full.pk}"' not in html
    assert reverse("portal:book_case", args=[world.group.pk]) + f"?session={partly.pk}" in html


def test_booking_list_queries_do_not_grow_with_the_sessions(client, world):
    client.force_login(world.worker)
    url = reverse("portal:book") + f"?group={world.group.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    for _ in range(4):
        SessionFactory(group=world.group)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(url)
    assert len(response.context["sessions"]) == 7
    assert len(seven) == len(three)


def test_booking_a_slot_creates_the_case_with_eligibility_answers(client, world):
    session = world.sessions[1]
    client.force_login(world.worker)
    page = client.get(reverse("portal:book_case", args=[world.group.pk]), {"session": session.pk})
    assert page.context["form"]["session"].value() == session.pk
    response = client.post(reverse("portal:book_case", args=[world.group.pk]), booking_data(session))
    case = Case.objects.get(worker=world.worker)
    assert response.status_code == 302 and response.url == reverse("portal:case_detail", args=[case.pk])
    assert case.session == session and case.state == CaseState.DRAFT and case.is_anonymous
    assert case.concern_raised_with_guardians is True and case.basic_services_tried is False
    assert case.discussed_before == DiscussedBefore.UNKNOWN
    assert case.background.eligibility_reasoning == REASONING


def test_full_session_is_refused_with_a_message_and_the_input_kept(client, world):
    session = world.sessions[0]
    client.force_login(world.worker)
    client.get(reverse("portal:book_case", args=[world.group.pk]), {"session": session.pk})
    fill_up(session)  # another worker took the last slot meanwhile
    response = client.post(reverse("portal:book_case", args=[world.group.pk]), booking_data(session))
    assert response.status_code == 200
    assert not Case.objects.filter(worker=world.worker).exists()
    html = response.content.decode()
    full = gettext("The session is full: every case slot has been booked.")
    assert full in response.context["form"].non_field_errors()
    assert REASONING in html
    # The other sessions are offered in the same form, so the worker can pick one and resend.
    offered = [s.pk for s in response.context["form"].fields["session"].queryset]
    assert world.sessions[1].pk in offered and world.sessions[2].pk in offered


def test_reasoning_with_an_identity_code_is_refused(client, world):
    client.force_login(world.worker)
    response = client.post(reverse("portal:book_case", args=[world.group.pk]),
                           booking_data(world.sessions[0], eligibility_reasoning="Lapsen hetu 131052-308T."))
    assert response.status_code == 200
    assert response.context["form"].has_error("eligibility_reasoning", "identity_code_in_text")
    assert not Case.objects.exists()


def test_another_groups_session_cannot_be_booked_through_this_group(client, world):
    client.force_login(world.worker)
    response = client.post(reverse("portal:book_case", args=[world.group.pk]), booking_data(world.other_session))
    assert response.context["form"].has_error("session")
    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["portal:case_detail", "portal:case_withdraw", "portal:consent_add"])
def test_other_worker_gets_404_for_anothers_case_not_allowed(client, world, name):
    case = case_in_state(world, CaseState.DRAFT)
    client.force_login(world.other_worker)
    assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert client.post(reverse(name, args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT and not case.consents.exists()


def test_case_page_shows_the_consents_section_and_next_steps_own(client, world):
    case = case_in_state(world, CaseState.DRAFT)
    client.force_login(world.worker)
    html = client.get(reverse("portal:case_detail", args=[case.pk])).content.decode()
    assert reverse("portal:consent_add", args=[case.pk]) in html
    assert reverse("portal:case_withdraw", args=[case.pk]) in html
    assert str(gettext("Record the consents, fill in the background information and submit the case.")) in html


def test_withdrawing_the_case_asks_for_confirmation_then_destroys_its_content_own(
        client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)
    client.force_login(world.worker)
    confirm = client.get(reverse("portal:case_withdraw", args=[case.pk]))
    assert confirm.status_code == 200
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:case_withdraw", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN and case.content_destroyed_at is not None
    assert not case.consents.exists() and not hasattr(Case.objects.get(pk=case.pk), "background")
    receipt = DestructionReceipt.objects.get(case=case)
    assert receipt.reason == DestructionReceipt.Reason.WITHDRAWN
    # The slot is free again.
    assert case.session.booked_count() == 0


def test_a_handled_case_cannot_be_withdrawn_own(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    client.force_login(world.worker)
    response = client.post(reverse("portal:case_withdraw", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.HANDLED


def test_changing_the_session_of_a_draft_after_its_session_was_cancelled_own(client, world):
    case = case_in_state(world, CaseState.DRAFT)
    old, new = world.sessions[0], world.sessions[2]
    old.status = "cancelled"
    old.save()
    client.force_login(world.worker)
    assert reverse("portal:case_rebook", args=[case.pk]) in client.get(
        reverse("portal:case_detail", args=[case.pk])).content.decode()
    form = client.get(reverse("portal:case_rebook", args=[case.pk])).context["form"]
    assert old.pk not in [s.pk for s in form.fields["session"].queryset]
    response = client.post(reverse("portal:case_rebook", args=[case.pk]), {"session": new.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.session == new and old.booked_count() == 0 and new.booked_count() == 1


def test_changing_to_a_session_that_filled_up_is_refused_with_a_message_own(client, world):
    case = case_in_state(world, CaseState.DRAFT)
    target = world.sessions[1]
    fill_up(target)
    client.force_login(world.worker)
    response = client.post(reverse("portal:case_rebook", args=[case.pk]), {"session": target.pk})
    assert gettext("The session is full: every case slot has been booked.") in response.context[
        "form"].non_field_errors()
    case.refresh_from_db()
    assert case.session == world.sessions[0]


def test_the_session_of_a_submitted_case_cannot_be_changed_by_the_worker_not_allowed(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    client.force_login(world.worker)
    response = client.post(reverse("portal:case_rebook", args=[case.pk]), {"session": world.sessions[2].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.session == world.sessions[0]
    client.force_login(world.other_worker)
    assert client.get(reverse("portal:case_rebook", args=[case.pk])).status_code == 404
