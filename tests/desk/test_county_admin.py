"""County admins configure the groups of their own county (members, roles, cadence, capacity,
grace period) and see no case content; nothing of another county."""

import pytest
from django.urls import reverse

from apps.haastavat_erot.models import CaseState, ConsultationGroup, Membership, Role
from tests.builders import case_in_state
from tests.factories import MembershipFactory, county

from .case_helpers import assert_no_family_text, desk

GROUP_ADD = "admin:haastavat_erot_consultationgroup_add"
GROUP_CHANGE = "admin:haastavat_erot_consultationgroup_change"


def _value(field):
    value = field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if hasattr(value, "pk"):
        return value.pk
    return value


def form_data(response):
    """Return the POST data of an admin change form as the browser would send it unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = _value(field)
            if value is not None:
                data[field.html_name] = value
    return data


def group_data(county_code="KS", **overrides):
    return {"county": county(county_code).pk, "name": "Uusi ryhmä", "slug": "uusi-ryhma", "is_active": "on",
            "cadence": "monthly", "session_minutes": 120, "slots_per_session": 5, "default_place": "",
            "grace_hours": 72, "public_description": "",
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0, "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000, **overrides}


def test_county_admin_creates_a_group_with_a_member_in_their_county(client, world):
    expert = world.expert  # already a member of another group of the county: in the admin's view
    desk(client, world.county_admin)
    response = client.post(reverse(GROUP_ADD), group_data(**{
        "memberships-TOTAL_FORMS": 1, "memberships-0-user": expert.pk, "memberships-0-role": Role.EXPERT,
        "memberships-0-organisation": "police", "memberships-0-is_active": "on"}))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    group = ConsultationGroup.objects.get(slug="uusi-ryhma")
    assert group.county == world.group.county and group.slots_per_session == 5 and group.grace_hours == 72
    membership = Membership.objects.get(group=group)
    assert (membership.user, membership.role) == (expert, Role.EXPERT)


def test_county_admin_cannot_create_a_group_in_another_county(client, world):
    desk(client, world.county_admin)
    response = client.post(reverse(GROUP_ADD), group_data("PS"))
    assert response.status_code == 200
    assert "county" in response.context["adminform"].form.errors
    assert not ConsultationGroup.objects.filter(slug="uusi-ryhma").exists()


@pytest.mark.parametrize("hours, valid", [(0, True), (14 * 24, True), (14 * 24 + 1, False)])
def test_grace_period_is_0_to_14_days(client, world, hours, valid):
    desk(client, world.county_admin)
    url = reverse(GROUP_CHANGE, args=[world.group.pk])
    data = {**form_data(client.get(url)), "grace_hours": hours, "cadence": "biweekly", "slots_per_session": 6}
    response = client.post(url, data)
    world.group.refresh_from_db()
    if valid:
        assert response.status_code == 302
        assert (world.group.grace_hours, world.group.cadence, world.group.slots_per_session) == (hours, "biweekly", 6)
    else:
        assert response.status_code == 200 and "grace_hours" in response.context["adminform"].form.errors
        assert world.group.grace_hours != hours


def _membership_index(data, membership):
    return next(key.split("-")[1] for key, value in data.items()
                if key.startswith("memberships-") and key.endswith("-id") and value == membership.pk)


def test_county_admin_sets_a_role_and_removes_a_member(client, world):
    desk(client, world.county_admin)
    url = reverse(GROUP_CHANGE, args=[world.group.pk])
    data = form_data(client.get(url))
    promoted = Membership.objects.get(group=world.group, user=world.expert)
    removed = Membership.objects.get(group=world.group, user=world.expert2)
    data[f"memberships-{_membership_index(data, promoted)}-role"] = Role.CHAIR
    data[f"memberships-{_membership_index(data, removed)}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    promoted.refresh_from_db()
    assert promoted.role == Role.CHAIR
    assert not Membership.objects.filter(pk=removed.pk).exists()


def test_county_admin_cannot_touch_another_countys_group(client, world):
    desk(client, world.county_admin)
    other = world.other_group
    url = reverse(GROUP_CHANGE, args=[other.pk])
    assert client.get(url).status_code == 302  # "does not exist" for them: back to the desk index
    response = client.post(url, {**group_data("PS"), "name": "Kaapattu", "slug": other.slug})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.name == "Pohjois-Savon ryhmä"
    changelist = client.get(reverse("admin:haastavat_erot_consultationgroup_changelist")).content.decode()
    assert world.group.name in changelist and other.name not in changelist


def test_county_admin_cannot_add_a_member_to_another_countys_group_through_their_own(client, world):
    desk(client, world.county_admin)
    url = reverse(GROUP_CHANGE, args=[world.group.pk])
    data = form_data(client.get(url))
    data["county"] = county("PS").pk  # move their group to another county
    response = client.post(url, data)
    assert response.status_code == 200
    world.group.refresh_from_db()
    assert world.group.county.code == "KS"


def test_county_admin_sees_no_case_content(client, world):
    case = case_in_state(world, CaseState.SCHEDULED, session=world.sessions[0])
    admin = world.county_admin
    assert not admin.has_perm("haastavat_erot.view_case_content", case)
    assert not admin.has_perm("haastavat_erot.view_case", case)
    desk(client, admin)
    cases = client.get(reverse("admin:haastavat_erot_case_changelist"))
    assert cases.status_code == 403 or case.number not in cases.content.decode()
    assert client.get(reverse("admin:haastavat_erot_case_change", args=[case.pk])).status_code in (302, 403)
    for url in (reverse("admin:haastavat_erot_session_change", args=[world.sessions[0].pk]),
                reverse(GROUP_CHANGE, args=[world.group.pk]),
                reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert case.number not in page
        assert_no_family_text(page)


@pytest.mark.parametrize("role", ["coordinator", "chair", "expert"])
def test_group_configuration_not_allowed_for_members(client, world, role):
    desk(client, getattr(world, role))
    url = reverse(GROUP_CHANGE, args=[world.group.pk])
    response = client.post(url, {**group_data(), "name": "Muutettu", "slug": world.group.slug})
    assert response.status_code == 403
    world.group.refresh_from_db()
    assert world.group.name == "Keski-Suomen ryhmä"
    assert client.get(reverse(GROUP_ADD)).status_code == 403


def test_a_second_county_admin_of_another_county_cannot_see_this_county(client, world):
    from tests.factories import CountyAdminFactory

    other_admin = CountyAdminFactory(county=county("PS")).user
    MembershipFactory(group=world.other_group)
    desk(client, other_admin)
    assert client.get(reverse(GROUP_CHANGE, args=[world.group.pk])).status_code == 302
    assert client.get(reverse("admin:haastavat_erot_session_calendar", args=[world.group.pk])).status_code == 404


def new_member_data(group, **overrides):
    return {"email": "uusi.asiantuntija@poliisi.example", "first_name": "Uuno", "last_name": "Uusi",
            "usable_password": "true", "password1": "Pitka-salasana-2026!", "password2": "Pitka-salasana-2026!",
            "group": group.pk, "role": Role.EXPERT, "member_organisation": "police", **overrides}


def test_county_admin_adds_a_new_member_with_a_role(client, world):
    desk(client, world.county_admin)
    response = client.post(reverse("admin:haastavat_erot_user_add"), new_member_data(world.group))
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="uusi.asiantuntija@poliisi.example")
    assert (membership.group, membership.role, membership.organisation) == (world.group, Role.EXPERT, "police")
    assert membership.user.is_staff
    assert client.get(response["Location"]).status_code == 200  # the new account is in their view


def test_county_admin_cannot_add_a_new_member_to_another_countys_group(client, world):
    desk(client, world.county_admin)
    response = client.post(reverse("admin:haastavat_erot_user_add"), new_member_data(world.other_group))
    assert response.status_code == 200 and "group" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user__email="uusi.asiantuntija@poliisi.example").exists()


def test_expert_needs_an_organisation(client, world):
    desk(client, world.county_admin)
    response = client.post(reverse("admin:haastavat_erot_user_add"),
                           new_member_data(world.group, member_organisation=""))
    assert response.status_code == 200 and "member_organisation" in response.context["adminform"].form.errors


def test_county_admin_cannot_add_an_account_outside_their_view_by_id(client, world):
    desk(client, world.county_admin)
    url = reverse(GROUP_CHANGE, args=[world.group.pk])
    data = form_data(client.get(url))
    index = int(data["memberships-TOTAL_FORMS"])
    data.update({"memberships-TOTAL_FORMS": index + 1, f"memberships-{index}-user": world.other_member.pk,
                 f"memberships-{index}-role": Role.EXPERT, f"memberships-{index}-organisation": "police",
                 f"memberships-{index}-is_active": "on"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Membership.objects.filter(group=world.group, user=world.other_member).exists()
