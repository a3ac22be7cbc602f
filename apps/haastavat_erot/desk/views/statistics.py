"""The desk's statistics page and its CSV and Excel exports. Coordinators and chairs see their
own groups, county admins their county, superusers everything (the view_statistics rule)."""

import csv
import logging
from io import BytesIO

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ... import statistics
from ...models import ConsultationGroup, County
from ...permissions import groups_visible_to

PERM = "haastavat_erot.view_statistics"
log = logging.getLogger(__name__)


def statistics_groups(user):
    """Return the groups whose statistics the user may see."""
    groups = groups_visible_to(user, ConsultationGroup.objects.select_related("county"))
    return [group for group in groups if user.has_perm(PERM, group)]


def statistics_counties(user):
    return [county for county in County.objects.all() if user.has_perm(PERM, county)]


class Selection:
    """What the user asked for (scope, granularity, year), checked against what they may see."""

    def __init__(self, request):
        user = request.user
        self.groups = statistics_groups(user)
        if not self.groups:
            raise PermissionDenied
        self.counties = statistics_counties(user)
        self.scope = request.GET.get("scope", "")
        kind, pk = self.scope[:1], self.scope[1:]
        if self.scope == "":
            self.selected = ConsultationGroup.objects.filter(pk__in=[g.pk for g in self.groups])
            self.title = _("All my groups")
        elif kind in ("g", "c") and pk.isdigit():
            target = get_object_or_404(ConsultationGroup if kind == "g" else County, pk=int(pk))
            if not user.has_perm(PERM, target):
                raise PermissionDenied
            self.selected = ConsultationGroup.objects.filter(**{"pk" if kind == "g" else "county": target.pk})
            self.title = str(target.name)
        else:
            raise Http404
        self.granularity = request.GET.get("granularity", statistics.Granularity.MONTH)
        if self.granularity not in statistics.Granularity.TRUNC:
            self.granularity = statistics.Granularity.MONTH
        self.available_years = statistics.years_with_data(self.selected)
        year = request.GET.get("year", "")
        self.year = int(year) if year.isdigit() and int(year) in self.available_years else self.available_years[-1]

    @property
    def county_options(self):
        return [(f"c{county.pk}", county.name) for county in self.counties]

    @property
    def group_options(self):
        return [(f"g{group.pk}", group.name) for group in self.groups]

    @property
    def years(self):
        """A year granularity shows every year; a month or quarter one the chosen year."""
        return self.available_years if self.granularity == statistics.Granularity.YEAR else [self.year]

    def report(self):
        return statistics.build_report(self.selected, granularity=self.granularity, years=self.years)

    def units(self):
        return statistics.cases_by_unit(self.selected, years=self.years)

    def filename(self, extension):
        year = "" if self.granularity == statistics.Granularity.YEAR else f"-{self.year}"
        return f"statistics-{slugify(self.title) or 'groups'}{year}-{self.granularity}.{extension}"


def header():
    return [_("Period"), *[str(column.label) for column in statistics.COLUMNS]]


def _chart_value(value):
    return value if isinstance(value, (int, float)) else None


def chart_data(report):
    """The numbers the charts draw, passed to the page with json_script; "<3" draws nothing."""
    rows = report.rows()
    total = rows[-1][1]
    category_index = [i for i, c in enumerate(statistics.COLUMNS) if c.key.startswith("category_")]
    return {
        "labels": list(report.periods),
        "sectors": [{"label": str(label), "data": [_chart_value(v) for v in report.series(key)]}
                    for key, label in statistics.SECTOR_KEYS],
        "categories": {"labels": [str(statistics.COLUMNS[i].label) for i in category_index],
                       "data": [_chart_value(total[i]) for i in category_index]},
        "axis": {"cases": _("Cases brought"), "recommendations": _("Recommendations")},
    }


def statistics_page(request):
    selection = Selection(request)
    report = selection.report()
    context = {
        **admin.site.each_context(request),
        "title": _("Statistics"),
        "selection": selection,
        "granularities": statistics.Granularity.CHOICES,
        "header": header(),
        "rows": report.rows(),
        "units": selection.units(),
        "chart": chart_data(report),
        "suppressed": statistics.SUPPRESSED,
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "haastavat_erot/desk/statistics.html", context)


def _cell(value):
    return "" if value is None else value


def statistics_export(request, fmt):
    selection = Selection(request)
    rows = selection.report().rows()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # a byte order mark, so that Excel reads UTF-8
        writer = csv.writer(response)
        writer.writerow(header())
        for label, values in rows:
            writer.writerow([label, *[_cell(v) for v in values]])
    elif fmt == "xlsx":
        response = HttpResponse(excel_workbook(selection, rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{selection.filename(fmt)}"'
    log.info("statistics export %s by user %s, scope %r", fmt, request.user.pk, selection.scope or "all")
    return response


def excel_workbook(selection, rows):
    """Return the bytes of an .xlsx file: the aggregates, then the cases per worker's unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")[:31]
    sheet.append(header())
    for label, values in rows:
        sheet.append([label, *[_cell(v) for v in values]])
    units = workbook.create_sheet(_("Units")[:31])
    units.append([_("Worker's unit"), _("Cases brought")])
    for unit, count in selection.units():
        units.append([unit, count])
    for ws in (sheet, units):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2"
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
