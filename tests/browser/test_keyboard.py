"""Issue 8: a keyboard-only worker submits a case from start to end (book a slot, record the
consent, fill in the background information, submit) with Tab, Shift+Tab, Enter, Space, the arrow
keys and typing only: no click, no fill. Every element that takes the focus shows it, and the
skip link takes the focus past the header."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import Case, CaseState, ConsentMethod
from tests.browser.fixtures import plant_session

pytestmark = pytest.mark.browser

MAX_TABS = 80

# The focused element and whether it shows the focus: an outline or a box shadow that is drawn.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'BODY', visible: false};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  // A date field's calendar button is a tab stop inside the field's own (closed) shadow tree:
  // the field does not match :focus then, and Chromium draws its own ring round the button.
  if (el.type === 'date' && !el.matches(':focus')) return {tag: 'DATE-PICKER', visible: true};
  return {tag: el.tagName, id: el.id, name: el.getAttribute('name'), value: el.value,
          visible: (outline || shadow) && box.width > 0 && box.height > 0};
}"""


def focused(page):
    return page.evaluate(FOCUS_STATE)


def tab_to(page, selector, *, backwards=False):
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus, checking at
    every stop that the focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] != "BODY":
            assert state["visible"], f"the focus is not visible on {state}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def skip_to_content(page):
    """Use the skip link: it is the first stop, it shows when focused, and it moves the focus to
    the main content, so that the next Tab goes to the first element inside it.

    A page reached from a form posted at ".../#main" keeps the fragment across the redirect: the
    browser then starts the Tab order at the main content itself, and there is nothing to skip."""
    if page.url.endswith("#main"):
        return
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert focused(page)["visible"]
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 1, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def activate(page, selector):
    """Tab to a link or button and press Enter; wait for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_radio(page, name, value):
    """Tab into a radio group, take its first option with Space, then arrow to `value`."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    page.keyboard.press("Space")
    for _ in range(10):
        if focused(page)["value"] == value:
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


def select_option(page, selector, value):
    """Move a closed select's choice with the arrow keys until it is `value`."""
    tab_to(page, selector)
    target = page.evaluate("([s, v]) => [...document.querySelector(s).options].findIndex(o => o.value === v)",
                           [selector, value])
    assert target >= 0, f"{value} is not an option of {selector}"
    for _ in range(30):
        current = page.evaluate("s => document.querySelector(s).selectedIndex", selector)
        if current == target:
            return
        page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
    raise AssertionError(f"{value} cannot be chosen in {selector} with the arrow keys")


def book(page, world, session):
    skip_to_content(page)
    activate(page, f'a[href="{reverse("portal:book")}"]')
    skip_to_content(page)
    select_option(page, "#id_county", world.group.county.slug)
    activate(page, "main form button[type=submit]")
    skip_to_content(page)
    activate(page, f'a[href="{reverse("portal:book")}?group={world.group.pk}"]')
    skip_to_content(page)
    activate(page, f'tr[data-session="{session.pk}"] a')
    skip_to_content(page)
    expect(page.locator(f'input[name="session"][value="{session.pk}"]')).to_be_checked()
    choose_radio(page, "concern_raised_with_guardians", "yes")
    choose_radio(page, "basic_services_tried", "yes")
    choose_radio(page, "discussed_before", "no")
    type_into(page, "#id_eligibility_reasoning", "Riita jatkuu tuesta huolimatta.")
    # Back up one stop and forward again: Shift+Tab works too.
    tab_to(page, 'input[name="discussed_before"]', backwards=True)
    activate(page, "main form button[type=submit]")


def record_consent(page, case):
    skip_to_content(page)
    activate(page, f'a[href="{reverse("portal:consent_add", args=[case.pk])}"]')
    skip_to_content(page)
    type_into(page, "#id_guardian_name", "Maija Meikäläinen")
    choose_radio(page, "handling", "given")
    choose_radio(page, "records", "given")
    tab_to(page, "#id_given_on")
    # The date field's segment order follows Chromium's own locale (day or month first): a recent
    # date whose day and month are the same number types the same either way.
    asked_on = next(day for day in (timezone.localdate() - timedelta(days=n) for n in range(400))
                    if day.day == day.month)
    page.keyboard.type(asked_on.strftime("%d%m%Y"))
    expect(page.locator("#id_given_on")).to_have_value(asked_on.isoformat())
    select_option(page, "#id_method", ConsentMethod.SIGNED_FORM)
    if page.locator("#id_confirm_anonymous").count():
        tab_to(page, "#id_confirm_anonymous")
        page.keyboard.press("Space")
    activate(page, "main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(gettext("The consent is recorded."))


def fill_background_and_submit(page, case):
    skip_to_content(page)
    activate(page, f'a[href="{reverse("portal:background_form", args=[case.pk])}"]')
    skip_to_content(page)
    type_into(page, "#id_question", "Miten tukea lasta vaihtotilanteissa?")
    type_into(page, "#id_children-0-age_years", "9")
    type_into(page, "#id_family_situation", "Vanhemmat erosivat vuosi sitten.")
    tab_to(page, "#id_concern_threat_of_violence")
    page.keyboard.press("Space")
    activate(page, 'button[name=action][value=submit]')
    expect(page.locator(".messages")).to_contain_text(
        gettext("The case has been submitted to the group's coordinator."))


def test_a_case_is_submitted_by_keyboard_only(page, live_server, world):
    session = world.sessions[1]
    plant_session(page, live_server, world.worker)
    page.goto(reverse("portal:home"))
    book(page, world, session)
    case = Case.objects.get(worker=world.worker)
    expect(page.locator("h1")).to_contain_text(case.number)
    record_consent(page, case)
    fill_background_and_submit(page, case)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.SUBMITTED and case.session == session and not case.is_anonymous
    assert case.background.concern_threat_of_violence
    assert case.consents.get().guardian_name == "Maija Meikäläinen"
