"""Helpers for the destruction tests: attachments with real bytes in the private file store."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from apps.haastavat_erot.models import (
    Attachment,
    AttachmentKind,
    BackgroundInformation,
    Case,
    Child,
    Consent,
    DestructionReceipt,
    Recommendation,
)
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
        content_type="application/pdf", size=len(data),
        uploaded_by=case.worker)


def with_files(case, sizes=(1000, 234)):
    """Give the case a background attachment and a consent scan of the given sizes."""
    consent = Consent.objects.filter(case=case).first()
    return [attach(case, b"a" * sizes[0]),
            attach(case, b"s" * sizes[1], kind=AttachmentKind.CONSENT_SCAN, consent=consent)]


def snapshot(case):
    """Everything about a case that destruction could change, to prove it was not touched."""
    case = Case.objects.get(pk=case.pk)
    files = list(Attachment.objects.filter(case=case).order_by("pk"))
    return {
        "case": {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields},
        "background": list(BackgroundInformation.objects.filter(case=case).values()),
        "children": list(Child.objects.filter(background__case=case).values()),
        "consents": list(Consent.objects.filter(case=case).values()),
        "attachments": [(a.pk, a.destruction_started_at, file_path(a).read_bytes()) for a in files],
        "recommendations": list(Recommendation.objects.filter(case=case).values()),
        "receipts": list(DestructionReceipt.objects.filter(case=case).values()),
    }


def assert_content_gone(case, files):
    assert not BackgroundInformation.objects.filter(case=case).exists()
    assert not Child.objects.filter(background__case_id=case.pk).exists()
    assert not Consent.objects.filter(case=case).exists()
    assert not Attachment.objects.filter(case=case).exists()
    for attachment in files:
        assert not file_path(attachment).exists()
    case.refresh_from_db()
    assert case.content_destroyed_at is not None
    assert case.content_due_at is None


def kept_skeletons(*, session, worker, count, prefix="SK"):
    """Bulk-create `count` case skeletons that are not due: nine in ten fully destroyed (closed),
    one in ten handled with its due times still ahead. Return the number created."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.haastavat_erot.models import CaseState

    now = timezone.now()
    handled = now - timedelta(days=90)

    def skeleton(i):
        waiting = i % 10 == 0
        return Case(
            number=f"{prefix}-{i:08d}", group_id=session.group_id, session=session, worker=worker,
            sector=worker.sector, is_anonymous=bool(i % 2),
            state=CaseState.HANDLED if waiting else CaseState.CLOSED,
            created_at=handled, last_edited_at=handled, submitted_at=handled, scheduled_at=handled,
            handled_at=now if waiting else handled, closed_at=None if waiting else handled,
            content_due_at=now + timedelta(days=10) if waiting else None,
            recommendations_due_at=now + timedelta(days=60) if waiting else None,
            content_destroyed_at=None if waiting else handled + timedelta(days=1),
            recommendations_destroyed_at=None if waiting else handled + timedelta(days=60))

    Case.objects.bulk_create((skeleton(i) for i in range(count)), batch_size=2000)
    return count
