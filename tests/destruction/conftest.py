"""Helpers for the destruction tests: attachments with real bytes in the private file store."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from apps.haastavat_erot.models import Attachment, AttachmentKind
from apps.haastavat_erot.models.content import attachment_path

# Identifying data planted in the cases, looked for in logs, job arguments and caches.
FAMILY_NAME = "Meikäläinen"


def private_root():
    return Path(storages["private"].location)


def file_path(attachment_or_name):
    name = getattr(attachment_or_name, "file", attachment_or_name)
    return private_root() / str(getattr(name, "name", name))


def attach(case, data=b"%PDF-1.4 lausunto\n", *, kind=AttachmentKind.BACKGROUND, consent=None):
    """Store `data` as a real file and an attachment row of `case`; return the row."""
    name = storages["private"].save(attachment_path(None, "x"), ContentFile(data))
    return Attachment.objects.create(
        case=case, consent=consent, kind=kind, file=name, original_name=f"{FAMILY_NAME}_lausunto.pdf",
        content_type="application/pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=case.worker)


@pytest.fixture
def attach_files():
    return attach
