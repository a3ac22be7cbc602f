"""A worker leaves: the county admin deactivates the account in the desk, the live case goes to
the group's coordinator, who reassigns it to the colleague the worker named."""

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.haastavat_erot.models import CaseState
from tests.browser.fixtures import plant_session
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs

pytestmark = pytest.mark.browser


def test_county_admin_deactivates_and_coordinator_reassigns(page, live_server, mailbox, queue, world):
    worker, colleague = world.worker, world.other_worker
    worker.home_county = world.group.county
    worker.save(update_fields=["home_county"])
    live = case_in_state(world, CaseState.SUBMITTED)
    done = case_in_state(world, CaseState.CLOSED, session=world.sessions[1])
    queue.empty()

    # The county admin sees the worker's account and when it was last used, and deactivates it.
    plant_session(page, live_server, world.county_admin)
    page.goto("/desk/haastavat_erot/user/")
    row = page.locator("#result_list tbody tr").filter(has_text=worker.email)
    expect(row).to_have_count(1)
    expect(row.locator("td.field-last_login")).to_be_visible()
    row.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("deactivate_accounts")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    worker.refresh_from_db()
    live.refresh_from_db()
    done.refresh_from_db()
    assert not worker.is_active and worker.deactivated_at is not None
    assert live.handed_to_coordinator_at is not None and live.state == CaseState.SUBMITTED
    assert live.worker == worker  # the skeleton still says who brought it
    assert done.handed_to_coordinator_at is None and done.state == CaseState.CLOSED

    run_jobs()
    [told] = mailbox.to(world.coordinator.email)
    assert live.number in told["Subject"]
    assert mailbox.to(worker.email) == []

    # The coordinator reassigns the case to the colleague the worker named.
    page.context.clear_cookies()
    plant_session(page, live_server, world.coordinator)
    page.goto("/desk/haastavat_erot/case/?handed_over=yes")
    row = page.locator("#result_list tbody tr").filter(has_text=live.number)
    row.get_by_role("link", name=gettext("Reassign")).click()
    page.locator("#id_email").fill(colleague.email)
    page.locator("#content-main input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text(live.number)

    live.refresh_from_db()
    assert live.worker == colleague and live.handed_to_coordinator_at is None
    mailbox.clear()
    run_jobs()
    [message] = mailbox.to(colleague.email)
    assert live.number in message["Subject"]
    assert f"/cases/{live.pk}/" in message_text(message)

    # The colleague now has the case in the portal.
    page.context.clear_cookies()
    plant_session(page, live_server, colleague)
    page.goto(f"/cases/{live.pk}/")
    expect(page.locator("main")).to_contain_text(live.number)


def test_reassigning_needs_the_cases_coordinator_and_an_active_colleague(page, live_server, queue, world):
    live = case_in_state(world, CaseState.SUBMITTED)
    from apps.haastavat_erot.services.accounts import account_deactivate

    account_deactivate(user=world.worker, by=world.county_admin)
    plant_session(page, live_server, world.other_member)  # a coordinator of another group
    response = page.goto(f"/desk/haastavat_erot/case/{live.pk}/reassign/")
    assert response.status == 403

    page.context.clear_cookies()
    plant_session(page, live_server, world.coordinator)
    page.goto(f"/desk/haastavat_erot/case/{live.pk}/reassign/")
    page.locator("#id_email").fill(world.worker.email)  # the deactivated worker themself
    page.locator("#content-main input[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text(
        gettext("No active account has this address. Invite the colleague first."))
    live.refresh_from_db()
    assert live.handed_to_coordinator_at is not None
