"""The public pages, without logging in: the groups by county, and a group's page with its
expert bodies (never its members' names), the steps of bringing a case and the free slots."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.haastavat_erot.models import CaseState, ExpertOrganisation, Membership, Role, Session
from apps.haastavat_erot.portal.views.public import BRING_A_CASE_STEPS
from tests.builders import case_in_state
from tests.factories import GroupFactory, MembershipFactory, SessionFactory, county


def page_url(group):
    return reverse("portal:public_group", args=[group.county.slug, group.slug])


def free_slots(html):
    """Return {session id: free slots} as the page shows them."""
    return {int(pk): int(free) for pk, free in re.findall(
        r'<tr data-session="(\d+)">.*?<td class="free-slots">(\d+)</td>', html, re.S)}


def test_group_index_lists_active_groups_by_county_without_login(client, world):
    inactive = GroupFactory(name="Lakannut ryhmä", county=county("KS"), is_active=False)
    response = client.get(reverse("portal:public_groups"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.group.name in html and world.other_group.name in html
    assert page_url(world.group) in html
    assert inactive.name not in html
    assert html.index(world.group.county.name_fi) < html.index(world.group.name)


def test_login_page_links_to_the_groups(client, db):
    assert reverse("portal:public_groups") in client.get(reverse("portal:login")).content.decode()


def test_group_page_shows_expert_bodies_and_never_member_names(client, world):
    MembershipFactory(group=world.other_group, role=Role.EXPERT, organisation=ExpertOrganisation.FORENSIC_PSYCHIATRY)
    gone = MembershipFactory(group=world.group, role=Role.EXPERT, organisation=ExpertOrganisation.CHILD_PSYCHIATRY,
                             is_active=False)
    world.group.public_description = "Ryhmä kokoontuu kerran kuukaudessa."
    world.group.save()
    response = client.get(page_url(world.group))
    assert response.status_code == 200
    html = response.content.decode()
    organisations = re.search(r'<ul class="organisation-list" id="organisations">(.*?)</ul>', html, re.S).group(1)
    for organisation in (ExpertOrganisation.FAMILY_SOCIAL_WORK, ExpertOrganisation.CHILD_GUIDANCE,
                         ExpertOrganisation.POLICE, ExpertOrganisation.FAMILY_LAW):
        assert str(organisation.label) in organisations
    assert str(ExpertOrganisation.FORENSIC_PSYCHIATRY.label) not in organisations  # another group's
    assert str(ExpertOrganisation.CHILD_PSYCHIATRY.label) not in organisations  # an inactive member's
    assert "Ryhmä kokoontuu kerran kuukaudessa." in html
    members = [m.user for m in Membership.objects.filter(group=world.group)] + [gone.user, world.county_admin]
    for user in members:
        assert user.get_full_name() not in html
        assert user.email not in html
        assert re.search(rf"\b{re.escape(user.last_name)}\b", html) is None


def test_group_page_shows_the_steps_of_bringing_a_case(client, world):
    html = client.get(page_url(world.group)).content.decode()
    steps = re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="steps" id="steps">(.*?)</ol>', html, re.S).group(1))
    assert len(steps) == len(BRING_A_CASE_STEPS) == 7
    assert reverse("portal:login") in html


def test_group_page_shows_coming_sessions_with_their_free_slots(client, world):
    first, full, third = world.sessions  # three slots each
    case_in_state(world, CaseState.DRAFT, session=first)
    case_in_state(world, CaseState.SUBMITTED, session=first)
    case_in_state(world, CaseState.WITHDRAWN, session=first)  # frees its slot
    for _ in range(3):
        case_in_state(world, CaseState.DRAFT, session=full)
    cancelled = SessionFactory(group=world.group, starts_at=timezone.now() + timedelta(days=3),
                               status=Session.Status.CANCELLED)
    past = SessionFactory(group=world.group, starts_at=timezone.now() - timedelta(days=3))
    html = client.get(page_url(world.group)).content.decode()
    shown = free_slots(html)
    assert shown == {first.pk: 1, third.pk: 3}
    assert cancelled.pk not in shown and past.pk not in shown and world.other_session.pk not in shown


def test_group_page_says_so_when_no_slot_is_free(client, world):
    Session.objects.filter(group=world.group).update(status=Session.Status.CANCELLED)
    html = client.get(page_url(world.group)).content.decode()
    assert free_slots(html) == {}
    assert gettext("No coming session has a free slot at the moment. Ask the coordinator.") in html


def test_short_address_leads_to_the_group_page(client, world):
    response = client.get(reverse("portal:public_group_short", args=[world.group.slug]))
    assert response.status_code == 302 and response["Location"] == page_url(world.group)


def test_same_slug_in_two_counties_needs_the_county_in_the_address(client, world):
    twin = GroupFactory(county=county("PS"), slug=world.group.slug, name="Toinen ryhmä")
    assert client.get(reverse("portal:public_group_short", args=[world.group.slug])).status_code == 404
    assert twin.name in client.get(page_url(twin)).content.decode()
    assert world.group.name in client.get(page_url(world.group)).content.decode()


@pytest.mark.parametrize("make_address", [
    lambda world: reverse("portal:public_group", args=[world.group.county.slug, "ei-ole"]),
    lambda world: reverse("portal:public_group", args=[world.other_group.county.slug, world.group.slug]),
])
def test_unknown_group_is_not_found(client, world, make_address):
    assert client.get(make_address(world)).status_code == 404


def test_inactive_group_has_no_public_page(client, world):
    world.group.is_active = False
    world.group.save()
    assert client.get(page_url(world.group)).status_code == 404
