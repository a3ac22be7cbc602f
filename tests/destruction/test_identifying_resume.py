"""Identifying details after a consent withdrawal are destroyed at once by the consent service
(purge.withdraw_identifying_now); if that process dies halfway, the next run finishes it, once."""

import pytest
from django.utils import timezone

from apps.haastavat_erot.models import Attachment, Case, CaseState, Child, Consent, DestructionReceipt
from tests.builders import case_in_state

from .helpers import attach, file_path, with_files
from .subprocess_run import Child as Process
from .subprocess_run import run_destroy_due

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("point", ["after_mark", "file_removed#1", "before_commit", "none"])
def test_identifying_destruction_killed_halfway_is_finished_by_the_next_run(world, point):
    case = case_in_state(world, CaseState.SUBMITTED)
    case.background.family_situation = "Maija ja Aino asuvat kahdestaan."
    case.background.save()
    files = with_files(case)
    # What the consent service commits when a guardian withdraws, before the immediate destruction.
    Case.objects.filter(pk=case.pk).update(is_anonymous=True, consent_withdrawn_at=timezone.now())
    if point != "none":
        child = Process("shell", "-c", "from apps.haastavat_erot import purge\n"
                        f"purge.withdraw_identifying_now({case.pk})", pause_at=point)
        assert child.wait_for_pause()
        child.kill()

    code, summary, _out, err = run_destroy_due()
    assert code == 0 and summary["errors"] == 0, err
    assert summary["attachments"] == 2
    assert not Attachment.objects.filter(case=case).exists()
    assert not any(file_path(a).exists() for a in files)
    assert set(Consent.objects.filter(case=case).values_list("guardian_name", flat=True)) == {""}
    assert set(Child.objects.filter(background__case=case).values_list("name", flat=True)) == {""}
    case.refresh_from_db()
    assert "Maija" not in case.background.family_situation and "Aino" not in case.background.family_situation
    receipt = DestructionReceipt.objects.get(case=case)
    assert (receipt.scope, receipt.attachments) == (DestructionReceipt.Scope.IDENTIFYING, 2)

    # Done once: an anonymous attachment added later is left alone by the next runs.
    later = attach(case, b"anonymous")
    assert run_destroy_due()[1]["attachments"] == 0
    assert file_path(later).exists() and Attachment.objects.filter(pk=later.pk).exists()
