"""The worker reads the signed-off recommendations, downloads them as a PDF for their own client
record, confirms the handover (which starts the 7-day destruction clock) and gives feedback.
Another worker gets a 404 on every URL; after destruction only the receipt remains."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from apps.haastavat_erot.models import (
    AccessAction,
    AccessLogEntry,
    CaseState,
    ExpertOrganisation,
    Feedback,
    RecommendationCategory,
    SessionDeclaration,
)
from apps.haastavat_erot.models.cases import RECOMMENDATIONS_KEPT_AFTER_ACKNOWLEDGEMENT
from apps.haastavat_erot.purge import run_destruction
from tests.recommendation_builders import SECOND_TEXT, handled_case, signed_off_case

FIRST_TEXT = "Lapsen tilanteen arvio lastenpsykiatrialla."


def url(name, case):
    return reverse("portal:" + name, args=[case.pk])


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    reader = PdfReader(BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_worker_reads_the_signed_off_recommendations_own(client, world):
    case = signed_off_case(world)
    client.force_login(world.worker)
    response = client.get(url("case_recommendations", case))
    assert response.status_code == 200
    content = response.content.decode()
    assert FIRST_TEXT in content and SECOND_TEXT in content
    assert url("recommendations_pdf", case) in content
    assert url("case_recommendations", case) in client.get(url("case_detail", case)).content.decode()
    assert AccessLogEntry.objects.filter(case=case, user=world.worker,
                                         action=AccessAction.VIEW_RECOMMENDATIONS).exists()


def test_worker_sees_nothing_before_sign_off_own(client, world):
    case = handled_case(world)
    client.force_login(world.worker)
    response = client.get(url("case_recommendations", case))
    assert response.status_code == 200
    assert FIRST_TEXT not in response.content.decode() and SECOND_TEXT not in response.content.decode()
    assert response.context["recommendations"] == []
    assert client.get(url("recommendations_pdf", case)).status_code == 404
    assert client.post(url("recommendations_acknowledge", case), {"filed": "on"}).status_code == 404
    assert client.post(url("recommendations_feedback", case), {"usefulness": "5"}).status_code == 404
    case.refresh_from_db()
    assert case.recommendations_acknowledged_at is None and not Feedback.objects.filter(case=case).exists()


def test_pdf_carries_the_recommendations_and_no_family_data(client, world):
    case = signed_off_case(world)
    client.force_login(world.worker)
    text = pdf_text(client.get(url("recommendations_pdf", case)))
    flat = " ".join(text.split())
    assert case.number in flat
    assert FIRST_TEXT in flat and " ".join(SECOND_TEXT.split()) in flat
    assert world.group.name in flat
    for organisation in (ExpertOrganisation.POLICE, ExpertOrganisation.FAMILY_LAW, ExpertOrganisation.CHILD_GUIDANCE):
        assert str(organisation.label) in flat  # no attendance recorded: the group's member organisations
    for secret in ("Maija", "Matti", "Meikäläinen", "Aino", "Miten tukea lasta", "Vanhemmat erosivat",
                   world.worker.last_name, world.chair.last_name):
        assert secret not in flat
    assert AccessLogEntry.objects.filter(case=case, user=world.worker, action=AccessAction.DOWNLOAD_HANDOVER).exists()


def test_pdf_lists_the_attending_organisations_once_attendance_is_recorded(client, world):
    case = signed_off_case(world)
    SessionDeclaration.objects.create(session=case.session, user=world.expert, attended=True)
    SessionDeclaration.objects.create(session=case.session, user=world.expert2, attended=False)
    client.force_login(world.worker)
    flat = " ".join(pdf_text(client.get(url("recommendations_pdf", case))).split())
    assert str(ExpertOrganisation.POLICE.label) in flat
    assert str(ExpertOrganisation.FAMILY_LAW.label) not in flat


def test_confirming_the_handover_starts_the_destruction_clock(client, world):
    case = signed_off_case(world)
    client.force_login(world.worker)
    refused = client.post(url("recommendations_acknowledge", case), {})
    assert refused.status_code == 400 and refused.context["handover_form"].errors["filed"]
    case.refresh_from_db()
    assert case.recommendations_acknowledged_at is None
    response = client.post(url("recommendations_acknowledge", case), {"filed": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    acknowledged = case.recommendations_acknowledged_at
    assert case.recommendations_due_at == acknowledged + RECOMMENDATIONS_KEPT_AFTER_ACKNOWLEDGEMENT
    page = client.get(url("case_recommendations", case))
    assert page.context["handover_form"] is None and FIRST_TEXT in page.content.decode()


def test_feedback_is_saved_and_can_be_changed_own(client, world):
    case = signed_off_case(world)
    client.force_login(world.worker)
    assert client.post(url("recommendations_feedback", case), {"usefulness": "9"}).status_code == 400
    assert client.post(url("recommendations_feedback", case),
                       {"usefulness": "4", "comment": "Hyödyllinen."}).status_code == 302
    assert client.post(url("recommendations_feedback", case), {"usefulness": "5", "comment": ""}).status_code == 302
    feedback = Feedback.objects.get(case=case)
    assert (feedback.usefulness, feedback.comment) == (5, "")


def test_feedback_comment_of_an_anonymous_case_refuses_a_phone_number(client, world):
    case = signed_off_case(world, named=False)
    client.force_login(world.worker)
    response = client.post(url("recommendations_feedback", case), {"usefulness": "3", "comment": "Soita 040 1234567"})
    assert response.status_code == 400 and response.context["feedback_form"].errors["comment"]
    assert not Feedback.objects.filter(case=case).exists()


@pytest.mark.parametrize("name,method", [("case_recommendations", "get"), ("recommendations_pdf", "get"),
                                         ("recommendations_acknowledge", "post"),
                                         ("recommendations_feedback", "post")])
def test_other_worker_gets_404_not_allowed(client, world, name, method):
    case = signed_off_case(world)
    client.force_login(world.other_worker)
    response = getattr(client, method)(url(name, case), {"filed": "on", "usefulness": "1"} if method == "post" else {})
    assert response.status_code == 404
    assert FIRST_TEXT not in response.content.decode()
    case.refresh_from_db()
    assert case.recommendations_acknowledged_at is None and not Feedback.objects.filter(case=case).exists()


def test_after_destruction_the_page_shows_the_receipt_and_no_text(client, world):
    case = signed_off_case(world)
    client.force_login(world.worker)
    client.post(url("recommendations_feedback", case), {"usefulness": "4", "comment": "Hyödyllinen."})
    client.post(url("recommendations_acknowledge", case), {"filed": "on"})
    run_destruction(as_of=timezone.now() + timedelta(days=8), sweep=False)
    case.refresh_from_db()
    assert case.recommendations_destroyed_at is not None
    response = client.get(url("case_recommendations", case))
    content = response.content.decode()
    assert response.status_code == 200
    assert FIRST_TEXT not in content and SECOND_TEXT not in content
    assert list(response.context["receipts"]) and "recommendations-destroyed" in content
    assert client.get(url("recommendations_pdf", case)).status_code == 404
    assert client.post(url("recommendations_feedback", case), {"usefulness": "1"}).status_code == 404
    assert Feedback.objects.get(case=case).usefulness == 4 and Feedback.objects.get(case=case).comment == ""


@pytest.mark.browser
def test_worker_reads_downloads_and_confirms_the_handover_in_a_browser(page, live_server, world):
    from playwright.sync_api import expect

    from tests.browser.fixtures import plant_session

    case = signed_off_case(world)
    plant_session(page, live_server, world.worker)
    page.goto(url("case_detail", case))
    page.get_by_role("link", name=gettext("The group's recommendations")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator("#recommendations")).to_contain_text(FIRST_TEXT)
    expect(page.locator("#recommendations")).to_contain_text(str(RecommendationCategory.SERVICE_REFERRAL.label))

    with page.expect_download() as download_info:
        page.get_by_role("link", name=gettext("Download the recommendations (PDF)")).click()
    download = download_info.value
    assert download.suggested_filename == f"{case.number}.pdf"
    with open(download.path(), "rb") as handle:
        text = " ".join("\n".join(p.extract_text() for p in PdfReader(handle).pages).split())
    assert case.number in text and FIRST_TEXT in text and "Meikäläinen" not in text

    page.get_by_label(gettext("I have read the recommendations and filed them in my own client record.")).check()
    page.get_by_role("button", name=gettext("Confirm the handover")).click()
    expect(page.locator("#handover-confirmed")).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    acknowledged = case.recommendations_acknowledged_at
    assert case.recommendations_due_at == acknowledged + RECOMMENDATIONS_KEPT_AFTER_ACKNOWLEDGEMENT
