"""The files section of the worker's case page, computed here so the case view stays as it is."""

from django import template


register = template.Library()


@register.inclusion_tag("haastavat_erot/portal/case_files.html", takes_context=True)
def case_files(context, case):
    """Show the case's files, the link to the background form and the consent-scan pages to
    whoever may see them (the worker on their own case page)."""
    user = context["request"].user
    if not user.has_perm("haastavat_erot.view_case_content", case):
        return {"case": case}
    can_scan = user.has_perm("haastavat_erot.manage_consents", case)
    return {
        "case": case,
        "can_edit": user.has_perm("haastavat_erot.edit_case", case),
        "attachments": case.attachments.filter(destruction_started_at__isnull=True).order_by("kind", "uploaded_at"),
        "consents": case.consents.filter(withdrawn_at__isnull=True) if can_scan else [],
    }
