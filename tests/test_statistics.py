"""Statistics: the numbers against known seeded cases, the small-count rule, both exports parsed
back, and who may see which group's or county's numbers."""

import csv
import io

import pytest
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from apps.haastavat_erot import purge, statistics
from apps.haastavat_erot.models import ConsultationGroup, Recommendation
from apps.haastavat_erot.statistics import COLUMNS, SUPPRESSED, Granularity, build_report, suppress
from tests.factories import CountyAdminFactory, county
from tests.statistics_seed import seed_statistics
from tests.conftest import verified_client

KEYS = [column.key for column in COLUMNS]

MARCH = {
    "brought": 4, "sector_social": 3, "sector_health": SUPPRESSED, "sector_education": 0,
    "named": 3, "anonymous": SUPPRESSED, "days_sum": 15.0, "days_list": 17.0,
    "recommendations": 6, "category_assessment": 4, "category_police_report": SUPPRESSED,
    "category_service_referral": 0, "handled": 4, "acknowledged": 75, "feedback_given": 3, "feedback_sum": 4.0,
    "sessions": 1, "slots": 6, "slots_used": 4,
}
MAY = {
    "brought": 4, "sector_social": SUPPRESSED, "sector_health": 0, "sector_education": 3,
    "named": SUPPRESSED, "anonymous": 3, "days_sum": 10.0, "days_list": 10.0,
    "recommendations": 0, "handled": 0, "acknowledged": None, "feedback_given": 0, "feedback_sum": None,
    "sessions": 1, "slots": 6, "slots_used": 0,
}
YEAR = {
    "brought": 8, "sector_social": 4, "sector_health": SUPPRESSED, "sector_education": 3,
    "named": 4, "anonymous": 4, "days_sum": 12.5, "days_list": 10.0,
    "recommendations": 6, "category_assessment": 4, "category_police_report": SUPPRESSED,
    "handled": 4, "acknowledged": 75, "feedback_given": 3, "feedback_sum": 4.0,
    "sessions": 2, "slots": 12, "slots_used": 4,
}
EMPTY = {"brought": 0, "days_sum": None, "acknowledged": None, "sessions": 0, "slots_used": 0}


def as_dicts(rows):
    return {label: dict(zip(KEYS, values)) for label, values in rows}


def assert_row(row, expected):
    assert {key: row[key] for key in expected} == expected


@pytest.fixture
def seeded(world):
    return seed_statistics(world)


def group_report(world, granularity=Granularity.MONTH, years=(2025,)):
    groups = ConsultationGroup.objects.filter(pk=world.group.pk)
    return build_report(groups, granularity=granularity, years=list(years))


# --- the numbers ------------------------------------------------------------------------------------
def test_monthly_numbers_match_the_seeded_cases(world, seeded):
    rows = as_dicts(group_report(world).rows())
    assert list(rows)[:12] == [f"2025-{month:02d}" for month in range(1, 13)]
    assert_row(rows["2025-03"], MARCH)
    assert_row(rows["2025-05"], MAY)
    assert_row(rows["2025-06"], EMPTY)
    assert_row(rows[gettext("Total")], YEAR)


def test_quarterly_and_yearly_numbers(world, seeded):
    rows = as_dicts(group_report(world, Granularity.QUARTER).rows())
    assert list(rows)[:4] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert_row(rows["2025-Q1"], MARCH)
    assert_row(rows["2025-Q2"], MAY)
    assert_row(rows["2025-Q3"], EMPTY)
    rows = as_dicts(group_report(world, Granularity.YEAR, years=(2024, 2025)).rows())
    assert_row(rows["2025"], YEAR)
    assert_row(rows["2024"], EMPTY)


def test_the_report_takes_a_fixed_number_of_queries(world, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        group_report(world).rows()


def test_the_numbers_survive_destruction(world, seeded):
    """Destroying background information and recommendation texts leaves every number as it was."""
    before = group_report(world).rows()
    purge.run_destruction(as_of=timezone.now() + timedelta(days=400), sweep=False)
    assert not Recommendation.objects.exclude(text="").filter(case__group=world.group).exists()
    assert group_report(world).rows() == before


def test_cases_by_unit_are_counted_and_suppressed(world, seeded):
    groups = ConsultationGroup.objects.filter(pk=world.group.pk)
    assert statistics.cases_by_unit(groups, years=[2025]) == [
        ("Yksikkö social", 4), ("Yksikkö education", 3), ("Yksikkö health", SUPPRESSED)]


# --- the small-count rule -----------------------------------------------------------------------------
@pytest.mark.parametrize("count, shown", [(0, 0), (1, SUPPRESSED), (2, SUPPRESSED), (3, 3), (40, 40)])
def test_small_counts_are_shown_as_fewer_than_three(count, shown):
    assert suppress(count) == shown


@pytest.mark.parametrize("raw, expected", [
    ({"handled": 2, "acknowledged": 2}, SUPPRESSED),   # a share of one or two cases
    ({"handled": 5, "acknowledged": 1}, SUPPRESSED),   # a share that reveals one case
    ({"handled": 5, "acknowledged": 0}, 0),
    ({"handled": 4, "acknowledged": 3}, 75),
    ({"handled": 0, "acknowledged": 0}, None),
])
def test_shares_of_small_counts_are_suppressed(raw, expected):
    assert statistics.COLUMNS_BY_KEY["acknowledged"].value(raw) == expected


def test_an_average_of_one_or_two_cases_is_suppressed():
    average = statistics.COLUMNS_BY_KEY["feedback_sum"]
    assert average.value({"feedback_given": 1, "feedback_sum": 5}) == SUPPRESSED
    assert average.value({"feedback_given": 2, "feedback_sum": 9}) == SUPPRESSED
    assert average.value({"feedback_given": 3, "feedback_sum": 11}) == 3.7


def test_no_small_count_leaves_in_any_output(world, seeded):
    """No cell of the page, the CSV or the workbook holds a 1 or a 2 about cases."""
    calendar_columns = {i for i, c in enumerate(COLUMNS) if c.kind == "calendar"}
    for label, values in group_report(world).rows():
        for i, value in enumerate(values):
            if i not in calendar_columns:
                assert value not in (1, 2), (label, COLUMNS[i].key)


# --- the desk page and the exports ------------------------------------------------------------------
def stats_url(name="admin:statistics", *args, **params):
    from urllib.parse import urlencode

    return reverse(name, args=args) + ("?" + urlencode(params) if params else "")


def test_coordinator_sees_the_statistics_page_with_charts_data(client, world, seeded):
    verified_client(client, world.coordinator)
    response = client.get(stats_url(scope=f"g{world.group.pk}", year=2025))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="statistics-data"' in html and 'id="chart-sectors"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "<script>" not in html
    assert as_dicts(response.context["rows"])["2025-03"]["brought"] == 4
    chart = response.context["chart"]
    assert chart["labels"][2] == "2025-03"
    social = next(s for s in chart["sectors"] if s["label"] == str(statistics.Sector.SOCIAL.label))
    health = next(s for s in chart["sectors"] if s["label"] == str(statistics.Sector.HEALTH.label))
    assert social["data"][2] == 3 and health["data"][2] is None  # "<3" draws nothing


def test_desk_index_links_to_statistics_allowed(client, world):
    verified_client(client, world.coordinator)
    assert reverse("admin:statistics") in client.get(reverse("admin:index")).content.decode()


def test_desk_index_links_to_statistics_not_allowed_for_an_expert(client, world):
    verified_client(client, world.expert)
    assert reverse("admin:statistics") not in client.get(reverse("admin:index")).content.decode()


def test_csv_export_parses_back_with_suppression(client, world, seeded):
    verified_client(client, world.coordinator)
    response = client.get(stats_url("admin:statistics_export", "csv", scope=f"g{world.group.pk}", year=2025))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == [gettext("Period"), *[str(c.label) for c in COLUMNS]]
    rows = {row[0]: dict(zip(KEYS, row[1:])) for row in table[1:]}
    assert_row(rows["2025-03"], {key: "" if v is None else str(v) for key, v in MARCH.items()})
    assert_row(rows[gettext("Total")], {key: "" if v is None else str(v) for key, v in YEAR.items()})


def test_xlsx_export_parses_back_with_suppression(client, world, seeded):
    verified_client(client, world.county_admin)
    response = client.get(stats_url("admin:statistics_export", "xlsx", scope=f"c{world.group.county_id}",
                                     granularity="quarter", year=2025))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == [gettext("Period"), *[str(c.label) for c in COLUMNS]]
    rows = {row[0]: dict(zip(KEYS, row[1:])) for row in table[1:]}
    assert_row(rows["2025-Q1"], MARCH)
    assert_row(rows[gettext("Total")], YEAR)
    units = [list(row) for row in workbook.worksheets[1].iter_rows(values_only=True)][1:]
    assert ["Yksikkö health", SUPPRESSED] in units


# --- who sees what ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["coordinator", "chair", "county_admin", "superuser"])
def test_group_statistics_allowed(client, world, role):
    verified_client(client, getattr(world, role))
    for name, args in (("admin:statistics", ()), ("admin:statistics_export", ("csv",))):
        assert client.get(stats_url(name, *args, scope=f"g{world.group.pk}", year=2025)).status_code == 200


def test_group_statistics_not_allowed_for_another_groups_coordinator(client, world, seeded):
    verified_client(client, world.other_member)
    for name, args in (("admin:statistics", ()), ("admin:statistics_export", ("xlsx",))):
        assert client.get(stats_url(name, *args, scope=f"g{world.group.pk}")).status_code == 403
    # Their own page shows only their own group's numbers.
    response = client.get(stats_url(year=2025))
    assert response.status_code == 200
    assert as_dicts(response.context["rows"])["2025-03"]["brought"] == 3
    assert [value for value, _name in response.context["selection"].group_options] == [f"g{world.other_group.pk}"]


def test_county_statistics_not_allowed_for_another_countys_admin(client, world):
    other_admin = CountyAdminFactory(county=county("PS")).user
    verified_client(client, other_admin)
    assert client.get(stats_url(scope=f"c{world.group.county_id}")).status_code == 403
    assert client.get(stats_url(scope=f"g{world.group.pk}")).status_code == 403
    assert client.get(stats_url(scope=f"c{county('PS').pk}")).status_code == 200


def test_county_statistics_not_allowed_for_a_coordinator(client, world):
    verified_client(client, world.coordinator)
    assert client.get(stats_url(scope=f"c{world.group.county_id}")).status_code == 403


def test_statistics_not_allowed_for_an_expert(client, world):
    verified_client(client, world.expert)
    assert client.get(stats_url()).status_code == 403


def test_statistics_not_allowed_for_a_worker(client, world):
    verified_client(client, world.worker)
    for name, args in (("admin:statistics", ()), ("admin:statistics_export", ("csv",))):
        response = client.get(stats_url(name, *args, scope=f"g{world.group.pk}"))
        assert response.status_code == 302 and "text/csv" not in response.get("Content-Type", "")


def test_superuser_sees_every_group(client, world, seeded):
    verified_client(client, world.superuser)
    response = client.get(stats_url(year=2025))
    assert as_dicts(response.context["rows"])["2025-03"]["brought"] == 7


def test_demo_data_fills_the_statistics(db):
    from apps.haastavat_erot.demo import seed_demo

    seed_demo()
    groups = ConsultationGroup.objects.filter(county__code="KS")
    report = build_report(groups, granularity=Granularity.YEAR, years=statistics.years_with_data(groups))
    total = dict(zip(KEYS, report.rows()[-1][1]))
    assert total["brought"] >= 21 and total["feedback_given"] >= 21 and total["sessions"] >= 6
    assert isinstance(total["feedback_sum"], float) and isinstance(total["acknowledged"], int)


def test_year_granularity_shows_every_year_with_data(client, world, seeded):
    this_year = timezone.localdate().year
    groups = ConsultationGroup.objects.filter(pk=world.group.pk)
    assert statistics.years_with_data(groups) == list(range(2025, this_year + 1))
    verified_client(client, world.chair)
    response = client.get(stats_url(scope=f"g{world.group.pk}", granularity="year"))
    rows = as_dicts(response.context["rows"])
    assert list(rows) == [str(year) for year in range(2025, this_year + 1)] + [gettext("Total")]
    assert_row(rows["2025"], YEAR)
