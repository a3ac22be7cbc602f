"""Every registered desk page opens for every desk role without an error, and a user without a
verified second factor is refused the desk."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.haastavat_erot.models import CaseState
from tests.builders import case_in_state
from tests.conftest import verified_client

DESK_ROLES = ["coordinator", "chair", "expert", "county_admin", "superuser"]


@pytest.mark.parametrize("role", DESK_ROLES)
def test_every_desk_page_opens_for_every_role(client, world, role):
    case_in_state(world, CaseState.HANDLED)
    user = getattr(world, role)
    user.refresh_from_db()
    verified_client(client, user)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        changelist = client.get(reverse("admin:%s_%s_changelist" % info))
        assert changelist.status_code in (200, 403), (model, changelist.status_code)
        add = client.get(reverse("admin:%s_%s_add" % info))
        assert add.status_code in (200, 403), (model, add.status_code)
        obj = model_admin.get_queryset(type("R", (), {"user": user})()).first() if changelist.status_code == 200 \
            else None
        if obj is not None:
            change = client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
            assert change.status_code in (200, 403), (model, change.status_code)


def test_desk_refuses_a_user_without_second_factor(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("portal:two_factor"))
    assert response.status_code == 200
    assert "Tervetuloa" not in response.content.decode()


def test_desk_refuses_workers(client, world):
    verified_client(client, world.worker)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")


def test_desk_speaks_finnish_by_default(client, world):
    verified_client(client, world.coordinator)
    response = client.get(reverse("admin:index"))
    assert response["Content-Language"] == "fi"
    assert "Tervetuloa" in response.content.decode()
