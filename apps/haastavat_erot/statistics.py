"""Aggregate statistics for evaluating the model, made only of what survives destruction: the
case skeletons (dates, group, sector, unit, named or anonymous), the recommendation rows (their
category stays when the text is blanked), the feedback scores and the sessions.

A case belongs to the period in which it was booked, and everything about it (its
recommendations, acknowledgement and feedback) is counted in that period, so that one row
describes one cohort of cases. Sessions belong to the period in which they were held.

Every count of 1 or 2 is shown as "<3" (0 stays 0), and so is any average or share computed
from one or two cases, so that no family can be singled out. The raw numbers never leave this
module: the page, the charts and both exports read `Report.rows()`.
"""

import statistics as pystats
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Func, IntegerField, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Case, Recommendation, RecommendationCategory, Sector, Session

SUPPRESSED = "<3"
SMALL_COUNTS = (1, 2)
SECONDS_PER_DAY = 86400


class Granularity:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = [(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year"))]
    TRUNC = {MONTH: TruncMonth, QUARTER: TruncQuarter, YEAR: TruncYear}


def suppress(count):
    """Return the count, or "<3" for 1 and 2."""
    return SUPPRESSED if count in SMALL_COUNTS else count


class SecondsBetween(Func):
    """MariaDB's TIMESTAMPDIFF in seconds from the first expression to the second."""

    template = "TIMESTAMPDIFF(SECOND, %(expressions)s)"
    output_field = IntegerField()


# --- columns: what a row shows, in order ------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    label: object
    kind: str = "count"  # count | calendar (not about families: never suppressed) | mean | median | share
    base: str = ""  # the count a mean, median or share is computed from

    def value(self, raw):
        """Return the displayed value of this column for a row of raw numbers."""
        if self.kind == "calendar":
            return raw.get(self.key, 0)
        if self.kind == "count":
            return suppress(raw.get(self.key, 0))
        base = raw.get(self.base, 0)
        if base == 0:
            return None
        if base in SMALL_COUNTS:
            return SUPPRESSED
        if self.kind == "mean":
            return round(raw[self.key] / base, 1)
        if self.kind == "median":
            return round(pystats.median(raw[self.key]), 1)
        part = raw.get(self.key, 0)
        return SUPPRESSED if part in SMALL_COUNTS else round(100 * part / base)


SECTOR_KEYS = [("sector_" + value, label) for value, label in Sector.choices]
CATEGORY_KEYS = [("category_" + value, label) for value, label in RecommendationCategory.choices]

COLUMNS = [
    Column("brought", _("Cases brought")),
    *[Column(key, label) for key, label in SECTOR_KEYS],
    Column("named", _("Named")),
    Column("anonymous", _("Anonymous")),
    Column("days_sum", _("Days from booking to session, average"), "mean", "days_count"),
    Column("days_list", _("Days from booking to session, median"), "median", "days_count"),
    Column("recommendations", _("Recommendations")),
    *[Column(key, label) for key, label in CATEGORY_KEYS],
    Column("handled", _("Cases handled")),
    Column("acknowledged", _("Recommendations acknowledged (%)"), "share", "handled"),
    Column("feedback_given", _("Feedback given")),
    Column("feedback_sum", _("Usefulness of the recommendations, average (1-5)"), "mean", "feedback_given"),
    Column("sessions", _("Sessions held"), "calendar"),
    Column("slots", _("Case slots in the sessions held"), "calendar"),
    Column("slots_used", _("Case slots used")),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


# --- periods ------------------------------------------------------------------------------------
def period_key(start, granularity):
    """Return the period's label, the same in every language: 2026-03, 2026-Q1 or 2026."""
    if granularity == Granularity.MONTH:
        return f"{start.year}-{start.month:02d}"
    if granularity == Granularity.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def period_starts(granularity, years):
    step = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[granularity]
    return [date(year, month, 1) for year in years for month in range(1, 13, step)]


def _as_date(value):
    if value is None:
        raise RuntimeError("MariaDB returned no period: load its time zone tables (mysql_tzinfo_to_sql, as "
                           "scripts/setup does) so that CONVERT_TZ works.")
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- the report ---------------------------------------------------------------------------------
def _merge(raw, numbers):
    """Add `numbers` into `raw`: counts and sums add up, the list of days is extended."""
    for name, value in numbers.items():
        empty = [] if isinstance(value, list) else 0
        raw[name] = raw.get(name, empty) + (value or empty)


@dataclass
class Report:
    granularity: str
    years: list
    periods: dict = field(default_factory=dict)  # period key -> raw numbers

    def period(self, key):
        return self.periods.setdefault(key, {"days_list": []})

    def add(self, start, numbers):
        _merge(self.period(period_key(_as_date(start), self.granularity)), numbers)

    def totals(self):
        total = {"days_list": []}
        for raw in self.periods.values():
            _merge(total, raw)
        return total

    def rows(self):
        """Return [(label, [displayed values in COLUMNS order])], every period then the total."""
        rows = [(key, [column.value(raw) for column in COLUMNS]) for key, raw in self.periods.items()]
        total = self.totals()
        rows.append((str(_("Total")), [column.value(total) for column in COLUMNS]))
        return rows

    def series(self, key):
        """Return one column's displayed values per period (not the total), suppressed as "<3"."""
        column = COLUMNS_BY_KEY[key]
        return [column.value(raw) for raw in self.periods.values()]


def years_with_data(groups):
    """Return the years from the first booking or session of `groups` to this year."""
    this_year = timezone.localdate().year
    firsts = [Case.objects.filter(group__in=groups).aggregate(first=Min("created_at"))["first"],
              Session.objects.filter(group__in=groups).aggregate(first=Min("starts_at"))["first"]]
    first_year = min((timezone.localtime(first).year for first in firsts if first), default=this_year)
    return list(range(min(first_year, this_year), this_year + 1))


def _year_range(years):
    tz = timezone.get_current_timezone()
    return (datetime.combine(date(years[0], 1, 1), time.min, tz),
            datetime.combine(date(years[-1] + 1, 1, 1), time.min, tz))


def build_report(groups, *, granularity, years, now=None):
    """Aggregate the cases and sessions of `groups` (a queryset) over `years` (consecutive),
    per period of `granularity`. Five queries, whatever the number of cases."""
    now = now or timezone.now()
    report = Report(granularity=granularity, years=years)
    for start in period_starts(granularity, years):
        report.period(period_key(start, granularity))
    trunc = Granularity.TRUNC[granularity]
    start, end = _year_range(years)

    brought = Case.objects.filter(group__in=groups, submitted_at__isnull=False, created_at__gte=start,
                                  created_at__lt=end)
    with_session = Q(session__isnull=False)
    days = SecondsBetween(F("created_at"), F("session__starts_at"))
    cases = (brought.annotate(period=trunc("created_at")).values("period").order_by("period").annotate(
        brought=Count("pk"),
        **{key: Count("pk", filter=Q(sector=key.removeprefix("sector_"))) for key, _ in SECTOR_KEYS},
        named=Count("pk", filter=Q(is_anonymous=False)),
        anonymous=Count("pk", filter=Q(is_anonymous=True)),
        days_sum=Sum(days, filter=with_session),
        days_count=Count("pk", filter=with_session),
        handled=Count("pk", filter=Q(handled_at__isnull=False)),
        acknowledged=Count("pk", filter=Q(handled_at__isnull=False, recommendations_acknowledged_at__isnull=False)),
        feedback_given=Count("feedback"),
        feedback_sum=Sum("feedback__usefulness"),
    ))
    for row in cases:
        start_of_period = row.pop("period")
        row["days_sum"] = (row["days_sum"] or 0) / SECONDS_PER_DAY
        report.add(start_of_period, row)

    # The median needs the values themselves: one narrow query of numbers only.
    for period, seconds in brought.filter(with_session).annotate(period=trunc("created_at"), days=days).values_list(
            "period", "days"):
        report.add(period, {"days_list": [seconds / SECONDS_PER_DAY]})

    categories = (Recommendation.objects.filter(case__in=brought).annotate(period=trunc("case__created_at"))
                  .values("period", "category").order_by("period").annotate(n=Count("pk")))
    for row in categories:
        report.add(row["period"], {"recommendations": row["n"], "category_" + row["category"]: row["n"]})

    held = Session.objects.filter(group__in=groups, status=Session.Status.PLANNED,
                                  starts_at__gte=start, starts_at__lt=min(end, now))
    for row in held.annotate(period=trunc("starts_at")).values("period").order_by("period").annotate(
            sessions=Count("pk"), slots=Sum("capacity")):
        report.add(row["period"], {"sessions": row["sessions"], "slots": row["slots"]})
    used = (Case.objects.filter(session__in=held, handled_at__isnull=False)
            .annotate(period=trunc("session__starts_at")).values("period").order_by("period")
            .annotate(n=Count("pk")))
    for row in used:
        report.add(row["period"], {"slots_used": row["n"]})
    return report


def cases_by_unit(groups, *, years):
    """Return [(worker's unit, displayed count)] of the cases brought in `years`, largest first."""
    start, end = _year_range(years)
    rows = (Case.objects.filter(group__in=groups, submitted_at__isnull=False, created_at__gte=start,
                                created_at__lt=end)
            .values("worker_unit").order_by().annotate(n=Count("pk")).order_by("-n", "worker_unit"))
    return [(row["worker_unit"] or str(_("Not given")), suppress(row["n"])) for row in rows]

