"""Who may invite, reassign and deactivate; what the county admin's account list holds."""

import pytest
from django.urls import reverse

from apps.haastavat_erot.models import CaseState
from tests.builders import case_in_state
from tests.factories import UserFactory, county
from tests.conftest import verified_client


@pytest.mark.parametrize("role", ["coordinator", "county_admin"])
def test_invite_page_allowed(client, world, role):
    verified_client(client, getattr(world, role))
    assert client.get(reverse("admin:haastavat_erot_user_invite")).status_code == 200


@pytest.mark.parametrize("role", ["chair", "expert", "superuser"])
def test_invite_page_not_allowed(client, world, role):
    verified_client(client, getattr(world, role))
    assert client.get(reverse("admin:haastavat_erot_user_invite")).status_code == 403


def test_invite_page_offers_only_the_coordinators_own_groups(client, world):
    verified_client(client, world.other_member)
    response = client.post(reverse("admin:haastavat_erot_user_invite"),
                           {"email": "uusi@koulu.example", "group": world.group.pk})
    assert response.status_code == 200
    assert "group" in response.context["form"].errors


@pytest.fixture
def handed_over(world):
    from apps.haastavat_erot.services.accounts import account_deactivate

    case = case_in_state(world, CaseState.SCHEDULED)
    account_deactivate(user=world.worker, by=world.county_admin)
    case.refresh_from_db()
    return case


def test_reassign_page_allowed(client, world, handed_over):
    verified_client(client, world.coordinator)
    url = reverse("admin:haastavat_erot_case_reassign", args=[handed_over.pk])
    assert client.get(url).status_code == 200
    # The case's desk page links to it.
    change = client.get(reverse("admin:haastavat_erot_case_change", args=[handed_over.pk]))
    assert f'href="{url}"' in change.content.decode()


@pytest.mark.parametrize("role", ["chair", "expert", "county_admin", "other_member", "superuser"])
def test_reassign_page_not_allowed(client, world, handed_over, role):
    verified_client(client, getattr(world, role))
    response = client.post(reverse("admin:haastavat_erot_case_reassign", args=[handed_over.pk]),
                           {"email": world.other_worker.email})
    assert response.status_code == 403
    handed_over.refresh_from_db()
    assert handed_over.worker == world.worker


def test_a_case_not_handed_over_cannot_be_reassigned(client, world):
    case = case_in_state(world, CaseState.SUBMITTED)
    verified_client(client, world.coordinator)
    assert client.get(reverse("admin:haastavat_erot_case_reassign", args=[case.pk])).status_code == 403


def test_county_admin_lists_the_countys_workers_only(client, world):
    from apps.haastavat_erot.models import AllowedEmailDomain

    AllowedEmailDomain.objects.create(county=county("KS"), domain="jkl.example")
    by_domain = UserFactory(email="opettaja@jkl.example")
    invited = UserFactory(email="rehtori@koulu.example", home_county=county("KS"))
    elsewhere = UserFactory(email="hoitaja@kuopio.example", home_county=county("PS"))
    verified_client(client, world.county_admin)
    response = client.get(reverse("admin:haastavat_erot_user_changelist"))
    listed = set(response.context["cl"].result_list)
    assert {by_domain, invited} <= listed
    assert elsewhere not in listed
    assert client.get(reverse("admin:haastavat_erot_user_change", args=[elsewhere.pk])).status_code in (302, 404)


def test_unticking_active_in_the_desk_hands_live_cases_over(client, world):
    worker = world.worker
    worker.home_county = county("KS")
    worker.save(update_fields=["home_county"])
    case = case_in_state(world, CaseState.DRAFT)
    verified_client(client, world.county_admin)
    url = reverse("admin:haastavat_erot_user_change", args=[worker.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"is_active": "", "language": worker.language, "sector": worker.sector})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    worker.refresh_from_db()
    case.refresh_from_db()
    assert not worker.is_active and worker.deactivated_at is not None
    assert case.handed_to_coordinator_at is not None
