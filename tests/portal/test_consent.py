"""Recording the guardians' consents in the portal; anonymity follows them (decisions.md #4, #5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot.models import (
    CaseState,
    Child,
    Consent,
    ConsentAnswer,
    ConsentMethod,
    DestructionReceipt,
    ExpertOrganisation,
    RecordsScope,
)
from apps.haastavat_erot.services import consent as consent_service
from tests.builders import case_in_state

TODAY = timezone.localdate().isoformat()


def consent_data(**overrides):
    data = {"guardian_name": "", "handling": ConsentAnswer.GIVEN, "records": ConsentAnswer.GIVEN,
            "records_scope": RecordsScope.ALL, "given_on": TODAY, "method": ConsentMethod.SIGNED_FORM}
    data.update(overrides)
    return data


def add(client, case, **overrides):
    return client.post(reverse("portal:consent_add", args=[case.pk]), consent_data(**overrides))


@pytest.fixture
def draft(world, client):
    client.force_login(world.worker)
    return case_in_state(world, CaseState.DRAFT)


def test_every_guardian_consenting_names_the_case_own(client, draft):
    assert draft.is_anonymous
    assert add(client, draft, guardian_name="Maija Meikäläinen").status_code == 302
    assert add(client, draft, guardian_name="Matti Meikäläinen").status_code == 302
    draft.refresh_from_db()
    assert not draft.is_anonymous
    assert sorted(draft.consents.values_list("guardian_name", flat=True)) == ["Maija Meikäläinen",
                                                                              "Matti Meikäläinen"]
    html = client.get(reverse("portal:case_detail", args=[draft.pk])).content.decode()
    assert "Maija Meikäläinen" in html and reverse("portal:consent_withdraw",
                                                   args=[draft.pk, draft.consents.first().pk]) in html


def test_a_guardian_refusing_turns_the_named_case_anonymous_after_confirmation_own(
        client, draft, django_capture_on_commit_callbacks):
    add(client, draft, guardian_name="Maija Meikäläinen")
    draft.background.family_situation = "Maija Meikäläinen asuu lapsen kanssa."
    draft.background.save()
    response = add(client, draft, handling=ConsentAnswer.REFUSED, records=ConsentAnswer.REFUSED)
    assert response.status_code == 200
    assert response.context["form"].has_error("confirm_anonymous", "confirm_anonymous")
    draft.refresh_from_db()
    assert not draft.is_anonymous and draft.consents.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        add(client, draft, handling=ConsentAnswer.REFUSED, records=ConsentAnswer.REFUSED, confirm_anonymous="on")
    draft.refresh_from_db()
    assert draft.is_anonymous and draft.consents.count() == 2
    assert set(draft.consents.values_list("guardian_name", flat=True)) == {""}
    assert "Maija" not in draft.background.family_situation
    assert DestructionReceipt.objects.filter(case=draft, scope=DestructionReceipt.Scope.IDENTIFYING).exists()


def test_an_anonymous_case_asks_no_name_own(client, draft):
    add(client, draft, handling=ConsentAnswer.NOT_ASKED, records=ConsentAnswer.NOT_ASKED,
        not_asked_reason="Huoltajaa ei tavoitettu.", given_on="", method="")
    form_page = client.get(reverse("portal:consent_add", args=[draft.pk]))
    assert "guardian_name" not in form_page.context["form"].fields
    assert 'name="guardian_name"' not in form_page.content.decode()
    # Even a posted name is not stored.
    add(client, draft, guardian_name="Maija Meikäläinen")
    draft.refresh_from_db()
    assert draft.is_anonymous
    assert set(Consent.objects.filter(case=draft).values_list("guardian_name", flat=True)) == {""}


def test_a_name_without_consent_to_handling_is_refused_own(client, draft):
    response = add(client, draft, guardian_name="Matti Meikäläinen", handling=ConsentAnswer.REFUSED)
    assert response.context["form"].has_error("guardian_name", "name_without_consent")
    assert not draft.consents.exists()


def test_consent_that_could_not_be_asked_needs_a_reason_without_identity_own(client, draft):
    response = add(client, draft, handling=ConsentAnswer.NOT_ASKED, records=ConsentAnswer.NOT_ASKED,
                   given_on="", method="")
    assert response.context["form"].has_error("not_asked_reason", "reason_required")
    response = add(client, draft, handling=ConsentAnswer.NOT_ASKED, records=ConsentAnswer.NOT_ASKED,
                   not_asked_reason="Isän numero 040 123 4567 ei vastaa.", given_on="", method="")
    assert response.context["form"].has_error("not_asked_reason", "phone_in_text")
    assert not draft.consents.exists()


def test_records_consent_per_organisation_own(client, draft):
    response = add(client, draft, records_scope=RecordsScope.SOME)
    assert response.context["form"].has_error("organisations", "organisations_required")
    add(client, draft, records_scope=RecordsScope.SOME,
        organisations=[ExpertOrganisation.POLICE, ExpertOrganisation.FAMILY_LAW])
    consent = draft.consents.get()
    assert consent.allows_records_of(ExpertOrganisation.POLICE)
    assert consent.allows_records_of(ExpertOrganisation.FAMILY_LAW)
    assert not consent.allows_records_of(ExpertOrganisation.CHILD_GUIDANCE)
    # Changing the scope to all covers every organisation; the list is no longer needed.
    response = client.post(reverse("portal:consent_edit", args=[draft.pk, consent.pk]), consent_data())
    assert response.status_code == 302, response.context["form"].errors.as_data()
    consent = draft.consents.get()
    assert consent.records_scope == RecordsScope.ALL and not consent.organisations.exists()
    assert consent.allows_records_of(ExpertOrganisation.CHILD_GUIDANCE)


def test_records_are_open_to_an_organisation_only_if_every_guardian_covers_it(client, draft):
    assert not consent_service.records_allowed(draft, ExpertOrganisation.POLICE)  # nothing recorded yet
    add(client, draft, guardian_name="Maija Meikäläinen")  # all organisations
    add(client, draft, guardian_name="Matti Meikäläinen", records_scope=RecordsScope.SOME,
        organisations=[ExpertOrganisation.POLICE])
    assert consent_service.records_allowed(draft, ExpertOrganisation.POLICE)
    assert not consent_service.records_allowed(draft, ExpertOrganisation.FAMILY_LAW)
    add(client, draft, handling=ConsentAnswer.REFUSED, records=ConsentAnswer.REFUSED, confirm_anonymous="on")
    assert not consent_service.records_allowed(draft, ExpertOrganisation.POLICE)


def test_the_organisation_choices_are_the_groups_own(client, draft, world):
    form = client.get(reverse("portal:consent_add", args=[draft.pk])).context["form"]
    offered = {value for value, _label in form.fields["organisations"].choices}
    assert offered == {ExpertOrganisation.FAMILY_SOCIAL_WORK, ExpertOrganisation.CHILD_GUIDANCE,
                       ExpertOrganisation.POLICE, ExpertOrganisation.FAMILY_LAW}


def test_withdrawing_consent_destroys_the_names_and_writes_a_receipt_own(
        client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, CaseState.SUBMITTED)  # named, two guardians, a child called Aino
    case.background.guardians_views = "Maija Meikäläinen toivoo, että Aino saa tukea; puh. 040 123 4567."
    case.background.save()
    consent = case.consents.first()
    client.force_login(world.worker)
    url = reverse("portal:consent_withdraw", args=[case.pk, consent.pk])
    assert client.get(url).status_code == 200
    case.refresh_from_db()
    assert not case.is_anonymous  # the confirmation page changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    case.refresh_from_db()
    assert case.is_anonymous and case.consent_withdrawn_at is not None
    assert set(case.consents.values_list("guardian_name", flat=True)) == {""}
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    assert set(Child.objects.filter(background__case=case).values_list("name", flat=True)) == {""}
    views = case.background.guardians_views
    assert "Maija" not in views and "Aino" not in views and "040" not in views
    receipt = DestructionReceipt.objects.get(case=case, scope=DestructionReceipt.Scope.IDENTIFYING)
    assert receipt.reason == DestructionReceipt.Reason.CONSENT_WITHDRAWN and receipt.consents == 2
    html = client.get(reverse("portal:case_detail", args=[case.pk])).content.decode()
    assert "Meikäläinen" not in html
    # A withdrawn consent can no longer be changed or withdrawn again.
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:consent_edit", args=[case.pk, consent.pk])).status_code == 404


@pytest.mark.parametrize("name", ["portal:consent_edit", "portal:consent_withdraw"])
def test_another_workers_consent_not_allowed(client, world, name):
    case = case_in_state(world, CaseState.SUBMITTED)
    consent = case.consents.first()
    client.force_login(world.other_worker)
    assert client.get(reverse(name, args=[case.pk, consent.pk])).status_code == 404
    assert client.post(reverse(name, args=[case.pk, consent.pk]), consent_data()).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and consent.guardian_name


def test_a_consent_of_another_case_cannot_be_reached_through_mine_not_allowed(client, world):
    mine = case_in_state(world, CaseState.DRAFT)
    theirs = case_in_state(world, CaseState.SUBMITTED, worker=world.other_worker)
    client.force_login(world.worker)
    url = reverse("portal:consent_withdraw", args=[mine.pk, theirs.consents.first().pk])
    assert client.post(url).status_code == 404


def test_consents_of_a_handled_case_cannot_be_changed_not_allowed(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    client.force_login(world.worker)
    assert client.get(reverse("portal:consent_add", args=[case.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        consent_service.consent_record(case=case, by=world.worker, **consent_data(given_on=None))


def test_changing_a_consent_to_refused_redacts_that_guardians_name_own(
        client, draft, django_capture_on_commit_callbacks):
    add(client, draft, guardian_name="Maija Meikäläinen")
    consent = draft.consents.get()
    draft.background.guardians_views = "Maija toivoo sovintoa."
    draft.background.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:consent_edit", args=[draft.pk, consent.pk]),
                               consent_data(handling=ConsentAnswer.REFUSED, confirm_anonymous="on"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_anonymous and draft.consents.get().guardian_name == ""
    assert "Maija" not in draft.background.guardians_views


def test_changes_need_the_csrf_token_not_allowed(world):
    from django.test import Client

    case = case_in_state(world, CaseState.SUBMITTED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    consent = case.consents.first()
    for url, data in [(reverse("portal:consent_add", args=[case.pk]), consent_data()),
                      (reverse("portal:consent_withdraw", args=[case.pk, consent.pk]), {}),
                      (reverse("portal:case_withdraw", args=[case.pk]), {}),
                      (reverse("portal:book_case", args=[world.group.pk]), {"session": world.sessions[1].pk})]:
        assert client.post(url, data).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.consents.count() == 2 and not case.is_anonymous
