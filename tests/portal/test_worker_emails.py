"""The e-mails of booking and submitting: sent through the real queue and a real SMTP server,
to the right people, with a link and the case number only."""

from django.conf import settings
from django.urls import reverse

from apps.haastavat_erot.services import booking
from tests.builders import fill_case
from tests.conftest import message_text, run_jobs
from tests.desk.case_helpers import assert_no_family_data


def test_booking_and_submitting_send_links_only(world, mailbox, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = booking.case_book(worker=world.worker, session=world.sessions[0], eligibility_reasoning="Perustelu.")
    fill_case(case)
    with django_capture_on_commit_callbacks(execute=True):
        booking.case_submit(case=case, by=world.worker)
    run_jobs()

    [to_worker] = mailbox.to(world.worker.email)
    assert case.number in to_worker["Subject"]
    assert settings.SITE_URL + reverse("portal:case_detail", args=[case.pk]) in message_text(to_worker)
    [to_coordinator] = mailbox.to(world.coordinator.email)
    assert case.number in to_coordinator["Subject"]
    assert settings.SITE_URL in message_text(to_coordinator)
    assert not mailbox.to(world.expert.email) and not mailbox.to(world.other_member.email)
    assert_no_family_data(mailbox)
