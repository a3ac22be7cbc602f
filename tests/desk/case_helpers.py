"""Helpers of the desk tests: verified desk clients, URLs, attachments, family-data checks."""


from django.core.files.base import ContentFile
from django.urls import reverse

from apps.haastavat_erot.models import Attachment, AttachmentKind, CaseState
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.conftest import message_text
from tests.conftest import verified_client

# What the builders put in a case: none of it may ever appear in an e-mail.
FAMILY_DATA = ["Maija", "Matti", "Meikäläinen", "Aino", "Miten tukea lasta", "Vanhemmat erosivat", "Perustelu",
               "Tarkenna"]


def desk(client, user):
    user.refresh_from_db()
    return verified_client(client, user)


def url(name, *args):
    return reverse("admin:haastavat_erot_case_" + name, args=args)


def scheduled_unpublished(world, session=None):
    """A case accepted onto the agenda whose session's agenda is not yet published."""
    case = case_in_state(world, CaseState.SUBMITTED, session=session)
    agenda.case_schedule(case=case, by=world.coordinator)
    case.refresh_from_db()
    return case


def add_attachment(case, name="lausunto.pdf", data=b"%PDF-1.4 test"):
    return Attachment.objects.create(
        case=case, kind=AttachmentKind.BACKGROUND, file=ContentFile(data, name="upload"), original_name=name,
        content_type="application/pdf", size=len(data),
        uploaded_by=case.worker)


def assert_no_family_text(text):
    for fragment in FAMILY_DATA:
        assert fragment not in text, fragment


def assert_no_family_data(messages):
    """Every e-mail sent (there must be some) is free of the family's details."""
    assert messages
    for message in messages:
        assert_no_family_text(message_text(message))
