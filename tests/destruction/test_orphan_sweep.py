"""Files on disk that no attachment row names (an upload whose transaction rolled back, a file
left by a crash) are swept once older than ORPHAN_FILE_SAFETY_HOURS, and only then."""

import os
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from apps.haastavat_erot.models import CaseState
from apps.haastavat_erot.models.content import attachment_path
from apps.haastavat_erot.purge import run_destruction
from tests.builders import case_in_state

from .helpers import attach, file_path


def age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_orphans_are_swept_after_the_safety_age_only(world, settings):
    settings.ORPHAN_FILE_SAFETY_HOURS = 24
    case = case_in_state(world, CaseState.SUBMITTED)
    kept = attach(case, b"kept row")  # old, but its row exists
    age(file_path(kept), 48)
    try:  # an upload whose transaction rolled back: the bytes stayed, the row did not
        with transaction.atomic():
            rolled_back = attach(case, b"x" * 321)
            raise RuntimeError
    except RuntimeError:
        pass
    old_orphan = file_path(rolled_back)
    assert old_orphan.exists()
    age(old_orphan, 25)
    young_orphan = file_path(storages["private"].save(attachment_path(None, "y"), ContentFile(b"young")))
    age(young_orphan, 23)

    summary = run_destruction()
    assert not old_orphan.exists()
    assert young_orphan.exists() and file_path(kept).exists()
    assert summary.orphan_files >= 1 and summary.bytes >= 321 and summary.cases == 0
    young_orphan.unlink()


def test_an_upload_spooled_by_a_killed_process_is_swept_from_the_spool_folder(world, settings):
    """Large uploads spool into the private folder (FILE_UPLOAD_TEMP_DIR), so the bytes a process
    killed mid-request leaves behind are found by the same sweep, not left in /tmp."""
    spool = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert Path(storages["private"].location).resolve() in spool.resolve().parents
    spool.mkdir(parents=True, exist_ok=True)
    left_behind, in_flight = spool / "tmpkilled.upload.pdf", spool / "tmpnow.upload.pdf"
    left_behind.write_bytes(b"%PDF-1.4 half an upload")
    in_flight.write_bytes(b"%PDF-1.4 arriving")
    age(left_behind, settings.ORPHAN_FILE_SAFETY_HOURS + 1)

    run_destruction()
    assert not left_behind.exists()
    assert in_flight.exists()
    in_flight.unlink()
