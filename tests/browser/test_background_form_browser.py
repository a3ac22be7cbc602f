"""The background form in a real browser: fill it in with an attachment, save a draft, come back
later, download the file back and submit."""

import re

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import Attachment, CaseState
from tests import upload_samples as samples
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state, record_consents

pytestmark = pytest.mark.browser


def label(msgid):
    return capfirst(gettext(msgid))


def test_worker_fills_in_saves_resumes_and_submits(page, live_server, world, tmp_path):
    case = case_in_state(world, CaseState.DRAFT)
    record_consents(case)
    pdf = tmp_path / "lausunto.pdf"
    pdf.write_bytes(samples.pdf())
    png = tmp_path / "piirros.png"
    png.write_bytes(samples.png())
    plant_session(page, live_server, world.worker)

    page.goto(reverse("portal:case_detail", args=[case.pk]))
    page.get_by_role("link", name=gettext("Fill in the background information")).click()
    assert axe_violations(page) == []
    page.get_by_label(label("your question to the group"), exact=True).fill("Miten tukea lasta vaihdoissa?")
    page.get_by_label(re.compile("^" + re.escape(label("age (years)")))).fill("9")  # "(required)" follows
    page.get_by_label(label("name"), exact=True).fill("Aino")
    page.get_by_label(label("threat of violence"), exact=True).check()
    page.get_by_label(gettext("Add attachments"), exact=True).set_input_files([str(pdf), str(png)])  # two at once
    page.get_by_role("button", name=gettext("Save draft")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("The draft has been saved. You can continue later."))

    page.goto(reverse("portal:home"))  # away, and back later
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("link", name=gettext("Fill in the background information")).click()
    expect(page.get_by_label(label("your question to the group"), exact=True)).to_have_value(
        "Miten tukea lasta vaihdoissa?")
    expect(page.get_by_label(label("threat of violence"), exact=True)).to_be_checked()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="lausunto.pdf").click()
    assert open(download_info.value.path(), "rb").read() == samples.pdf()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="piirros.png").click()
    assert open(download_info.value.path(), "rb").read() == samples.png()

    page.get_by_role("button", name=re.compile(re.escape(gettext("Submit to the group")))).click()
    expect(page.locator(".error-summary")).to_contain_text(gettext("Describe the family situation."))
    assert axe_violations(page) == []  # with the errors shown
    expect(page.get_by_label(label("your question to the group"), exact=True)).to_have_value(
        "Miten tukea lasta vaihdoissa?")
    page.get_by_label(label("family situation"), exact=True).fill("Vanhemmat erosivat vuosi sitten.")
    page.get_by_role("button", name=gettext("Submit to the group")).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('portal:case_detail', args=[case.pk])}")
    expect(page.locator(".messages")).to_contain_text(gettext("The case has been submitted to the group's coordinator."))
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert sorted(Attachment.objects.filter(case=case).values_list("original_name", flat=True)) == [
        "lausunto.pdf", "piirros.png"]
