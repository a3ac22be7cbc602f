"""Uploads: the type is read from the bytes, active content and polyglots are refused, limits
hold, files live privately under random names and come back only as downloads to those allowed."""

import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext

from apps.haastavat_erot import uploads
from apps.haastavat_erot.models import AccessLogEntry, Attachment, AttachmentKind, CaseState
from apps.haastavat_erot.services.attachments import attachment_remove, attachments_add
from tests import upload_samples as samples
from tests.builders import case_in_state


@pytest.fixture
def draft(world):
    return case_in_state(world, CaseState.DRAFT)


def add(case, name, data, by, *, spooled=False):
    upload = samples.upload(name, data, spooled=spooled)
    try:
        [attachment] = attachments_add(case=case, files=[upload], by=by)
    finally:
        upload.close()  # as Django does at the end of a request
    return attachment


# A file in a request over FILE_UPLOAD_MAX_MEMORY_SIZE arrives spooled to disk, and libmagic reads
# it from there: every check must give the same answer either way.
SPOOLED = pytest.mark.parametrize("spooled", [False, True], ids=["in memory", "spooled to disk"])


@pytest.mark.parametrize(("name", "data", "content_type", "stored_name"), [
    ("lausunto.pdf", samples.pdf(), "application/pdf", "lausunto.pdf"),
    ("piirros.png", samples.png(), "image/png", "piirros.png"),
    ("kuva.jpeg", samples.jpeg(), "image/jpeg", "kuva.jpg"),
    ("muistio.docx", samples.docx(), uploads.DOCX, "muistio.docx"),
    ("named-wrong.pdf", samples.png(), "image/png", "named-wrong.png"),
    ("no-extension", samples.docx(), uploads.DOCX, "no-extension.docx"),
    ("html-inside.pdf", samples.pdf(extra=samples.HTML), "application/pdf", "html-inside.pdf"),
])
@SPOOLED
def test_documents_and_images_are_accepted_by_their_content(draft, world, name, data, content_type, stored_name,
                                                             spooled):
    attachment = add(draft, name, data, world.worker, spooled=spooled)
    assert (attachment.content_type, attachment.original_name, attachment.size) == (content_type, stored_name,
                                                                                      len(data))
    assert attachment.kind == AttachmentKind.BACKGROUND


@pytest.mark.parametrize(("name", "data", "code"), [
    ("sivu.html", samples.HTML, "active_content"),
    ("lausunto.pdf", samples.HTML, "active_content"),  # HTML named .pdf
    ("kuva.svg", samples.SVG, "active_content"),
    ("kuva.png", samples.SVG, "active_content"),
    ("ohje.pdf", samples.SCRIPT, "active_content"),
    ("polyglot.png", samples.png(extra=samples.HTML), "active_content"),  # an image carrying a page
    ("polyglot.pdf", b"%PDF-1.4\n" + samples.HTML, "active_content"),  # a page a browser would sniff
    ("arkisto.zip", b"PK\x05\x06" + b"\x00" * 18, "file_type_not_allowed"),
    ("kuva.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "file_type_not_allowed"),
    ("teksti.txt", "Pelkkää tekstiä.".encode(), "file_type_not_allowed"),
    ("tyhja.pdf", b"", "file_empty"),
])
@SPOOLED
def test_active_content_polyglots_and_other_types_are_refused(draft, world, name, data, code, spooled):
    with pytest.raises(ValidationError) as refused:
        add(draft, name, data, world.worker, spooled=spooled)
    assert refused.value.code == code
    assert not Attachment.objects.filter(case=draft).exists()


def test_a_file_over_the_size_limit_is_refused(draft, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        add(draft, "iso.pdf", samples.pdf(), world.worker)
    assert refused.value.code == "file_too_big"


def test_more_files_than_the_count_limit_are_refused(draft, world, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    add(draft, "a.pdf", samples.pdf(), world.worker)
    add(draft, "b.pdf", samples.pdf(), world.worker)
    with pytest.raises(ValidationError) as refused:
        add(draft, "c.pdf", samples.pdf(), world.worker)
    assert refused.value.code == "too_many_files"
    assert draft.attachments.count() == 2


@pytest.mark.django_db(transaction=True)
def test_requests_adding_files_at_once_cannot_pass_the_count_limit_together(world, settings):
    """Each request locks the case row before it counts: one waits for the other's commit and
    then counts its files too."""
    settings.ATTACHMENT_MAX_COUNT = 2
    case = case_in_state(world, CaseState.DRAFT)
    racers = 6
    barrier = threading.Barrier(racers)
    results = []

    def add_one(n):
        try:
            barrier.wait()
            add(case, f"liite-{n}.pdf", samples.pdf(), world.worker)
            results.append("added")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=add_one, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["added"] * 2 + ["too_many_files"] * (racers - 2)
    assert case.attachments.count() == 2


@pytest.mark.parametrize(("raw", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\tyontekija\\Lausunto.PDF", "Lausunto.pdf"),
    ("raportti\u202efdp.exe", "raporttifdp.pdf"),  # a right-to-left override hiding the real extension
    ("<script>alert(1)</script>.pdf", "script.pdf"),
    ('<img src=x onerror="alert(1)">.pdf', "img src=x onerror=_alert(1).pdf"),
    ("a\x00b\nc.pdf", "abc.pdf"),
    ("...", None),
    ("x" * 300 + ".pdf", "x" * uploads.MAX_NAME_LENGTH + ".pdf"),
])
def test_display_names_are_sanitised(raw, expected):
    assert uploads.display_name(raw, "application/pdf") == (expected or gettext("attachment") + ".pdf")


def test_the_file_is_stored_privately_under_a_random_name(draft, world):
    data = samples.pdf()
    attachment = add(draft, "Perheen tilanne.pdf", data, world.worker)
    path = Path(storages["private"].path(attachment.file.name)).resolve()
    assert path.read_bytes() == data
    assert re.fullmatch(r"\d{4}/\d{2}/[0-9a-f]{32}", attachment.file.name)
    assert "Perheen" not in str(path)
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert Path(public).resolve() not in path.parents
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_removing_a_file_removes_its_bytes_and_row(draft, world):
    attachment = add(draft, "a.pdf", samples.pdf(), world.worker)
    path = Path(storages["private"].path(attachment.file.name))
    attachment_remove(attachment=attachment, by=world.worker)
    assert not path.exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_only_the_owner_adds_files_to_an_editable_case(world):
    from django.core.exceptions import PermissionDenied

    draft = case_in_state(world, CaseState.DRAFT)
    with pytest.raises(PermissionDenied):
        add(draft, "a.pdf", samples.pdf(), world.other_worker)
    submitted = case_in_state(world, CaseState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        add(submitted, "a.pdf", samples.pdf(), world.worker)


# --- the download view --------------------------------------------------------------------------
def test_download_sends_the_bytes_as_an_attachment_with_the_sniffed_type(client, draft, world):
    data = samples.png()
    attachment = add(draft, "piirros ääkkösin.png", data, world.worker)
    client.force_login(world.worker)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''piirros%20%C3%A4%C3%A4kk%C3%B6sin.png" in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(user=world.worker, case=draft).count() == 1


def test_a_pdf_with_html_inside_is_still_only_a_download(client, draft, world):
    attachment = add(draft, "x.pdf", samples.pdf(extra=samples.HTML), world.worker)
    client.force_login(world.worker)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["other_worker", "other_member", "county_admin", "superuser", "expert"])
def test_download_by_anyone_else_is_404_and_logs_nothing(client, draft, world, who):
    attachment = add(draft, "a.pdf", samples.pdf(), world.worker)
    client.force_login(getattr(world, who))
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_guessed_attachment_ids_are_404(client, draft, world):
    attachment = add(draft, "a.pdf", samples.pdf(), world.worker)
    client.force_login(world.worker)
    assert client.get(reverse("portal:attachment_download", args=[attachment.pk + 1000])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_download_needs_a_login(client, draft, world):
    attachment = add(draft, "a.pdf", samples.pdf(), world.worker)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- uploads through the portal -------------------------------------------------------------------
def test_html_named_pdf_is_refused_on_the_form_with_a_message(client, draft, world):
    client.force_login(world.worker)
    response = client.post(reverse("portal:background_form", args=[draft.pk]), {
        "action": "save", "question": "Kysymys", "children-TOTAL_FORMS": "0", "children-INITIAL_FORMS": "0",
        "file": samples.upload("lausunto.pdf", samples.HTML, "application/pdf")})
    assert response.status_code == 200
    assert response.context["attachment_form"].errors.as_data()["file"][0].code == "active_content"
    assert not Attachment.objects.exists()
    draft.background.refresh_from_db()
    assert draft.background.question == ""  # nothing saved, but the typed text is on the page again
    assert "Kysymys" in response.content.decode()


def test_a_file_spooled_to_disk_is_stored_whole_and_leaves_nothing_in_the_spool_folder(client, draft, world,
                                                                                         settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # the request spools its files to FILE_UPLOAD_TEMP_DIR
    spool = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert Path(storages["private"].location).resolve() in spool.resolve().parents
    client.force_login(world.worker)
    data = samples.pdf() * 20
    response = client.post(reverse("portal:background_form", args=[draft.pk]), {
        "action": "save", "children-TOTAL_FORMS": "0", "children-INITIAL_FORMS": "0",
        "file": samples.upload("lausunto.pdf", data, "application/pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=draft)
    with storages["private"].open(attachment.file.name) as stored:
        assert stored.read() == data
    assert attachment.size == len(data)
    assert list(spool.iterdir()) == []


def test_a_consent_scan_is_attached_to_its_consent(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    consent = case.consents.first()
    client.force_login(world.worker)
    url = reverse("portal:consent_scans", args=[case.pk, consent.pk])
    response = client.post(url, {"file": samples.upload("suostumus.pdf", samples.pdf())})
    assert response.status_code == 302
    scan = Attachment.objects.get(case=case)
    assert (scan.kind, scan.consent, scan.original_name) == (AttachmentKind.CONSENT_SCAN, consent, "suostumus.pdf")
    response = client.post(url, {"file": samples.upload("suostumus.pdf", samples.SVG)})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "active_content"
    client.post(reverse("portal:consent_scan_remove", args=[case.pk, consent.pk, scan.pk]))
    assert not Attachment.objects.filter(case=case).exists()


def test_another_workers_consent_scans_are_404(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    consent = case.consents.first()
    client.force_login(world.other_worker)
    url = reverse("portal:consent_scans", args=[case.pk, consent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": samples.upload("s.pdf", samples.pdf())}).status_code == 404
    assert not Attachment.objects.exists()


def test_the_bytes_of_an_oversize_file_are_dropped_while_it_arrives(rf, settings):
    settings.ATTACHMENT_MAX_BYTES = 100_000
    request = rf.post("/", {"question": "Kysymys", "file": samples.upload("iso.pdf", samples.pdf() * 200)})
    upload = request.FILES["file"]
    assert isinstance(upload, uploads.OversizeUpload)
    assert upload.size > 100_000 and upload.read() == b""
    assert request.POST["question"] == "Kysymys"
    small = rf.post("/", {"file": samples.upload("pieni.pdf", samples.pdf())}).FILES["file"]
    assert small.read() == samples.pdf()


def test_files_beyond_the_count_limit_are_not_kept_while_they_arrive(rf, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    request = rf.post("/", {"file": [samples.upload(f"{n}.pdf", samples.pdf()) for n in "abcd"]})
    kept, dropped = request.FILES.getlist("file")[:2], request.FILES.getlist("file")[2:]
    assert [upload.read() for upload in kept] == [samples.pdf(), samples.pdf()]
    assert all(isinstance(upload, uploads.OversizeUpload) and upload.read() == b"" for upload in dropped)


def test_spooling_uploads_outside_the_private_folder_is_a_configuration_error(settings):
    from apps.haastavat_erot.checks import uploads_spool_into_the_private_folder

    assert uploads_spool_into_the_private_folder(None) == []
    settings.FILE_UPLOAD_TEMP_DIR = "/tmp"
    assert [error.id for error in uploads_spool_into_the_private_folder(None)] == ["haastavat_erot.E004"]


def test_a_consent_scan_over_the_count_limit_is_refused_on_the_page(client, world, settings):
    case = case_in_state(world, CaseState.SUBMITTED)
    consent = case.consents.first()
    settings.ATTACHMENT_MAX_COUNT = 1
    client.force_login(world.worker)
    url = reverse("portal:consent_scans", args=[case.pk, consent.pk])
    assert client.post(url, {"file": samples.upload("a.pdf", samples.pdf())}).status_code == 302
    response = client.post(url, {"file": samples.upload("b.pdf", samples.pdf())})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "too_many_files"
    assert Attachment.objects.filter(case=case).count() == 1
