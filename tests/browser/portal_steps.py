"""A worker's steps in the portal, shared by the end-to-end browser tests. Every label and
button is found by its translated msgid, so the steps work in whichever language is active."""

import re

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import ConsentMethod
from tests.factories import PASSWORD


def label(msgid):
    """A model field's label as the form shows it (verbose names are lower case)."""
    return capfirst(gettext(msgid))


def required_label(msgid):
    """A label followed by "(required)": match its start."""
    return re.compile("^" + re.escape(label(msgid)))


def choose(page, legend, option):
    page.locator("fieldset", has_text=legend).get_by_label(option, exact=True).check()


def log_in(page, user):
    """Log in through the real login form."""
    page.goto("/login/")
    page.get_by_label(gettext("Work e-mail address")).fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=gettext("Log in")).click()
    expect(page.locator("h1")).to_have_text(gettext("My cases"))


def book_slot(page, group, session, reasoning="Riita jatkuu tuesta huolimatta."):
    """From the home page, book a slot of `session` of `group`; end on the new case's page."""
    page.get_by_role("link", name=gettext("Book a slot")).click()
    page.get_by_label(gettext("Wellbeing services county")).select_option(group.county.slug)
    page.get_by_role("button", name=gettext("Show groups")).click()
    page.get_by_role("link", name=group.name).click()
    page.locator(f'tr[data-session="{session.pk}"]').get_by_role("link").click()
    expect(page.locator(f'input[name="session"][value="{session.pk}"]')).to_be_checked()
    choose(page, gettext("Have you first raised the concern openly with the guardians (and the child)?"),
           gettext("Yes"))
    choose(page, gettext("Have the basic services already been tried?"), gettext("Yes"))
    choose(page, gettext("Has the group discussed this family before?"), gettext("No"))
    page.get_by_label(gettext("Why does the case need the group?")).fill(reasoning)
    page.get_by_role("button", name=gettext("Book the slot")).click()
    expect(page.locator(".messages")).to_be_visible()


def record_consent(page, name="", answer="Given"):
    """On the case page, record one guardian's answer (the same to both questions)."""
    page.get_by_role("link", name=gettext("Record a guardian's consent")).click()
    if name:
        page.get_by_label(gettext("Guardian's name")).fill(name)
    choose(page, gettext("Consent to handling the case in the group"), gettext(answer))
    choose(page, gettext("Consent to the experts studying the family's records in their own organisations"),
           gettext(answer))
    page.get_by_label(gettext("Date"), exact=False).fill(timezone.localdate().isoformat())
    page.get_by_label(gettext("How it was given")).select_option(ConsentMethod.SIGNED_FORM)
    confirm = page.get_by_label(gettext("I understand: the case turns anonymous and its identifying details are "
                                        "destroyed at once."))
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name=gettext("Save the consent")).click()
    expect(page.locator(".messages")).to_contain_text(gettext("The consent is recorded."))
