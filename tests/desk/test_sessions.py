"""Sessions in the desk: a year at once, move and cancel with the workers told by e-mail, the
month calendar, and confidentiality and attendance."""

import calendar
from datetime import date, time, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.haastavat_erot.models import CaseState, Session, SessionDeclaration
from apps.haastavat_erot.services import booking
from apps.haastavat_erot.services import sessions as services
from tests.builders import case_in_state, fill_case
from tests.conftest import message_text, run_jobs
from tests.factories import SessionFactory, UserFactory

from .case_helpers import assert_no_family_text, desk


def second_tuesday_of_january_next_year():
    year = timezone.localdate().year + 1
    tuesdays = [d for d in calendar.Calendar().itermonthdates(year, 1) if d.month == 1 and d.weekday() == 1]
    return tuesdays[1]


def year_form(group, first, **overrides):
    return {"group": group.pk, "first_date": first.isoformat(), "rule": services.SAME_WEEKDAY, "start_time": "17:30",
            "duration_minutes": 120, "capacity": 4, "place": "https://video.example/ryhma", **overrides}


# --- monthly dates -------------------------------------------------------------------------------
def test_same_weekday_keeps_the_week_of_the_month():
    dates = services.monthly_dates(date(2027, 1, 12), services.SAME_WEEKDAY)
    assert len(dates) == 12
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in dates)
    assert [d.month for d in dates] == list(range(1, 13))


def test_fifth_weekday_becomes_the_last_of_each_month():
    dates = services.monthly_dates(date(2027, 3, 31), services.SAME_WEEKDAY, count=3)  # 5th Wednesday
    assert dates == [date(2027, 3, 31), date(2027, 4, 28), date(2027, 5, 26)]


def test_same_day_of_month_falls_back_to_the_last_day():
    dates = services.monthly_dates(date(2027, 1, 31), services.SAME_DAY_OF_MONTH)
    assert dates[1] == date(2027, 2, 28) and dates[3] == date(2027, 4, 30) and dates[11] == date(2027, 12, 31)


# --- a year of sessions ---------------------------------------------------------------------------
def test_coordinator_creates_a_year_of_sessions_in_helsinki_time_across_dst(client, world):
    first = second_tuesday_of_january_next_year()
    desk(client, world.coordinator)
    response = client.post(reverse("admin:haastavat_erot_session_year"), year_form(world.group, first))
    assert response.status_code == 302
    created = list(Session.objects.filter(group=world.group, place="https://video.example/ryhma"))
    assert len(created) == 12
    for session in created:
        local = timezone.localtime(session.starts_at)
        assert (local.hour, local.minute, local.weekday()) == (17, 30, 1)
        assert 8 <= local.day <= 14
        assert session.duration_minutes == 120 and session.capacity == 4
        assert session.place == "https://video.example/ryhma"
    utc_hours = {s.starts_at.astimezone(dt_timezone.utc).month: s.starts_at.astimezone(dt_timezone.utc).hour
                 for s in created}
    assert utc_hours[1] == 15 and utc_hours[7] == 14 and utc_hours[12] == 15  # EET +2, EEST +3
    assert response["Location"].startswith(reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk]))


def test_year_of_sessions_same_day_of_month(world):
    first = date(timezone.localdate().year + 1, 1, 31)
    created = services.sessions_create_year(group=world.group, by=world.coordinator, first_date=first,
                                            rule=services.SAME_DAY_OF_MONTH, start_time=time(9, 0),
                                            duration_minutes=120, capacity=3)
    assert [timezone.localtime(s.starts_at).day for s in created][:4] == [31, calendar.monthrange(first.year, 2)[1],
                                                                        31, 30]


@pytest.mark.parametrize("role", ["chair", "expert", "county_admin", "superuser"])
def test_year_page_not_allowed_for_others_than_coordinators(client, world, role):
    desk(client, getattr(world, role))
    assert client.get(reverse("admin:haastavat_erot_session_year")).status_code == 403


def test_year_of_sessions_not_allowed_for_another_groups_coordinator(client, world):
    desk(client, world.other_member)
    response = client.post(reverse("admin:haastavat_erot_session_year"),
                           year_form(world.group, second_tuesday_of_january_next_year()))
    assert response.status_code == 200  # the form refuses a group the user does not coordinate
    assert "group" in response.context["form"].errors
    assert Session.objects.filter(group=world.group).count() == 3
    with pytest.raises(PermissionDenied):
        services.sessions_create_year(group=world.group, by=world.other_member, first_date=date(2099, 1, 1),
                                      rule=services.SAME_WEEKDAY, start_time=time(9), duration_minutes=120, capacity=4)


def test_year_of_sessions_is_all_or_nothing(client, world):
    first = second_tuesday_of_january_next_year()
    third = services.monthly_dates(first, services.SAME_WEEKDAY)[2]
    SessionFactory(group=world.group, starts_at=services.local_datetime(third, time(17, 30)))
    desk(client, world.coordinator)
    response = client.post(reverse("admin:haastavat_erot_session_year"), year_form(world.group, first))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Session.objects.filter(group=world.group).count() == 4


def test_year_of_sessions_must_start_in_the_future(client, world):
    desk(client, world.coordinator)
    response = client.post(reverse("admin:haastavat_erot_session_year"),
                           year_form(world.group, timezone.localdate() - timedelta(days=1)))
    assert response.status_code == 200
    assert gettext("The first session must be in the future.") in response.context["form"].non_field_errors()


# --- move and cancel --------------------------------------------------------------------------------
def test_moving_a_session_emails_the_booked_workers_a_link_only(client, world, mailbox, queue,
                                                               django_capture_on_commit_callbacks):
    session = world.sessions[0]
    scheduled = case_in_state(world, CaseState.SCHEDULED, session=session)
    draft = fill_case(booking.case_book(worker=world.other_worker, session=session))
    run_jobs()
    mailbox.clear()
    new_start = timezone.localtime(session.starts_at) + timedelta(days=2)
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:haastavat_erot_session_move", args=[session.pk]),
                               {"date": new_start.date().isoformat(), "time": "18:15", "place": "Sali 2"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == new_start.date()
    assert (timezone.localtime(session.starts_at).hour, timezone.localtime(session.starts_at).minute) == (18, 15)
    assert session.place == "Sali 2"
    run_jobs()
    assert sorted(m["To"] for m in mailbox) == sorted([world.worker.email, world.other_worker.email])
    for message in mailbox:
        text = message_text(message)
        assert_no_family_text(text)
        number = scheduled.number if world.worker.email in message["To"] else draft.number
        assert f"/cases/{scheduled.pk if number == scheduled.number else draft.pk}/" in text
    assert not mailbox.to(world.expert.email)


def test_cancelling_moves_cases_to_the_next_free_slot_and_frees_the_rest(client, world, mailbox, queue,
                                                                        django_capture_on_commit_callbacks):
    cancelled, next_session, full_session = world.sessions
    first = case_in_state(world, CaseState.SCHEDULED, session=cancelled)
    second = fill_case(booking.case_book(worker=world.other_worker, session=cancelled))
    for _ in range(2):
        booking.case_book(worker=UserFactory(), session=next_session)
    for _ in range(3):
        booking.case_book(worker=UserFactory(), session=full_session)
    run_jobs()
    mailbox.clear()
    desk(client, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:haastavat_erot_session_cancel", args=[cancelled.pk]), {"confirm": "on"})
    assert response.status_code == 302
    cancelled.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert cancelled.is_cancelled
    assert first.session == next_session  # first on the agenda, first to the free slot
    assert second.session is None and second.state == CaseState.DRAFT  # no later slot left: freed
    assert next_session.booked_count() == 3 and full_session.booked_count() == 3
    run_jobs()
    moved = mailbox.to(world.worker.email)
    freed = mailbox.to(world.other_worker.email)
    assert len(moved) == 1 and len(freed) == 1 and len(mailbox) == 2
    assert moved[0]["Subject"] == gettext("Case moved: %(number)s") % {"number": first.number}
    assert freed[0]["Subject"] == gettext("Session cancelled: %(number)s") % {"number": second.number}
    for message in mailbox:
        assert_no_family_text(message_text(message))


def test_cancelling_takes_a_scheduled_case_without_a_later_slot_back_to_the_coordinator(
        world, mailbox, queue, django_capture_on_commit_callbacks):
    last = world.sessions[2]
    case = case_in_state(world, CaseState.SCHEDULED, session=last)
    run_jobs()
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_cancel(session=last, by=world.coordinator) == (0, 1)
    case.refresh_from_db()
    assert (case.session, case.state, case.agenda_position) == (None, CaseState.SUBMITTED, None)
    run_jobs()
    [message] = mailbox.to(world.worker.email)
    lead = ("The session of case %(number)s has been cancelled and no later session of the group had a free slot. "
            "The coordinator will place the case in another session.")
    assert gettext(lead) % {"number": case.number} in " ".join(message_text(message).split())
    assert len(mailbox) == 1


def test_a_held_session_cannot_be_cancelled_or_moved(world):
    session = world.sessions[0]
    case_in_state(world, CaseState.HANDLED, session=session)
    with pytest.raises(Exception) as error:
        services.session_cancel(session=session, by=world.coordinator)
    assert error.value.code == "session_held"
    session.refresh_from_db()
    assert not session.is_cancelled


@pytest.mark.parametrize("role", ["chair", "expert", "county_admin", "other_member", "superuser"])
def test_move_and_cancel_not_allowed(client, world, role):
    session = world.sessions[0]
    before = session.starts_at
    desk(client, getattr(world, role))
    for name in ("move", "cancel"):
        url = reverse(f"admin:haastavat_erot_session_{name}", args=[session.pk])
        assert client.get(url).status_code in (403, 404)
    response = client.post(reverse("admin:haastavat_erot_session_cancel", args=[session.pk]), {"confirm": "on"})
    assert response.status_code in (403, 404)
    session.refresh_from_db()
    assert session.starts_at == before and not session.is_cancelled


def test_session_time_and_status_are_not_editable_in_the_change_form(client, world):
    desk(client, world.coordinator)
    response = client.get(reverse("admin:haastavat_erot_session_change", args=[world.sessions[0].pk]))
    form = response.context["adminform"].form
    assert "starts_at" not in form.fields and "status" not in form.fields
    assert reverse("admin:haastavat_erot_session_move", args=[world.sessions[0].pk]) in response.content.decode()


# --- the month calendar ---------------------------------------------------------------------------
def test_month_calendar_shows_booked_and_free_slots(client, world):
    session = world.sessions[0]
    case_in_state(world, CaseState.SUBMITTED, session=session)
    booking.case_book(worker=world.other_worker, session=session)
    month = timezone.localtime(session.starts_at).strftime("%Y-%m")
    desk(client, world.coordinator)
    url = reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk])
    page = client.get(url, {"month": month}).content.decode()
    assert f'data-session="{session.pk}"' in page
    assert 'data-booked="2" data-free="1"' in page
    assert '<th scope="col">' in page and "<caption>" in page
    assert_no_family_text(page)
    year, number = (int(x) for x in month.split("-"))
    previous = date(year, number, 1) - timedelta(days=1)
    assert f'?month={previous:%Y-%m}' in page


def test_month_calendar_marks_a_cancelled_session(client, world):
    session = world.sessions[1]
    services.session_cancel(session=session, by=world.coordinator)
    desk(client, world.chair)
    response = client.get(reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk]),
                          {"month": timezone.localtime(session.starts_at).strftime("%Y-%m")})
    assert response.status_code == 200
    assert gettext("Cancelled") in response.content.decode()


def test_month_calendar_of_another_group_not_allowed(client, world):
    desk(client, world.coordinator)
    response = client.get(reverse("admin:haastavat_erot_session_calendar", args=[world.other_group.pk]))
    assert response.status_code == 404


def test_month_calendar_own_county_for_county_admin(client, world):
    desk(client, world.county_admin)
    assert client.get(reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk])).status_code == 200
    assert client.get(reverse("admin:haastavat_erot_session_calendar",
                              args=[world.other_group.pk])).status_code == 404


# --- confidentiality and attendance -----------------------------------------------------------------
def test_member_acknowledges_confidentiality_once(client, world):
    session = world.sessions[0]
    url = reverse("admin:haastavat_erot_session_declarations", args=[session.pk])
    desk(client, world.expert)
    assert client.post(url, {"action": "acknowledge"}).status_code == 302
    first = SessionDeclaration.objects.get(session=session, user=world.expert).confidentiality_acknowledged_at
    assert first is not None
    client.post(url, {"action": "acknowledge"})
    declaration = SessionDeclaration.objects.get(session=session, user=world.expert)
    assert declaration.confidentiality_acknowledged_at == first
    page = client.get(url).content.decode()
    assert 'name="action" value="acknowledge"' not in page  # nothing left to acknowledge


@pytest.mark.parametrize("role", ["county_admin", "other_member", "superuser"])
def test_acknowledging_confidentiality_not_allowed_for_non_members(client, world, role):
    desk(client, getattr(world, role))
    response = client.post(reverse("admin:haastavat_erot_session_declarations", args=[world.sessions[0].pk]),
                           {"action": "acknowledge"})
    assert response.status_code in (302, 403, 404)
    assert not SessionDeclaration.objects.exists()


def test_coordinator_records_attendance(client, world):
    session = world.sessions[0]
    desk(client, world.coordinator)
    response = client.post(reverse("admin:haastavat_erot_session_declarations", args=[session.pk]),
                           {"action": "attendance", "attended": [world.expert.pk, world.chair.pk]})
    assert response.status_code == 302
    attended = dict(SessionDeclaration.objects.filter(session=session).values_list("user_id", "attended"))
    assert attended == {world.expert.pk: True, world.chair.pk: True, world.expert2.pk: False,
                        world.coordinator.pk: False}


def test_attendance_not_allowed_for_an_expert_or_for_non_members(client, world):
    session = world.sessions[0]
    desk(client, world.expert)
    response = client.post(reverse("admin:haastavat_erot_session_declarations", args=[session.pk]),
                           {"action": "attendance", "attended": [world.expert.pk]})
    assert response.status_code == 403
    desk(client, world.coordinator)
    client.post(reverse("admin:haastavat_erot_session_declarations", args=[session.pk]),
                {"action": "attendance", "attended": [world.worker.pk]})
    assert not SessionDeclaration.objects.filter(attended=True).exists()


def test_session_record_shows_declarations_and_no_case_content(client, world):
    session = world.sessions[0]
    case = case_in_state(world, CaseState.SCHEDULED, session=session)
    services.session_acknowledge_confidentiality(session=session, by=world.expert)
    services.session_record_attendance(session=session, by=world.coordinator, attended_user_ids=[world.expert.pk])
    desk(client, world.coordinator)
    record = client.get(reverse("admin:haastavat_erot_session_change", args=[session.pk])).content.decode()
    declarations = client.get(reverse("admin:haastavat_erot_session_declarations", args=[session.pk]))
    assert str(world.expert) in record
    assert case.number in record  # the agenda's skeleton only
    page = declarations.content.decode()
    assert f'data-user="{world.expert.pk}"' in page
    assert_no_family_text(record)
    assert_no_family_text(page)
    assert case.number not in page


def test_member_is_reminded_to_acknowledge_confidentiality(client, world):
    session = world.sessions[0]
    url = reverse("admin:haastavat_erot_session_change", args=[session.pk])
    reminder = gettext("You have not yet acknowledged the confidentiality statement for this session.")
    desk(client, world.expert)
    assert reminder in client.get(url).content.decode()
    services.session_acknowledge_confidentiality(session=session, by=world.expert)
    assert reminder not in client.get(url).content.decode()


DESK_ROLES = ["coordinator", "chair", "expert", "county_admin", "other_member", "superuser"]


@pytest.mark.parametrize("role", DESK_ROLES)
def test_session_pages_open_or_refuse_cleanly_for_every_role(client, world, role):
    session = world.sessions[0]
    case_in_state(world, CaseState.SCHEDULED, session=session)
    desk(client, getattr(world, role))
    calendar_url = reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk])
    urls = [*(f"{calendar_url}?month={month}" for month in ("", "2027-02", "2027-13", "nonsense", "99999-01")),
            reverse("admin:haastavat_erot_session_calendar_index"), reverse("admin:haastavat_erot_session_feeds"),
            reverse("admin:haastavat_erot_session_year"), reverse("admin:haastavat_erot_session_changelist"),
            *(reverse(f"admin:haastavat_erot_session_{name}", args=[session.pk])
              for name in ("move", "cancel", "declarations"))]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        if response.status_code == 200:
            assert_no_family_text(response.content.decode())


def test_cancelling_moves_drafts_and_submitted_cases_too(world):
    cancelled, following, _last = world.sessions
    draft = booking.case_book(worker=world.worker, session=cancelled)
    submitted = case_in_state(world, CaseState.SUBMITTED, session=cancelled, worker=world.other_worker)
    services.session_cancel(session=cancelled, by=world.coordinator)
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.session, draft.state) == (following, CaseState.DRAFT)
    assert (submitted.session, submitted.state) == (following, CaseState.SUBMITTED)
