"""Files on disk that no attachment row names (an upload whose transaction rolled back, a file
left by a crash) are swept once older than ORPHAN_FILE_SAFETY_HOURS, and only then."""

import os
import time

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
