"""Serving uploaded files: only through this view, only to those the rules allow, always as a
download (never rendered inline), and every download is logged."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from ...audit import log_access
from ...uploads import ALLOWED_TYPES
from ...models import AccessAction, Attachment


@never_cache
@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("case__session", "case__group"), pk=pk,
                                   destruction_started_at__isnull=True)
    if not request.user.has_perm("haastavat_erot.view_case_content", attachment.case):
        raise Http404  # the same answer as for an id that does not exist
    try:
        handle = storages["private"].open(attachment.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(user=request.user, case=attachment.case, action=AccessAction.DOWNLOAD_ATTACHMENT)
    # The type sniffed at upload (only allowed ones are stored); with nosniff and as an
    # attachment, a browser never renders it inline whatever the bytes hold.
    content_type = attachment.content_type if attachment.content_type in ALLOWED_TYPES else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
