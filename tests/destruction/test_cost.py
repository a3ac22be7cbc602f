"""The cost of a run follows what is due, not the size of the tables: a run with nothing due makes
the same queries over 10 or 1,000 kept skeletons, and its due-time queries use their indexes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.haastavat_erot import purge
from apps.haastavat_erot.models import Case, CaseState
from tests.builders import case_in_state

from .helpers import kept_skeletons, with_files


def queries_of_a_run(as_of):
    with CaptureQueriesContext(connection) as captured:
        summary = purge.run_destruction(as_of=as_of)
    assert (summary.cases, summary.recommendations, summary.errors) == (0, 0, 0)
    return [q["sql"] for q in captured.captured_queries]


def test_a_run_with_nothing_due_costs_the_same_over_10_or_1000_skeletons(world):
    as_of = timezone.now()
    kept_skeletons(session=world.sessions[0], worker=world.worker, count=10, prefix="A")
    small = queries_of_a_run(as_of)
    kept_skeletons(session=world.sessions[0], worker=world.worker, count=990, prefix="B")
    assert Case.objects.count() >= 1000
    large = queries_of_a_run(as_of)
    assert len(small) == len(large) <= 6, large


def test_a_batch_of_due_cases_costs_the_queries_of_one(world):
    """Due cases are destroyed a batch at a time: the queries do not grow with the cases."""
    as_of = timezone.now() + timedelta(days=2)
    one = case_in_state(world, CaseState.HANDLED)
    with_files(one)
    with CaptureQueriesContext(connection) as first:
        assert purge.run_destruction(as_of=as_of).cases == 1
    cases = [case_in_state(world, CaseState.HANDLED, session=world.sessions[i]) for i in (0, 1, 1, 2, 2)]
    for case in cases:
        with_files(case)
    kept_skeletons(session=world.sessions[0], worker=world.worker, count=500)
    with CaptureQueriesContext(connection) as second:
        assert purge.run_destruction(as_of=as_of).cases == 5
    assert len(second.captured_queries) == len(first.captured_queries)


def explain(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


@pytest.mark.parametrize("name, queryset", [
    ("content_due_at", lambda now: Case.objects.content_due(now).order_by("content_due_at").values("pk")),
    ("recommendations_due_at",
     lambda now: Case.objects.recommendations_due(now).order_by("recommendations_due_at").values("pk")),
    ("content_due_at", lambda now: Case.objects.filter(content_due_at__lte=now).order_by("content_due_at")
     .values_list("content_due_at")[:1]),
    ("case_consent_withdrawn", lambda now: Case.objects.filter(consent_withdrawn_at__lte=now,
                                                               content_destroyed_at__isnull=True).values("pk")),
])
def test_due_time_queries_use_their_index(world, name, queryset):
    kept_skeletons(session=world.sessions[0], worker=world.worker, count=2000)
    [plan] = explain(queryset(timezone.now()))
    assert plan["type"] != "ALL", plan
    assert name in (plan["key"] or ""), plan
