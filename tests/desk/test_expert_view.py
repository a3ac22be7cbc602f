"""The experts' and chair's read view: their group's agendas, a declaration per case before the
content opens, read-only content and attachments with every opening logged, the records-consent
indicator per organisation, and nothing of other groups or after destruction."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot import purge
from apps.haastavat_erot.models import (
    AccessAction,
    AccessLogEntry,
    Case,
    CaseDeclaration,
    CaseState,
    Consent,
    ConsentAnswer,
    ConsentOrganisation,
    ExpertOrganisation,
    RecordsScope,
    Role,
)
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state
from tests.desk.case_helpers import add_attachment, desk, scheduled_unpublished, url
from tests.factories import MembershipFactory

QUESTION = "Miten tukea lasta vaihtotilanteissa?"


def download(client, attachment):
    return client.get(reverse("portal:attachment_download", args=[attachment.pk]))


def published(world):
    case = case_in_state(world, CaseState.SCHEDULED, declare=False)
    add_attachment(case)
    return case


def test_expert_sees_nothing_before_publication(client, world):
    case = scheduled_unpublished(world)
    attachment = add_attachment(case)
    desk(client, world.expert)
    agendas = client.get(url("agendas"))
    assert agendas.status_code == 200 and case.number not in agendas.content.decode()
    case_list = client.get(reverse("admin:haastavat_erot_case_changelist"))
    assert case_list.status_code == 200 and case.number not in case_list.content.decode()
    assert client.get(url("read", case.pk)).status_code == 404
    assert client.post(url("declare", case.pk), {f"case{case.pk}-decision": "no_conflict"}).status_code == 404
    assert download(client, attachment).status_code == 404
    assert not CaseDeclaration.objects.exists()


def test_expert_declares_then_reads_and_downloads_with_every_opening_logged(client, world):
    case = published(world)
    attachment = case.attachments.get()
    desk(client, world.expert)
    content = client.get(url("agendas")).content.decode()
    assert case.number in content and f'name="case{case.pk}-decision"' in content
    # Before declaring: no content, no file.
    response = client.get(url("read", case.pk))
    assert response.status_code == 302 and response["Location"] == url("agendas")
    assert download(client, attachment).status_code == 404
    client.post(url("declare", case.pk), {f"case{case.pk}-decision": "no_conflict"})
    assert CaseDeclaration.objects.get(case=case, user=world.expert).decision == "no_conflict"
    response = client.get(url("read", case.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert QUESTION in content
    assert reverse("portal:attachment_download", args=[attachment.pk]) in content
    assert download(client, attachment).status_code == 200
    logged = list(AccessLogEntry.objects.filter(case=case, user=world.expert).values_list("action", flat=True))
    assert sorted(logged) == sorted([AccessAction.VIEW_BACKGROUND, AccessAction.DOWNLOAD_ATTACHMENT])


def test_read_view_has_no_edit_forms(client, world):
    case = published(world)
    agenda.case_declare(case=case, by=world.expert, decision="no_conflict")
    content = desk(client, world.expert).get(url("read", case.pk)).content.decode()
    assert "<form" not in content.split('id="content-main"')[1]


def test_disqualified_expert_is_refused_content_and_files(client, world):
    case = published(world)
    attachment = case.attachments.get()
    desk(client, world.expert)
    client.post(url("declare", case.pk), {f"case{case.pk}-decision": "disqualified"})
    assert CaseDeclaration.objects.get(case=case, user=world.expert).decision == "disqualified"
    response = client.get(url("read", case.pk))
    assert response.status_code == 403 and QUESTION not in response.content.decode()
    assert download(client, attachment).status_code == 404
    # The disqualification cannot be turned into "no conflict" afterwards.
    client.post(url("declare", case.pk), {f"case{case.pk}-decision": "no_conflict"})
    with pytest.raises(ValidationError):
        agenda.case_declare(case=case, by=world.expert, decision="no_conflict")
    assert client.get(url("read", case.pk)).status_code == 403
    assert not AccessLogEntry.objects.filter(case=case, user=world.expert).exists()
    content = client.get(url("agendas")).content.decode()
    assert url("read", case.pk) not in content


def test_no_conflict_can_later_become_disqualified(client, world):
    case = published(world)
    agenda.case_declare(case=case, by=world.expert, decision="no_conflict")
    agenda.case_declare(case=case, by=world.expert, decision="disqualified")
    assert desk(client, world.expert).get(url("read", case.pk)).status_code == 403


def test_chair_declares_before_publication_and_then_reads(client, world):
    case = scheduled_unpublished(world)
    desk(client, world.chair)
    assert case.number in client.get(url("agendas")).content.decode()
    client.post(url("declare", case.pk), {f"case{case.pk}-decision": "no_conflict"})
    response = client.get(url("read", case.pk))
    assert response.status_code == 200 and QUESTION in response.content.decode()


def test_expert_of_another_group_is_refused(client, world):
    case = published(world)
    attachment = case.attachments.get()
    outsider = MembershipFactory(group=world.other_group, role=Role.EXPERT).user
    desk(client, outsider)
    assert case.number not in client.get(url("agendas")).content.decode()
    assert client.get(url("read", case.pk)).status_code == 404
    assert client.post(url("declare", case.pk), {f"case{case.pk}-decision": "no_conflict"}).status_code == 404
    assert download(client, attachment).status_code == 404
    assert not CaseDeclaration.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("role", ["county_admin", "superuser", "other_member"])
def test_county_admin_superuser_and_other_groups_see_no_content(client, world, role):
    case = published(world)
    attachment = case.attachments.get()
    desk(client, getattr(world, role))
    response = client.get(url("read", case.pk))
    assert response.status_code in (403, 404)
    assert QUESTION not in response.content.decode()
    assert download(client, attachment).status_code == 404
    change = client.get(reverse("admin:haastavat_erot_case_change", args=[case.pk]))
    assert QUESTION not in change.content.decode()
    assert url("read", case.pk) not in change.content.decode()
    assert not AccessLogEntry.objects.filter(case=case).exists()


def test_coordinator_reads_from_submission(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    response = desk(client, world.coordinator).get(url("read", case.pk))
    assert response.status_code == 200 and QUESTION in response.content.decode()


def _consents(case, *rows):
    Consent.objects.filter(case=case).delete()
    for records, scope, organisations in rows:
        consent = Consent.objects.create(case=case, guardian_name="Huoltaja", handling=ConsentAnswer.GIVEN,
                                         records=records, records_scope=scope)
        for organisation in organisations:
            ConsentOrganisation.objects.create(consent=consent, organisation=organisation)


def _records_indicator(client, world, user, case):
    agenda.case_declare(case=case, by=user, decision="no_conflict")
    content = desk(client, user).get(url("read", case.pk)).content.decode()
    assert content.count("data-allowed=") == 1
    return 'data-allowed="yes"' in content


def test_records_consent_is_shown_per_organisation(client, world):
    case = published(world)
    # One guardian allows all organisations, the other only the police: the police may look,
    # the family law unit may not.
    _consents(case, (ConsentAnswer.GIVEN, RecordsScope.ALL, []),
              (ConsentAnswer.GIVEN, RecordsScope.SOME, [ExpertOrganisation.POLICE]))
    assert world.expert.memberships.get().organisation == ExpertOrganisation.POLICE
    assert _records_indicator(client, world, world.expert, case) is True
    assert _records_indicator(client, world, world.expert2, case) is False


@pytest.mark.parametrize("rows", [
    [(ConsentAnswer.REFUSED, RecordsScope.ALL, [])],
    [(ConsentAnswer.GIVEN, RecordsScope.ALL, []), (ConsentAnswer.NOT_ASKED, RecordsScope.ALL, [])],
    [(ConsentAnswer.GIVEN, RecordsScope.SOME, [ExpertOrganisation.FAMILY_LAW])],
])
def test_records_consent_never_suggests_more_than_given(client, world, rows):
    case = published(world)
    _consents(case, *rows)
    assert _records_indicator(client, world, world.expert, case) is False


def test_withdrawn_records_consent_is_not_suggested(client, world):
    case = published(world)
    Consent.objects.filter(case=case).update(withdrawn_at=timezone.now())
    assert _records_indicator(client, world, world.expert, case) is False


def test_after_destruction_the_member_sees_the_receipt_only(client, world):
    case = case_in_state(world, CaseState.HANDLED)
    attachment = add_attachment(case)
    Case.objects.filter(pk=case.pk).update(content_due_at=timezone.now() - timezone.timedelta(minutes=1))
    purge.run_destruction(sweep=False)
    desk(client, world.expert)
    response = client.get(url("read", case.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="destroyed"' in content and 'id="receipts-heading"' in content
    assert QUESTION not in content
    assert download(client, attachment).status_code == 404
    assert not AccessLogEntry.objects.filter(case=case, user=world.expert).exists()


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_free_text_is_escaped_on_every_case_page(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    background = case.background
    background.question = background.eligibility_reasoning = background.family_situation = XSS
    background.save()
    add_attachment(case, name=XSS + ".pdf")
    desk(client, world.coordinator)

    def assert_escaped(address):
        content = client.get(address).content.decode()
        assert "&lt;script&gt;alert" in content, address
        assert "<script>alert" not in content and "<img src=x" not in content, address

    for address in (url("incoming"), url("review", case.pk), url("read", case.pk)):
        assert_escaped(address)
    agenda.case_schedule(case=case, by=world.coordinator)
    content = client.get(url("agenda", case.session_id)).content.decode()
    assert case.number in content and "<script>alert" not in content
