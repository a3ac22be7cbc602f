"""The background information form: drafts, submission, anonymity, children and files."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from apps.haastavat_erot.anonymity import MESSAGES
from apps.haastavat_erot.models import Attachment, BackgroundInformation, CaseState, Child, ConsentAnswer
from tests import upload_samples as samples
from tests.builders import case_in_state, record_consents

EMPTY_CHILDREN = {"children-TOTAL_FORMS": "0", "children-INITIAL_FORMS": "0"}


def url(case):
    return reverse("portal:background_form", args=[case.pk])


def children_data(case, *rows):
    """The management form and rows for the children formset; a row is a dict of its fields."""
    existing = list(case.background.children.order_by("pk"))
    data = {"children-TOTAL_FORMS": str(len(rows)), "children-INITIAL_FORMS": str(len(existing))}
    for index, row in enumerate(rows):
        if index < len(existing):
            data[f"children-{index}-id"] = str(existing[index].pk)
        data.update({f"children-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def draft(world):
    return case_in_state(world, CaseState.DRAFT)


@pytest.fixture
def named_draft(world):
    """A draft whose guardians have all consented: children may be named."""
    case = case_in_state(world, CaseState.DRAFT)
    record_consents(case)
    return case


@pytest.fixture
def worker_client(client, world):
    client.force_login(world.worker)
    return client


# --- access ---------------------------------------------------------------------------------------
def test_owner_opens_the_form_of_a_draft(worker_client, draft):
    response = worker_client.get(url(draft))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_worker", "coordinator", "superuser"])
def test_others_get_404_not_allowed(client, world, draft, who):
    client.force_login(getattr(world, who))
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), {"action": "save", "question": "x", **EMPTY_CHILDREN}).status_code == 404
    draft.background.refresh_from_db()
    assert draft.background.question == ""


def test_a_submitted_case_is_no_longer_editable_not_allowed(worker_client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    response = worker_client.post(url(case), {"action": "save", "question": "Muutettu", **EMPTY_CHILDREN})
    assert response.status_code == 302 and response["Location"] == reverse("portal:case_detail", args=[case.pk])
    case.background.refresh_from_db()
    assert case.background.question != "Muutettu"


def test_case_page_links_to_the_form_own(worker_client, draft):
    response = worker_client.get(reverse("portal:case_detail", args=[draft.pk]))
    assert url(draft) in response.content.decode()


# --- drafts ---------------------------------------------------------------------------------------
def test_a_partial_draft_is_saved_and_shown_again(worker_client, named_draft):
    old = timezone.now() - timedelta(days=20)
    type(named_draft).objects.filter(pk=named_draft.pk).update(last_edited_at=old,
                                                             content_due_at=old + timedelta(days=30))
    response = worker_client.post(url(named_draft), {
        "action": "save", "question": "Miten tukea lasta?", "concern_violence": "on", "custody": "joint",
        "visitation_dispute": "true", **children_data(named_draft, {"age_years": "7", "name": "Aino"})})
    assert response.status_code == 302 and response["Location"] == url(named_draft)
    background = BackgroundInformation.objects.get(case=named_draft)
    assert (background.question, background.concern_violence, background.custody, background.visitation_dispute) == (
        "Miten tukea lasta?", True, "joint", True)
    assert background.family_situation == ""
    assert list(background.children.values_list("age_years", "name")) == [(7, "Aino")]
    named_draft.refresh_from_db()
    assert named_draft.state == CaseState.DRAFT
    assert named_draft.last_edited_at > timezone.now() - timedelta(minutes=1)  # the 30-day clock restarts
    assert named_draft.content_due_at > timezone.now() + timedelta(days=29)
    page = worker_client.get(url(named_draft)).content.decode()
    assert "Miten tukea lasta?" in page and 'value="Aino"' in page
    assert gettext("The draft has been saved. You can continue later.") in page


def test_children_are_added_changed_and_removed(worker_client, named_draft):
    worker_client.post(url(named_draft), {"action": "save", **children_data(
        named_draft, {"age_years": "4", "name": "Eeli"}, {"age_years": "11", "name": "Aino"})})
    assert sorted(named_draft.background.children.values_list("age_years", flat=True)) == [4, 11]
    eeli, aino = named_draft.background.children.order_by("pk")
    worker_client.post(url(named_draft), {"action": "save", **children_data(
        named_draft, {"age_years": "5", "name": "Eeli"}, {"age_years": "11", "name": "Aino", "DELETE": "on"})})
    assert list(named_draft.background.children.values_list("pk", "age_years")) == [(eeli.pk, 5)]


def test_saving_costs_the_same_queries_with_one_child_or_five(worker_client, named_draft):
    def save(ages):
        worker_client.post(url(named_draft), {"action": "save", **children_data(
            named_draft, *({"age_years": str(age), "name": f"Lapsi {age}"} for age in ages))})

    save([3])
    with CaptureQueriesContext(connection) as one_child:
        save([4])
    save([3, 5, 7, 9, 11])
    with CaptureQueriesContext(connection) as five_children:
        save([4, 6, 8, 10, 12])
    assert sorted(named_draft.background.children.values_list("age_years", flat=True)) == [4, 6, 8, 10, 12]
    # Each changed child is one UPDATE; reading and checking the rows costs nothing per child.
    assert len(five_children) - len(one_child) == 4


def test_another_cases_child_cannot_be_changed_through_the_form(worker_client, named_draft, world):
    other = case_in_state(world, CaseState.DRAFT, worker=world.other_worker)
    record_consents(other)
    stranger = Child.objects.create(background=other.background, age_years=6, name="Vieras")
    response = worker_client.post(url(named_draft), {
        "action": "save", "children-TOTAL_FORMS": "1", "children-INITIAL_FORMS": "1",
        "children-0-id": str(stranger.pk), "children-0-age_years": "2", "children-0-name": "Muutettu"})
    assert response.status_code == 200  # the form again, with the row refused
    assert response.context["children"].forms[0].errors["id"]
    stranger.refresh_from_db()
    assert (stranger.age_years, stranger.name, stranger.background_id) == (6, "Vieras", other.background.pk)


def test_a_childs_age_over_17_is_refused(worker_client, draft):
    response = worker_client.post(url(draft), {"action": "save", "question": "Kysymys",
                                               **children_data(draft, {"age_years": "18"})})
    assert response.status_code == 200
    assert not Child.objects.exists()
    assert "Kysymys" in response.content.decode()
    # The field's own validator says why, at the age (the database constraint is not queried as well).
    [child_form, *_] = response.context["children"].forms
    assert child_form.errors["age_years"] == [MaxValueValidator(17).message % {"limit_value": 17}]


def test_free_text_is_shown_escaped(worker_client, named_draft):
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    worker_client.post(url(named_draft), {"action": "save", "question": attack, "tried_so_far": attack,
                                          **children_data(named_draft, {"age_years": "3", "name": attack[:100]})})
    page = worker_client.get(url(named_draft)).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert escape(attack) in page


# --- submitting -------------------------------------------------------------------------------------
def test_submit_with_missing_fields_shows_messages_and_keeps_the_typed_values(worker_client, draft):
    response = worker_client.post(url(draft), {
        "action": "submit", "concerns_text": "Isä on uhkaillut.", "concern_threat_of_violence": "on",
        "tried_so_far": "Perheneuvola ja sovittelu.", **EMPTY_CHILDREN})
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert form.errors["question"] == [gettext("Write your question to the group.")]
    assert form.errors["family_situation"] == [gettext("Describe the family situation.")]
    assert gettext("Add at least one child.") in response.context["children"].non_form_errors()
    assert escape(gettext("Record the guardians' consent, or that it could not be asked.")) in page
    assert "Isä on uhkaillut." in page and "Perheneuvola ja sovittelu." in page
    assert 'id="id_question_error"' in page  # the message is tied to its field
    assert "id_question_error" in page.split('id="id_question"')[0].rsplit("<textarea", 1)[1]
    assert 'name="concern_threat_of_violence" checked' in page or "checked" in page.split(
        'name="concern_threat_of_violence"')[1].split(">")[0]
    draft.refresh_from_db()
    assert draft.state == CaseState.DRAFT
    assert draft.background.concerns_text == ""  # a failed submit changes nothing


def test_an_incomplete_submit_writes_none_of_its_files(worker_client, draft):
    def files_on_disk():
        return sorted(path for path in Path(storages["private"].location).rglob("*") if path.is_file())

    before = files_on_disk()
    response = worker_client.post(url(draft), {"action": "submit", "question": "Kysymys", **EMPTY_CHILDREN,
                                               "file": [samples.upload("a.pdf", samples.pdf())]})
    assert response.status_code == 200
    assert gettext("The files you chose were not added: choose them again.") in response.context["problems"]
    assert not Attachment.objects.filter(case=draft).exists()
    assert files_on_disk() == before  # no bytes on disk either


def test_a_complete_case_is_submitted_with_its_files(worker_client, draft):
    record_consents(draft)
    response = worker_client.post(url(draft), {
        "action": "submit", "question": "Miten tukea lasta?", "family_situation": "Vanhemmat erosivat.",
        **children_data(draft, {"age_years": "9", "name": "Aino"}),
        "file": [samples.upload("a.pdf", samples.pdf()), samples.upload("b.png", samples.png())]})
    assert response.status_code == 302
    assert sorted(draft.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.png"]


def test_a_complete_case_is_submitted(worker_client, draft):
    record_consents(draft)
    response = worker_client.post(url(draft), {
        "action": "submit", "question": "Miten tukea lasta?", "family_situation": "Vanhemmat erosivat.",
        **children_data(draft, {"age_years": "9", "name": "Aino"})})
    assert response.status_code == 302 and response["Location"] == reverse("portal:case_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == CaseState.SUBMITTED and draft.submitted_at


def test_a_returned_case_shows_the_reason_and_is_resubmitted(worker_client, world):
    case = case_in_state(world, CaseState.RETURNED)
    page = worker_client.get(url(case)).content.decode()
    assert "Tarkenna kysymystä." in page
    response = worker_client.post(url(case), {
        "action": "submit", "question": "Tarkennettu kysymys", "family_situation": case.background.family_situation,
        **children_data(case, {"age_years": "9", "name": "Aino"})})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.background.question == "Tarkennettu kysymys"


# --- anonymous cases --------------------------------------------------------------------------------
IDENTIFYING = {
    "identity_code": "Lapsen hetu on 131052-308T.",
    "phone": "Äidin numero 040 123 4567.",
    "email": "Isä: matti.meikalainen@example.fi",
    "name": "Maijalla on huoli.",
}


@pytest.fixture
def anonymous_draft(world):
    case = case_in_state(world, CaseState.DRAFT)
    record_consents(case, answer=ConsentAnswer.REFUSED)
    return case


@pytest.mark.parametrize("field", BackgroundInformation.FREE_TEXT_FIELDS)
@pytest.mark.parametrize("kind", IDENTIFYING)
def test_an_anonymous_case_refuses_identifying_text(worker_client, anonymous_draft, field, kind):
    response = worker_client.post(url(anonymous_draft), {"action": "save", field: IDENTIFYING[kind],
                                                         **EMPTY_CHILDREN})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()[field]
    assert [error.code for error in errors] == [f"{kind}_in_text"]
    page = response.content.decode()
    assert escape(str(errors[0].message % errors[0].params)) in page
    assert escape(IDENTIFYING[kind]) in page  # the text stays for the worker to correct
    background = BackgroundInformation.objects.get(case=anonymous_draft)
    assert getattr(background, field) == getattr(anonymous_draft.background, field)  # unchanged


def test_an_anonymous_case_refuses_a_childs_name_recorded_earlier(worker_client, anonymous_draft):
    """A child named while the guardians' consent stood keeps the name in the family's list."""
    Child.objects.create(background=anonymous_draft.background, age_years=7, name="Eeli")
    response = worker_client.post(url(anonymous_draft), {
        "action": "save", "question": "Miten Eeli jaksaa koulussa?", **EMPTY_CHILDREN})
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["question"]] == ["name_in_text"]


def test_an_anonymous_case_accepts_plain_text_and_has_no_name_fields(worker_client, anonymous_draft):
    page = worker_client.get(url(anonymous_draft)).content.decode()
    assert 'name="children-0-age_years"' in page and 'name="children-0-name"' not in page
    response = worker_client.post(url(anonymous_draft), {
        "action": "save", "question": "Miten tukea 9-vuotiasta lasta?",
        **children_data(anonymous_draft, {"age_years": "9", "name": "Aino"})})
    assert response.status_code == 302
    assert list(Child.objects.values_list("age_years", "name")) == [(9, "")]  # a posted name is ignored


def test_the_message_names_what_to_remove(anonymous_draft):
    assert "131052-308T" in str(MESSAGES["identity_code"] % {"text": "131052-308T"})


# --- attachments on the form ----------------------------------------------------------------------
def test_an_attachment_is_added_listed_and_removed_with_the_draft(worker_client, draft):
    response = worker_client.post(url(draft), {"action": "save", "question": "Kysymys", **EMPTY_CHILDREN,
                                               "file": samples.upload("Lausunto.pdf", samples.pdf())})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=draft)
    page = worker_client.get(url(draft)).content.decode()
    assert "Lausunto.pdf" in page
    assert reverse("portal:attachment_download", args=[attachment.pk]) in page
    worker_client.post(url(draft), {"action": "save", "question": "Kysymys", **EMPTY_CHILDREN,
                                    "remove_attachment": str(attachment.pk)})
    assert not Attachment.objects.filter(case=draft).exists()


def test_too_many_attachments_are_refused_on_the_form(worker_client, draft, settings):
    settings.ATTACHMENT_MAX_COUNT = 1
    worker_client.post(url(draft), {"action": "save", **EMPTY_CHILDREN,
                                    "file": samples.upload("a.pdf", samples.pdf())})
    response = worker_client.post(url(draft), {"action": "save", "question": "Uusi", **EMPTY_CHILDREN,
                                               "file": samples.upload("b.docx", samples.docx())})
    assert response.status_code == 200
    assert response.context["attachment_form"].errors.as_data()["file"][0].code == "too_many_files"
    assert Attachment.objects.filter(case=draft).count() == 1


def test_several_attachments_are_added_in_one_post(worker_client, draft):
    response = worker_client.post(url(draft), {"action": "save", "question": "Kysymys", **EMPTY_CHILDREN, "file": [
        samples.upload("Lausunto.pdf", samples.pdf()), samples.upload("Piirros.png", samples.png()),
        samples.upload("Muistio.docx", samples.docx())]})
    assert response.status_code == 302
    assert sorted(Attachment.objects.filter(case=draft).values_list("original_name", flat=True)) == [
        "Lausunto.pdf", "Muistio.docx", "Piirros.png"]
    page = worker_client.get(url(draft)).content.decode()
    assert 'type="file" name="file" multiple' in page
    assert all(name in page for name in ("Lausunto.pdf", "Muistio.docx", "Piirros.png"))


def test_one_refused_file_among_several_adds_none_and_names_the_file(worker_client, draft):
    response = worker_client.post(url(draft), {"action": "save", "question": "Kirjoitettu kysymys", **EMPTY_CHILDREN,
                                               "file": [samples.upload("Lausunto.pdf", samples.pdf()),
                                                        samples.upload("sivu.pdf", samples.HTML, "application/pdf")]})
    assert response.status_code == 200
    errors = response.context["attachment_form"].errors.as_data()["file"]
    assert [error.code for error in errors] == ["active_content"]
    assert "sivu.pdf" in errors[0].message % errors[0].params
    assert "Kirjoitettu kysymys" in response.content.decode()  # nothing typed is lost
    assert not Attachment.objects.filter(case=draft).exists()


def test_more_files_in_one_post_than_the_count_allows_are_all_refused(worker_client, draft, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    response = worker_client.post(url(draft), {"action": "save", **EMPTY_CHILDREN, "file": [
        samples.upload(f"{n}.pdf", samples.pdf()) for n in "abc"]})
    assert response.context["attachment_form"].errors.as_data()["file"][0].code == "too_many_files"
    assert not Attachment.objects.filter(case=draft).exists()


def test_too_many_attachments_on_submit_are_refused_at_the_file_field(worker_client, draft, settings):
    record_consents(draft)
    settings.ATTACHMENT_MAX_COUNT = 1
    data = {"question": "Miten tukea lasta?", "family_situation": "Vanhemmat erosivat.",
            **children_data(draft, {"age_years": "9", "name": "Aino"})}
    worker_client.post(url(draft), {"action": "save", **data, "file": samples.upload("a.pdf", samples.pdf())})
    response = worker_client.post(url(draft), {"action": "submit", **data,
                                               "file": samples.upload("b.pdf", samples.pdf())})
    assert response.status_code == 200
    assert response.context["attachment_form"].errors.as_data()["file"][0].code == "too_many_files"
    draft.refresh_from_db()
    assert draft.state == CaseState.DRAFT and draft.attachments.count() == 1


def test_a_too_big_attachment_is_refused_on_the_form(worker_client, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    response = worker_client.post(url(draft), {"action": "save", **EMPTY_CHILDREN,
                                               "file": samples.upload("kuva.png", samples.png() * 5)})
    assert response.context["attachment_form"].errors.as_data()["file"][0].code == "file_too_big"
    assert not Attachment.objects.exists()


# --- who may open the form and the consent-scan page, by role and state --------------------------
ROLES = ["owner", "other_worker", "coordinator", "chair", "expert", "other_member", "county_admin", "superuser",
         "anonymous"]
FORM_ALLOWED = {"owner": {"draft", "returned"}}
SCANS_ALLOWED = {"owner": {"draft", "submitted", "returned", "scheduled"}}


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "scheduled", "closed", "withdrawn"])
def test_form_and_scan_pages_open_only_to_the_owner_while_allowed(client, world, state):
    case = case_in_state(world, CaseState(state))
    if not case.consents.exists():
        record_consents(case)
    consent = case.consents.first()
    secret = "Salainen taustatieto"
    BackgroundInformation.objects.filter(case=case).update(tried_so_far=secret)
    pages = {"form": (url(case), FORM_ALLOWED), "scans": (reverse("portal:consent_scans", args=[case.pk, consent.pk]),
                                                           SCANS_ALLOWED)}
    wrong = []
    for role in ROLES:
        client.logout()
        user = world.worker if role == "owner" else getattr(world, role, None)
        if user:
            client.force_login(user)
        for name, (address, allowed) in pages.items():
            response = client.get(address)
            expected = state in allowed.get(role, set())
            if (response.status_code == 200) != expected:
                wrong.append(f"{role} {name} {state}: {response.status_code}")
            if role != "owner" and secret.encode() in response.content:
                wrong.append(f"{role} saw the background information at {name} in state {state}")
    assert wrong == []
