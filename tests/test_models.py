"""Model rules: case numbers, structural constraints and the lifecycle, refused by the model
layer or the database whichever interface tries."""

import re

import pytest
from django.utils.translation import gettext
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.haastavat_erot.models import Case, CaseState, Child, Membership, Recommendation, Role
from apps.haastavat_erot.services import agenda, booking
from tests.builders import case_in_state
from tests.factories import ChildFactory, GroupFactory, RecommendationFactory, SessionFactory


def test_case_numbers_are_readable_and_sequential_per_county_and_year(world):
    first = booking.case_book(worker=world.worker, session=world.sessions[0])
    second = booking.case_book(worker=world.worker, session=world.sessions[0])
    year = timezone.localdate().year
    assert re.fullmatch(rf"KS-{year}-\d{{4}}", first.number)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1
    other = booking.case_book(worker=world.worker, session=world.other_session)
    assert other.number == f"PS-{year}-0001"
    assert str(first) == first.number


def test_booking_into_another_groups_session_is_refused_by_the_model(world):
    case = Case(group=world.group, session=world.other_session, worker=world.worker, sector="social")
    with pytest.raises(ValidationError) as error:
        case.full_clean(exclude=["number"])
    assert "session" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        case.save()
    assert error.value.error_dict["session"][0].message == gettext("The session belongs to another group.")


def test_booking_into_another_groups_session_is_refused_by_the_database(world):
    case = booking.case_book(worker=world.worker, session=world.sessions[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(session=world.other_session)


def test_full_session_refuses_another_booking(world):
    session = world.sessions[0]
    for _ in range(session.capacity):
        booking.case_book(worker=world.worker, session=session)
    with pytest.raises(ValidationError) as error:
        booking.case_book(worker=world.other_worker, session=session)
    assert error.value.error_dict["session"][0].code == "session_full"
    assert "täynnä" in error.value.messages[0] or "full" in error.value.messages[0]
    assert session.cases.count() == session.capacity


def test_withdrawn_and_returned_cases_free_their_slot(world):
    session = world.sessions[0]
    cases = [case_in_state(world, CaseState.SUBMITTED, session=session) for _ in range(session.capacity)]
    agenda.case_return(case=cases[0], by=world.coordinator, reason="Tarkenna.")
    booking.case_book(worker=world.other_worker, session=session)
    assert session.booked_count() == session.capacity


def test_cancelled_session_cannot_be_booked(world):
    session = world.sessions[1]
    session.status = session.Status.CANCELLED
    session.save()
    with pytest.raises(ValidationError, match="(peruttu|cancelled)"):
        booking.case_book(worker=world.worker, session=session)


@pytest.mark.parametrize("start, target", [
    (CaseState.DRAFT, CaseState.HANDLED),
    (CaseState.DRAFT, CaseState.SCHEDULED),
    (CaseState.SUBMITTED, CaseState.CLOSED),
    (CaseState.HANDLED, CaseState.DRAFT),
    (CaseState.CLOSED, CaseState.SUBMITTED),
    (CaseState.WITHDRAWN, CaseState.SUBMITTED),
])
def test_illegal_state_changes_are_refused(world, start, target):
    case = case_in_state(world, start)
    case = Case.objects.get(pk=case.pk)
    case.state = target
    case.handled_at = case.handled_at or timezone.now()
    with pytest.raises(ValidationError) as error:
        case.full_clean(exclude=["number"])
    assert error.value.error_dict["state"][0].code == "illegal_transition"
    with pytest.raises(ValidationError):
        case.save()
    assert Case.objects.get(pk=case.pk).state == start


def test_legal_lifecycle_from_draft_to_closed(world):
    case = case_in_state(world, CaseState.CLOSED)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.submitted_at <= case.scheduled_at <= case.handled_at <= case.closed_at
    assert case.recommendations_due_at is not None


def test_recommendation_on_a_draft_is_refused(world):
    case = case_in_state(world, CaseState.DRAFT)
    with pytest.raises(ValidationError) as error:
        RecommendationFactory(case=case)
    assert error.value.code == "case_not_on_agenda"
    assert not Recommendation.objects.filter(case=case).exists()


def test_expert_membership_needs_an_organisation(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=world.group, user=world.other_worker, role=Role.EXPERT, organisation="")


def test_one_membership_per_group_and_user(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=world.group, user=world.expert, role=Role.CHAIR)


def test_grace_period_is_at_most_14_days(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupFactory(grace_hours=15 * 24)


def test_child_is_under_18(world):
    case = case_in_state(world, CaseState.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildFactory(background=case.background, age_years=18)


def test_a_child_checks_its_age_at_the_field_and_no_constraint_is_left_unchecked(world):
    """Child.validate_constraints checks nothing in Python: right only while the database's one
    constraint on a child is the age the field's validator refuses."""
    case = case_in_state(world, CaseState.DRAFT)
    assert [constraint.name for constraint in Child._meta.constraints] == ["child_under_18"]
    with pytest.raises(ValidationError) as refused:
        Child(background=case.background, age_years=18).full_clean()
    assert list(refused.value.message_dict) == ["age_years"]


def test_session_times_are_unique_per_group(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(group=world.group, starts_at=world.sessions[0].starts_at)


def test_due_times_follow_the_lifecycle(world):
    draft = case_in_state(world, CaseState.DRAFT)
    assert draft.content_due_at == draft.last_edited_at + timezone.timedelta(days=30)
    handled = case_in_state(world, CaseState.HANDLED)
    assert handled.content_due_at == handled.handled_at + timezone.timedelta(hours=world.group.grace_hours)
    assert handled.recommendations_due_at == handled.handled_at + timezone.timedelta(days=60)
    submitted = case_in_state(world, CaseState.SUBMITTED)
    assert submitted.content_due_at is None
