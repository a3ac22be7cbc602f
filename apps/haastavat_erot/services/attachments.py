"""Adding and removing the files of a case: background attachments and consent-form scans."""

from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import uploads
from ..models import Attachment, AttachmentKind, Case

# Who may add or remove a file of each kind: the background form while the case is editable,
# consent scans as long as the consents may be changed.
KIND_PERMISSIONS = {
    AttachmentKind.BACKGROUND: "haastavat_erot.edit_case",
    AttachmentKind.CONSENT_SCAN: "haastavat_erot.manage_consents",
}


def _require(by, kind, case):
    if not by.has_perm(KIND_PERMISSIONS[AttachmentKind(kind)], case):
        raise PermissionDenied


def attachments_add(*, case, files, by, kind=AttachmentKind.BACKGROUND, consent=None):
    """Check each of `files` (uploads.check_upload; a form's CheckedUpload is not checked twice)
    and store them privately under random names; return the new attachments. A file Django
    spooled to disk is moved into the private storage, not copied.

    The case row is locked so that two requests at once cannot pass the count limit together.
    A rollback after the bytes are written leaves files without rows, which the sweep in
    purge.py removes.
    """
    with transaction.atomic() if files else nullcontext():
        return attachments_add_in_transaction(case=case, files=files, by=by, kind=kind, consent=consent)


def attachments_add_in_transaction(*, case, files, by, kind=AttachmentKind.BACKGROUND, consent=None):
    """attachments_add without a savepoint of its own, for a caller whose transaction is rolled
    back whole when this raises (booking.case_submit)."""
    _require(by, kind, case)
    if consent is not None and consent.case_id != case.pk:
        raise PermissionDenied
    if kind == AttachmentKind.CONSENT_SCAN and consent is None:
        raise ValidationError(_("Choose the consent the scan belongs to."), code="consent_required")
    if not files:
        return []
    if _lock_and_count(case) + len(files) > settings.ATTACHMENT_MAX_COUNT:
        raise uploads.too_many_files()
    attachments = []
    for upload in files:
        checked = uploads.check_upload(upload)
        attachment = Attachment(case=case, consent=consent, kind=kind, original_name=checked.display_name,
                                content_type=checked.content_type, size=checked.size, uploaded_by=by)
        attachment.file.save("upload", checked.file, save=False)
        attachments.append(attachment)
    return Attachment.objects.bulk_create(attachments)


def _lock_and_count(case):
    """Lock the case row, so that another request adding files waits here, and return how many
    files the case has. In SQL: on the submit's path the ORM took three times as long to build
    these two statements as MariaDB took to answer them (decision 36)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Case._meta.db_table} WHERE id = %s FOR UPDATE", [case.pk])
        cursor.execute(f"SELECT COUNT(*) FROM {Attachment._meta.db_table} "
                       "WHERE case_id = %s AND destruction_started_at IS NULL", [case.pk])
        return cursor.fetchone()[0]


def attachment_remove(*, attachment, by):
    """Remove a file at the worker's request: mark the row and commit, remove the bytes, delete
    the row (DESIGN.md: never remove bytes a rollback could leave a row pointing at). If removing
    the bytes fails, the marked row stays hidden and the case's destruction finishes the work."""
    _require(by, attachment.kind, attachment.case)
    with transaction.atomic():
        marked = Attachment.objects.filter(pk=attachment.pk, destruction_started_at__isnull=True).update(
            destruction_started_at=timezone.now())
    if not marked:
        return
    storage = storages["private"]
    try:
        storage.delete(attachment.file.name)
    except FileNotFoundError:
        pass
    except OSError:
        return
    if not storage.exists(attachment.file.name):
        Attachment.objects.filter(pk=attachment.pk).delete()
