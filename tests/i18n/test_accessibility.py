"""axe-core (WCAG 2.1 A and AA) on every portal and public page, in each state, in Finnish,
Swedish and English: 0 violations. Each entry of PAGES brings the browser to one page state; the
test builds that state's data once and audits the page in each language in turn (building the
data three times would triple the cost of the slowest part). States are built with the services
and builders; the browser clicks only where the state is the result of a click (a form posted
with errors). A second test checks that the portal fits a phone without horizontal scrolling."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import AttachmentKind, CaseState, Session, User
from apps.haastavat_erot.services.attachments import attachments_add
from tests import upload_samples as samples
from tests.browser.axe import axe_violations
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state, fill_case, record_consents
from tests.recommendation_builders import handled_case, signed_off_case

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PHONE = {"width": 375, "height": 740}


class Once(dict):
    """The data of one state, built on the first language and reused for the others."""

    def __call__(self, make):
        if "value" not in self:
            self["value"] = make()
        return self["value"]


def speak(page, live_server, world, language):
    """Make `language` the visitor's (cookie) and the users' (remembered on the account)."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    User.objects.filter(pk__in=[world.worker.pk, world.coordinator.pk]).update(language=language)


def as_worker(page, live_server, world):
    plant_session(page, live_server, world.worker)


def goto_as_worker(page, live_server, world, name, *args):
    as_worker(page, live_server, world)
    page.goto(reverse("portal:" + name, args=args))


def submit(page, name=None):
    """Post the main form (or the button `name`) and wait for the answer."""
    button = page.locator("main form button[type=submit]") if name is None else page.get_by_role("button", name=name)
    button.first.click()
    expect(page.locator(".error-summary").first).to_be_visible()


def named_draft(world):
    """A draft with two guardians' consent to handling: a named case, background still empty."""
    case = case_in_state(world, CaseState.DRAFT)
    record_consents(case)
    return case


def filled_draft(world, *, named):
    case = fill_case(case_in_state(world, CaseState.DRAFT), named=named)
    attachments_add(case=case, files=[samples.upload("lausunto.pdf", samples.pdf(), "application/pdf")],
                    by=world.worker)
    return case


# --- Public pages and logging in -------------------------------------------------------------
def public_groups(page, live_server, world, once):
    page.goto(reverse("portal:public_groups"))


def public_group(page, live_server, world, once):
    def describe():
        world.group.public_description = "Monialainen asiantuntijaryhmä."
        world.group.save()
    once(describe)
    page.goto(reverse("portal:public_group", args=[world.group.county.slug, world.group.slug]))


def login_empty(page, live_server, world, once):
    page.goto(reverse("portal:login"))


def login_with_errors(page, live_server, world, once):
    login_empty(page, live_server, world, once)
    page.locator("#id_username").fill("nobody@hyvinvointialue.example")
    page.locator("#id_password").fill("wrong-password")
    submit(page)


def two_factor_enrolment(page, live_server, world, once):
    plant_session(page, live_server, world.coordinator, verified=False)
    page.goto(reverse("portal:two_factor"))


# --- Home and the case page ------------------------------------------------------------------
def home_empty(page, live_server, world, once):
    goto_as_worker(page, live_server, world, "home")


def home_with_cases(page, live_server, world, once):
    once(lambda: (case_in_state(world, CaseState.DRAFT), case_in_state(world, CaseState.SCHEDULED)))
    home_empty(page, live_server, world, once)


def case_draft_with_consents(page, live_server, world, once):
    case = once(lambda: named_draft(world))
    goto_as_worker(page, live_server, world, "case_detail", case.pk)


def case_after_submit(page, live_server, world, once):
    case = once(lambda: case_in_state(world, CaseState.SUBMITTED))
    goto_as_worker(page, live_server, world, "case_detail", case.pk)


def case_withdraw_confirmation(page, live_server, world, once):
    case = once(lambda: named_draft(world))
    goto_as_worker(page, live_server, world, "case_withdraw", case.pk)


def case_change_session(page, live_server, world, once):
    case = once(lambda: case_in_state(world, CaseState.DRAFT))
    goto_as_worker(page, live_server, world, "case_rebook", case.pk)


# --- Booking ---------------------------------------------------------------------------------
def booking_county(page, live_server, world, once):
    goto_as_worker(page, live_server, world, "book")


def booking_groups(page, live_server, world, once):
    as_worker(page, live_server, world)
    page.goto(reverse("portal:book") + f"?county={world.group.county.slug}")


def booking_sessions(page, live_server, world, once):
    once(lambda: case_in_state(world, CaseState.DRAFT))  # one slot taken
    as_worker(page, live_server, world)
    page.goto(reverse("portal:book") + f"?group={world.group.pk}")


def booking_form_empty(page, live_server, world, once):
    as_worker(page, live_server, world)
    page.goto(reverse("portal:book_case", args=[world.group.pk]) + f"?session={world.sessions[0].pk}")


def booking_form_with_errors(page, live_server, world, once):
    booking_form_empty(page, live_server, world, once)
    page.locator("#id_eligibility_reasoning").fill("Äidin numero on 040 123 4567.")
    submit(page)


# --- Consents --------------------------------------------------------------------------------
def consent_form_empty(page, live_server, world, once):
    case = once(lambda: case_in_state(world, CaseState.DRAFT))
    goto_as_worker(page, live_server, world, "consent_add", case.pk)


def consent_form_with_errors(page, live_server, world, once):
    consent_form_empty(page, live_server, world, once)
    submit(page)


def consent_change_to_anonymous_with_errors(page, live_server, world, once):
    """Changing a named guardian's answer to "refused" asks for a confirmation first."""
    case = once(lambda: named_draft(world))
    goto_as_worker(page, live_server, world, "consent_edit", case.pk, case.consents.first().pk)
    page.locator('input[name="handling"][value="refused"]').check()
    page.locator("#id_guardian_name").fill("")
    submit(page)


def consent_withdraw_confirmation(page, live_server, world, once):
    case = once(lambda: named_draft(world))
    goto_as_worker(page, live_server, world, "consent_withdraw", case.pk, case.consents.first().pk)


def consent_scans(page, live_server, world, once):
    def with_scan():
        case = named_draft(world)
        consent = case.consents.first()
        attachments_add(case=case, files=[samples.upload("suostumus.png", samples.png(), "image/png")],
                        by=world.worker, kind=AttachmentKind.CONSENT_SCAN, consent=consent)
        return case, consent
    case, consent = once(with_scan)
    goto_as_worker(page, live_server, world, "consent_scans", case.pk, consent.pk)


def consent_scans_with_errors(page, live_server, world, once):
    consent_scans(page, live_server, world, once)
    submit(page, gettext("Add the scan"))


# --- The background information form -------------------------------------------------------
def background_empty(page, live_server, world, once):
    case = once(lambda: named_draft(world))
    goto_as_worker(page, live_server, world, "background_form", case.pk)


def background_with_errors(page, live_server, world, once):
    background_empty(page, live_server, world, once)
    submit(page, gettext("Submit to the group"))


def background_filled_named(page, live_server, world, once):
    case = once(lambda: filled_draft(world, named=True))
    goto_as_worker(page, live_server, world, "background_form", case.pk)


def background_filled_anonymous(page, live_server, world, once):
    case = once(lambda: filled_draft(world, named=False))
    goto_as_worker(page, live_server, world, "background_form", case.pk)


def background_anonymous_with_errors(page, live_server, world, once):
    background_filled_anonymous(page, live_server, world, once)
    page.locator("#id_question").fill("Isän tunnus on 131052-308T.")
    submit(page, gettext("Save draft"))


def background_returned(page, live_server, world, once):
    case = once(lambda: case_in_state(world, CaseState.RETURNED))
    goto_as_worker(page, live_server, world, "background_form", case.pk)


# --- Recommendations -------------------------------------------------------------------------
def recommendations_before_sign_off(page, live_server, world, once):
    case = once(lambda: handled_case(world))
    goto_as_worker(page, live_server, world, "case_recommendations", case.pk)


def recommendations_signed_off(page, live_server, world, once):
    case = once(lambda: signed_off_case(world))
    goto_as_worker(page, live_server, world, "case_recommendations", case.pk)


def recommendations_handover_with_errors(page, live_server, world, once):
    recommendations_signed_off(page, live_server, world, once)
    submit(page, gettext("Confirm the handover"))


def recommendations_feedback_with_errors(page, live_server, world, once):
    recommendations_signed_off(page, live_server, world, once)
    page.locator("#id_comment").fill("Äidin sähköposti on maija@example.com.")
    submit(page, gettext("Send feedback"))


def recommendations_acknowledged(page, live_server, world, once):
    case = once(lambda: case_in_state(world, CaseState.CLOSED))
    goto_as_worker(page, live_server, world, "case_recommendations", case.pk)


# --- On a phone ------------------------------------------------------------------------------
def phone_home(page, live_server, world, once):
    page.set_viewport_size(PHONE)
    home_with_cases(page, live_server, world, once)


def phone_background_form(page, live_server, world, once):
    page.set_viewport_size(PHONE)
    background_filled_named(page, live_server, world, once)


PAGES = [
    public_groups, public_group, login_empty, login_with_errors, two_factor_enrolment,
    home_empty, home_with_cases, case_draft_with_consents, case_after_submit, case_withdraw_confirmation,
    case_change_session,
    booking_county, booking_groups, booking_sessions, booking_form_empty, booking_form_with_errors,
    consent_form_empty, consent_form_with_errors, consent_change_to_anonymous_with_errors,
    consent_withdraw_confirmation, consent_scans, consent_scans_with_errors,
    background_empty, background_with_errors, background_filled_named, background_filled_anonymous,
    background_anonymous_with_errors, background_returned,
    recommendations_before_sign_off, recommendations_signed_off, recommendations_handover_with_errors,
    recommendations_feedback_with_errors, recommendations_acknowledged,
    phone_home, phone_background_form,
]


UNTIED_ERRORS = """() => [...document.querySelectorAll('main .errorlist')]
  .filter(list => !list.id || !document.querySelector(`[aria-describedby~="${list.id}"]`))
  .map(list => list.textContent.trim())"""


def untied_errors(page):
    """Return the error messages that no field refers to with aria-describedby (WCAG 3.3.1)."""
    return [f"{page.url} error not tied to its field: {text}" for text in page.evaluate(UNTIED_ERRORS)]


@pytest.mark.parametrize("state", PAGES, ids=lambda f: f.__name__)
def test_no_wcag_violations(page, live_server, world, state):
    once, violations = Once(), []
    for language in LANGUAGES:
        speak(page, live_server, world, language)
        with translation.override(language):  # buttons are found by their name in the page's language
            state(page, live_server, world, once)
        expect(page.locator("html")).to_have_attribute("lang", language)
        violations += [f"{language}: {violation}" for violation in axe_violations(page) + untied_errors(page)]
    assert violations == []


PHONE_PAGES = [home_with_cases, booking_sessions, booking_form_with_errors, case_draft_with_consents,
               consent_form_with_errors, consent_scans, background_filled_named, background_with_errors,
               recommendations_signed_off]


def test_the_portal_fits_a_phone(page, live_server, world):
    """Every page works on a phone: at 375 px nothing needs horizontal scrolling."""
    Session.objects.filter(pk=world.sessions[0].pk).update(capacity=20)  # a case for each page
    page.set_viewport_size(PHONE)
    too_wide = []
    for state in PHONE_PAGES:
        state(page, live_server, world, Once())
        width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            too_wide.append(f"{state.__name__}: {width[0]} px wide in a {width[1]} px window")
    assert too_wide == []
