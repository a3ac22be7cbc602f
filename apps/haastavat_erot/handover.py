"""The handover document: the group's signed-off recommendations as a PDF that the worker files in
their own client record before the texts are destroyed here (issue 10, point 4).

It carries the case number, the session date, the group, the recommendations with their
categories and the organisations that took part; never the family's data (no names, no question,
no background), nor the members' names.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import ExpertOrganisation, Membership, SessionDeclaration

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts():
    """Return (regular, bold) font names: DejaVu Sans for all of Unicode where installed, else
    the PDF base fonts (Latin-1, enough for Finnish and Swedish)."""
    if "HandoverSans" in pdfmetrics.getRegisteredFontNames():
        return "HandoverSans", "HandoverSans-Bold"
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("HandoverSans", str(regular)))
        pdfmetrics.registerFont(TTFont("HandoverSans-Bold", str(bold)))
        return "HandoverSans", "HandoverSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def participating_organisations(case):
    """Return (organisation labels, from_attendance): the organisations of the members recorded
    as attending the case's session, or, while no attendance is recorded, those of the group's
    active members."""
    memberships = Membership.objects.filter(group_id=case.group_id).exclude(organisation="")
    attended = SessionDeclaration.objects.filter(session_id=case.session_id, attended=True).values("user_id")
    from_attendance = case.session_id is not None and attended.exists()
    memberships = memberships.filter(user_id__in=attended) if from_attendance else memberships.active()
    codes = set(memberships.values_list("organisation", flat=True))
    labels = sorted(str(ExpertOrganisation(code).label) for code in codes if code in ExpertOrganisation.values)
    return labels, from_attendance


def _styles(regular, bold):
    sample = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sample["Title"], fontName=bold, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=sample["Heading2"], fontName=bold, fontSize=12.5, leading=16,
                             spaceBefore=8),
        "body": ParagraphStyle("body", parent=sample["BodyText"], fontName=regular, fontSize=10.5, leading=14),
        "label": ParagraphStyle("label", parent=sample["BodyText"], fontName=bold, fontSize=10.5, leading=14),
        "note": ParagraphStyle("note", parent=sample["BodyText"], fontName=regular, fontSize=9, leading=12,
                               textColor=colors.HexColor("#4a5360")),
    }


def _text(value):
    """Escape free text for reportlab's mini-markup and keep its line breaks."""
    return escape(value).replace("\n", "<br/>")


def handover_pdf(case):
    """Return the PDF (bytes) of the case's recommendations, in the active language."""
    regular, bold = _fonts()
    style = _styles(regular, bold)
    session_date = (date_format(timezone.localtime(case.session.starts_at), "SHORT_DATETIME_FORMAT")
                    if case.session else "–")
    signed_off = (date_format(timezone.localtime(case.recommendations_signed_off_at), "SHORT_DATE_FORMAT")
                  if case.recommendations_signed_off_at else "–")
    facts = [
        (_("Case number"), case.number),
        (_("Session"), session_date),
        (_("Group"), case.group.name),
        (_("Signed off"), signed_off),
    ]
    table = Table([[Paragraph(_text(label), style["label"]), Paragraph(_text(value), style["body"])]
                   for label, value in facts], colWidths=[45 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))

    items = [ListItem([Paragraph(_text(r.get_category_display()), style["label"]),
                       Paragraph(_text(r.text), style["body"])], leftIndent=14)
             for r in case.recommendations.order_by("position", "pk")]
    organisations, from_attendance = participating_organisations(case)
    story = [
        Paragraph(_text(_("Recommendations of the consultation group")), style["title"]),
        table,
        Paragraph(_text(_("Recommendations")), style["h2"]),
        ListFlowable(items, bulletType="1", bulletFontName=bold, leftIndent=14),
        Paragraph(_text(_("Taking part") if from_attendance else _("Member organisations of the group")), style["h2"]),
        ListFlowable([ListItem(Paragraph(_text(o), style["body"]), leftIndent=14) for o in organisations] or
                     [ListItem(Paragraph("–", style["body"]), leftIndent=14)],
                     bulletType="bullet", leftIndent=14),
        Spacer(1, 8 * mm),
        Paragraph(_text(_("The worker who brought the case remains responsible for the work with the family. File "
                          "this document in your own client record: the recommendations are destroyed in this "
                          "service 7 days after you confirm the handover.")), style["note"]),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                                 bottomMargin=20 * mm, title=_("Recommendations %(number)s") % {"number": case.number},
                                 author=case.group.name, subject="", creator="", producer="")
    document.build(story)
    return buffer.getvalue()
