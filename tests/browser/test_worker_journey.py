"""Issue 3, end to end: one worker in Debian's Chromium, from logging in to reading the group's
recommendations. A named case with two guardians goes the whole way (a draft saved and resumed,
an attachment downloaded back byte-identical, the recommendations read, handed over and rated);
an anonymous case refuses a personal identity code and is then withdrawn. The coordinator's and
chair's steps in between run through services/agenda.py, as the desk would call them. The browser
runs with JavaScript switched off: every portal page works without it."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.anonymity import MESSAGES
from apps.haastavat_erot.models import (
    BackgroundInformation,
    Case,
    CaseState,
    Feedback,
    RecommendationCategory,
)
from apps.haastavat_erot.services import agenda
from tests import upload_samples as samples
from tests.browser.fixtures import open_page
from tests.browser.portal_steps import book_slot, choose, label, log_in, record_consent, required_label

pytestmark = pytest.mark.browser

QUESTION = "Miten tukea lasta vaihtotilanteissa?"
RECOMMENDATION = "Lapsen tilanteen arvio lastenpsykiatrialla; valvotut vaihdot kolmen kuukauden ajan."


@pytest.fixture
def page(browser, live_server):
    """The `page` fixture's browser, with JavaScript disabled."""
    page = open_page(browser, live_server, java_script_enabled=False)
    yield page
    page.context.close()


def the_group_handles(world, case):
    """The coordinator accepts the case, publishes the agenda and records a recommendation; the
    chair signs it off."""
    agenda.case_schedule(case=case, by=world.coordinator)
    agenda.session_publish_agenda(session=case.session, by=world.coordinator)
    agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.ASSESSMENT,
                                 text=RECOMMENDATION)
    agenda.case_mark_handled(case=case, by=world.coordinator)
    agenda.recommendations_sign_off(case=case, by=world.chair)


def named_case_until_submitted(page, world, tmp_path):
    book_slot(page, world.group, world.sessions[0])
    case = Case.objects.get(worker=world.worker)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    record_consent(page, "Maija Meikäläinen")
    record_consent(page, "Matti Meikäläinen")
    consents = page.locator("section[aria-labelledby=consents-heading] tbody tr")
    expect(consents).to_have_count(2)
    expect(page.locator(".summary").first).to_contain_text(gettext("Named"))

    # A draft with an attachment, saved and left.
    pdf = tmp_path / "lausunto.pdf"
    pdf.write_bytes(samples.pdf(b"the statement of the school nurse"))
    page.get_by_role("link", name=gettext("Fill in the background information")).click()
    page.get_by_label(label("your question to the group"), exact=True).fill(QUESTION)
    page.get_by_label(required_label("age (years)")).fill("9")
    page.get_by_label(label("name"), exact=True).fill("Aino")
    page.get_by_label(label("threat of violence"), exact=True).check()
    page.get_by_label(gettext("Add attachments"), exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name=gettext("Save draft")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("The draft has been saved. You can continue later."))

    # Back later: resume the draft, get the file back, submit.
    page.goto(reverse("portal:home"))
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("link", name=gettext("Fill in the background information")).click()
    expect(page.get_by_label(label("your question to the group"), exact=True)).to_have_value(QUESTION)
    expect(page.get_by_label(label("name"), exact=True).first).to_have_value("Aino")
    expect(page.get_by_label(label("threat of violence"), exact=True)).to_be_checked()
    with page.expect_download() as download:
        page.get_by_role("link", name="lausunto.pdf").click()
    assert open(download.value.path(), "rb").read() == pdf.read_bytes()
    page.get_by_label(label("family situation"), exact=True).fill("Vanhemmat erosivat vuosi sitten.")
    page.get_by_role("button", name=gettext("Submit to the group")).click()
    expect(page.locator(".messages")).to_contain_text(
        gettext("The case has been submitted to the group's coordinator."))
    case = Case.objects.get(pk=case.pk)  # fresh: the model tracks the state it was loaded in
    assert case.state == CaseState.SUBMITTED and not case.is_anonymous
    return case


def read_and_acknowledge(page, case):
    page.goto(reverse("portal:home"))
    row = page.locator("tr", has=page.get_by_role("link", name=case.number))
    expect(row).to_contain_text(gettext("Read and acknowledge the group's recommendations."))
    row.get_by_role("link", name=case.number).click()
    page.get_by_role("link", name=gettext("The group's recommendations")).click()
    expect(page.locator("#recommendations")).to_contain_text(RECOMMENDATION)
    with page.expect_download() as download:
        page.get_by_role("link", name=gettext("Download the recommendations (PDF)")).click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    page.get_by_label(required_label("I have read the recommendations and filed them in my own client record.")).check()
    page.get_by_role("button", name=gettext("Confirm the handover")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("Thank you. The handover is confirmed."))
    expect(page.locator("#handover-confirmed")).to_be_visible()
    choose(page, gettext("How useful were the recommendations? (1 = not at all, 5 = very)"), "4")
    page.get_by_role("button", name=gettext("Send feedback")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("Thank you for your feedback."))


def anonymous_case_refuses_an_identity_code(page, world):
    page.goto(reverse("portal:home"))
    book_slot(page, world.group, world.sessions[1])
    case = Case.objects.filter(worker=world.worker).latest("pk")
    record_consent(page, answer="Refused")
    expect(page.locator(".summary").first).to_contain_text(gettext("Anonymous"))
    page.get_by_role("link", name=gettext("Fill in the background information")).click()
    expect(page.get_by_role("heading", name=gettext("This is an anonymous case"))).to_be_visible()
    expect(page.get_by_label(label("name"), exact=True)).to_have_count(0)  # children by age only
    question = page.get_by_label(label("your question to the group"), exact=True)
    typed = "Isä antoi tunnuksen 131052-308T; miten tukea lasta?"
    question.fill(typed)
    page.get_by_role("button", name=gettext("Save draft")).click()
    refusal = gettext(MESSAGES["identity_code"]) % {"text": "131052-308T"}
    expect(page.locator("#error-summary")).to_contain_text(refusal)
    expect(page.locator(".field-invalid", has=question)).to_contain_text(refusal)
    expect(question).to_have_value(typed)  # nothing typed is lost
    assert "131052" not in BackgroundInformation.objects.get(case=case).question
    question.fill("Miten tukea lasta?")
    page.get_by_role("button", name=gettext("Save draft")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("The draft has been saved. You can continue later."))
    return case


def withdraw(page, case):
    page.get_by_role("link", name=gettext("Back to the case")).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    page.get_by_role("link", name=gettext("Withdraw the case")).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/withdraw/$"))
    page.get_by_role("button", name=gettext("Withdraw the case")).click()
    expect(page.locator(".messages")).to_contain_text(
        gettext("Case %(number)s was withdrawn and its background information destroyed.") % {"number": case.number})
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    assert not BackgroundInformation.objects.filter(case=case).exists()


def test_worker_journey(page, live_server, world, tmp_path):
    log_in(page, world.worker)
    named = named_case_until_submitted(page, world, tmp_path)
    the_group_handles(world, named)
    read_and_acknowledge(page, named)
    named.refresh_from_db()
    assert named.state == CaseState.CLOSED
    assert Feedback.objects.get(case=named).usefulness == 4

    anonymous = anonymous_case_refuses_an_identity_code(page, world)
    withdraw(page, anonymous)
    page.goto(reverse("portal:home"))
    expect(page.locator("tbody tr")).to_have_count(2)
