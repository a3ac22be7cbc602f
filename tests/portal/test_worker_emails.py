"""The e-mails of booking and submitting: sent through the real queue and a real SMTP server,
to the right people, with a link and the case number only."""

import re

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import reverse

from apps.haastavat_erot.models import CaseState
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


@pytest.mark.django_db(transaction=True)
def test_the_submit_queues_its_email_once_the_response_has_been_sent(world, queue, client):
    """A WSGI server (gunicorn) writes the response and then closes it: the e-mail job goes to
    Redis at the close, so the worker does not wait for the queue; nothing is lost."""
    case = booking.case_book(worker=world.worker, session=world.sessions[0], eligibility_reasoning="Perustelu.")
    fill_case(case)
    queue.empty()
    client.force_login(world.worker)
    path = reverse("portal:background_form", args=[case.pk])
    page = client.get(path).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields.update({"action": "submit", "question": "Miten tukea lasta?", "family_situation": "Vanhemmat erosivat.",
                   "children-0-age_years": "9", "children-0-name": "Aino"})
    body = encode_multipart(BOUNDARY, fields)
    environ = client._base_environ(REQUEST_METHOD="POST", PATH_INFO=path, CONTENT_TYPE=MULTIPART_CONTENT,
                                  CONTENT_LENGTH=str(len(body)), **{"wsgi.input": FakePayload(body)})
    environ["HTTP_COOKIE"] = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())

    response = WSGIHandler()(environ, lambda status, headers: None)
    assert response.status_code == 302, response.content
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED  # committed, and the response is ready to be sent
    assert queue.count == 0

    response.close()  # what gunicorn does after writing the response
    [job] = queue.get_jobs()
    assert job.args == ("case_submitted", case.pk)
