"""Desk roles are Django groups with model permissions, created by a data migration and
followed by the users' memberships."""

from django.contrib.auth.models import Group

from apps.haastavat_erot.models import Membership, Role
from apps.haastavat_erot.roles import CHAIRS, COORDINATORS, COUNTY_ADMINS, EXPERTS, ROLE_PERMISSIONS
from tests.factories import CountyAdminFactory, UserFactory


def test_role_groups_exist_with_their_permissions(db):
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)
    assert "sign_off_recommendations" in ROLE_PERMISSIONS[CHAIRS]
    assert "sign_off_recommendations" not in ROLE_PERMISSIONS[COORDINATORS]
    assert "view_case_content" not in ROLE_PERMISSIONS[COUNTY_ADMINS]


def test_membership_puts_user_in_role_group_and_desk(world):
    user = UserFactory()
    assert not user.is_staff
    membership = Membership.objects.create(group=world.group, user=user, role=Role.EXPERT, organisation="police")
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [EXPERTS]
    assert user.has_perm("haastavat_erot.view_case_content")
    membership.role = Role.COORDINATOR
    membership.save()
    user = type(user).objects.get(pk=user.pk)
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATORS]
    membership.delete()
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


def test_county_admin_role_group(db):
    admin = CountyAdminFactory().user
    admin.refresh_from_db()
    assert admin.is_staff
    assert admin.groups.filter(name=COUNTY_ADMINS).exists()
    assert admin.has_perm("haastavat_erot.add_consultationgroup")
