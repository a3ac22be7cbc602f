"""The case lists cost a fixed number of SQL queries however many cases they show (no N+1):
the desk's case list for a coordinator and the worker's "My cases" page, with 3 and 30 cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.haastavat_erot.models import CaseState
from tests.factories import CaseFactory, SessionFactory
from tests.conftest import verified_client

# A mix of the states the lists show.
STATES = [CaseState.DRAFT, CaseState.SUBMITTED, CaseState.SCHEDULED, CaseState.HANDLED, CaseState.RETURNED]


def make_cases(world, count):
    """Give world.worker `count` cases in world.group, spread over sessions and states."""
    from django.utils import timezone

    sessions = [SessionFactory(group=world.group, capacity=count) for _ in range(3)]
    for i in range(count):
        state = STATES[i % len(STATES)]
        now = timezone.now()
        CaseFactory(session=sessions[i % len(sessions)], worker=world.worker, state=state, submitted_at=now,
                    handled_at=now if state == CaseState.HANDLED else None, returned_at=now)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def count_with(world, client, url, cases, already):
    make_cases(world, cases - already)
    return queries_for(client, url)


@pytest.mark.parametrize("page", ["desk", "portal"])
def test_case_lists_make_the_same_number_of_queries_for_3_and_30_cases(world, client, page):
    if page == "desk":
        verified_client(client, world.coordinator)
        url = reverse("admin:haastavat_erot_case_changelist")
    else:
        client.force_login(world.worker)
        url = reverse("portal:home")
    queries_for(client, url)  # warm up: first-request queries (content types, sequences) do not count
    few = count_with(world, client, url, 3, 0)
    many = count_with(world, client, url, 30, 3)
    assert many == few, f"{page}: {few} queries with 3 cases, {many} with 30"


def test_my_cases_shows_a_page_at_a_time(world, client):
    from apps.haastavat_erot.portal.views.cases import CASES_PER_PAGE

    make_cases(world, CASES_PER_PAGE + 2)
    client.force_login(world.worker)
    first = client.get(reverse("portal:home"))
    second = client.get(reverse("portal:home"), {"page": 2})
    assert len(first.context["rows"]) == CASES_PER_PAGE
    assert len(second.context["rows"]) == 2
    shown = {case.pk for case, _ in first.context["rows"]} | {case.pk for case, _ in second.context["rows"]}
    assert len(shown) == CASES_PER_PAGE + 2
    assert 'href="?page=2"' in first.content.decode()
