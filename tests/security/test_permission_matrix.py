"""The "Who sees what" table of DESIGN.md, proven: every role x every case state x every action
and URL, expecting allow or deny, with 0 leaks.

EXPECTED is written from DESIGN.md (and docs/decisions.md), not from permissions.py: it is the
second, independent statement of the rules. For URLs, "allowed" means a 200 answer; "denied"
means anything else, and in every answer (allowed or not) the family's details may appear only
where the role may read the background information.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from apps.haastavat_erot import permissions, purge
from apps.haastavat_erot.models import Attachment, Case, CaseDeclaration, CaseState
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state, fill_case
from tests.conftest import client_for

ROLES = ["owner", "other_worker", "coordinator", "chair", "expert", "disqualified_expert", "other_member",
         "county_admin", "superuser", "anonymous"]
STATES = ["draft", "submitted", "returned", "scheduled", "handled", "signed_off", "closed", "withdrawn", "destroyed"]

ALL = set(STATES)
WITH_CONTENT = {"draft", "submitted", "returned", "scheduled", "handled", "signed_off", "closed"}
AT_GROUP = {"submitted", "scheduled", "handled", "signed_off", "closed"}
ON_AGENDA = {"scheduled", "handled", "signed_off", "closed"}
RECOMMENDATIONS = {"handled", "signed_off", "closed"}
BEFORE_SESSION = {"draft", "submitted", "returned", "scheduled"}

# action -> {role: states in which the role is allowed}; a role not named is denied everywhere.
EXPECTED = {
    # the case skeleton (number, state, dates): no content
    "view_case": {"owner": ALL, "coordinator": ALL, "chair": ON_AGENDA | {"destroyed"},
                  "expert": ON_AGENDA | {"destroyed"}, "disqualified_expert": ON_AGENDA | {"destroyed"},
                  "superuser": ALL},
    "view_case_content": {"owner": WITH_CONTENT, "coordinator": AT_GROUP, "chair": ON_AGENDA, "expert": ON_AGENDA},
    "view_recommendations": {"owner": {"signed_off", "closed"}, "coordinator": RECOMMENDATIONS,
                             "chair": RECOMMENDATIONS, "expert": RECOMMENDATIONS},
    "edit_case": {"owner": {"draft", "returned"}},
    "withdraw_case": {"owner": BEFORE_SESSION},
    "manage_consents": {"owner": BEFORE_SESSION},
    "acknowledge_recommendations": {"owner": {"signed_off", "closed"}},
    "record_recommendations": {"coordinator": {"scheduled", "handled"}, "chair": {"scheduled", "handled"}},
    "sign_off_recommendations": {"chair": {"scheduled", "handled"}},
    "declare_on_case": {"chair": ON_AGENDA | {"destroyed"}, "expert": ON_AGENDA | {"destroyed"},
                        "disqualified_expert": ON_AGENDA | {"destroyed"}},
    # URLs
    "url:portal_case": {"owner": ALL},
    "url:attachment": {"owner": WITH_CONTENT, "coordinator": AT_GROUP, "chair": ON_AGENDA, "expert": ON_AGENDA},
    "url:guessed_attachment": {},
    # desk pages answer with the receipt once the content is gone; the leak check still applies
    "url:desk_read": {"coordinator": AT_GROUP | {"withdrawn", "destroyed"}, "chair": ON_AGENDA | {"destroyed"},
                      "expert": ON_AGENDA | {"destroyed"}, "disqualified_expert": {"destroyed"}},
    "url:desk_review": {"coordinator": ALL},
    "url:desk_recommendations": {"coordinator": ON_AGENDA | {"destroyed"}, "chair": ON_AGENDA | {"destroyed"},
                                 "expert": RECOMMENDATIONS | {"destroyed"},
                                 "disqualified_expert": {"destroyed"}},  # the receipt only
    "url:desk_agenda": {"coordinator": ALL},
    # every coordinator has an incoming list of their own groups; the case must not be in another's
    "url:desk_incoming": {"coordinator": ALL, "other_member": ALL},
    "url:background_form": {"owner": {"draft", "returned"}},
    "url:consent_add": {"owner": BEFORE_SESSION},
    "url:consent_edit": {"owner": BEFORE_SESSION},
    "url:consent_scans": {"owner": BEFORE_SESSION},
    "url:case_withdraw": {"owner": BEFORE_SESSION},
    "url:recommendations": {"owner": ALL},
    "url:recommendations_pdf": {"owner": {"signed_off", "closed"}},
    "url:desk_case": {"coordinator": ALL, "chair": ON_AGENDA | {"destroyed"}, "expert": ON_AGENDA | {"destroyed"},
                      "disqualified_expert": ON_AGENDA | {"destroyed"}, "superuser": ALL},
}

URLS = {
    "url:portal_case": lambda case, attachment_id: reverse("portal:case_detail", args=[case.pk]),
    "url:attachment": lambda case, attachment_id: reverse("portal:attachment_download", args=[attachment_id]),
    "url:guessed_attachment": lambda case, attachment_id: reverse("portal:attachment_download",
                                                                  args=[attachment_id + 1000]),
    "url:desk_case": lambda case, attachment_id: reverse("admin:haastavat_erot_case_change", args=[case.pk]),
    "url:desk_read": lambda case, attachment_id: reverse("admin:haastavat_erot_case_read", args=[case.pk]),
    "url:desk_review": lambda case, attachment_id: reverse("admin:haastavat_erot_case_review", args=[case.pk]),
    "url:desk_recommendations": lambda case, attachment_id: reverse("admin:haastavat_erot_case_recommendations",
                                                                    args=[case.pk]),
    "url:desk_agenda": lambda case, attachment_id: reverse("admin:haastavat_erot_case_agenda",
                                                           args=[case.session_id or 1]),
    "url:desk_incoming": lambda case, attachment_id: reverse("admin:haastavat_erot_case_incoming"),
    "url:background_form": lambda case, attachment_id: reverse("portal:background_form", args=[case.pk]),
    "url:consent_add": lambda case, attachment_id: reverse("portal:consent_add", args=[case.pk]),
    "url:consent_edit": lambda case, attachment_id: reverse("portal:consent_edit", args=[case.pk, first_consent(case)]),
    "url:consent_scans": lambda case, attachment_id: reverse("portal:consent_scans",
                                                             args=[case.pk, first_consent(case)]),
    "url:case_withdraw": lambda case, attachment_id: reverse("portal:case_withdraw", args=[case.pk]),
    "url:recommendations": lambda case, attachment_id: reverse("portal:case_recommendations", args=[case.pk]),
    "url:recommendations_pdf": lambda case, attachment_id: reverse("portal:recommendations_pdf", args=[case.pk]),
}


def first_consent(case):
    """A consent id of the case; a destroyed case's guessed id (none left) is tried as 1."""
    consent = case.consents.order_by("pk").first()
    return consent.pk if consent else 1

SECRETS = ("Miten tukea lasta vaihtotilanteissa", "Meikäläinen", "liite-salaisuus")


def build_case(world, state):
    """The owner's case in `state`, with one attachment while it has content."""
    base = {"signed_off": CaseState.HANDLED, "destroyed": CaseState.CLOSED}.get(state, state)
    case = case_in_state(world, CaseState(base))
    if state == "draft":
        fill_case(case)
    if state == "signed_off":
        agenda.recommendations_sign_off(case=case, by=world.chair)
    attachment = Attachment(case=case, original_name="liite.pdf", content_type="application/pdf", size=15,
                            uploaded_by=world.worker)
    attachment.file.save("liite.pdf", ContentFile(b"liite-salaisuus"), save=False)
    attachment.save()
    CaseDeclaration.objects.filter(case=case, user=world.expert2).update(
        decision=CaseDeclaration.Decision.DISQUALIFIED)
    if state == "destroyed":
        purge.run_destruction(as_of=timezone.now() + timedelta(days=120))
    case.refresh_from_db()
    return case, attachment.pk


def role_user(world, role):
    """The user playing `role`; expert2 has declared a conflict of interest in every case."""
    return {"owner": world.worker, "disqualified_expert": world.expert2, "anonymous": None}.get(role) \
        or getattr(world, role, None)


@pytest.mark.parametrize("state", STATES)
def test_who_sees_what(world, state, client, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    case, attachment_id = build_case(world, state)
    leaks = []
    for role in ROLES:
        user = role_user(world, role)
        subject = django_user_model.objects.get(pk=user.pk) if user else AnonymousUser()
        client.logout()
        client_for(client, subject if user else None)
        may_read_content = state in EXPECTED["view_case_content"].get(role, set())
        may_see_case = state in EXPECTED["view_case"].get(role, set())
        if permissions.cases_visible_to(subject, Case.objects.filter(pk=case.pk)).exists() != may_see_case:
            leaks.append(f"{role} {'finds' if not may_see_case else 'misses'} the case in lists in state {state}")
        for action, allowed_by_role in EXPECTED.items():
            expected = state in allowed_by_role.get(role, set())
            if action.startswith("url:"):
                response = client.get(URLS[action](case, attachment_id))
                body = b"".join(response.streaming_content) if response.streaming else response.content
                actual = response.status_code == 200
                shown = [s for s in SECRETS if s.encode() in body]
                if shown and not may_read_content:
                    leaks.append(f"{role} saw {shown} at {action} in state {state}")
                if case.number.encode() in body and not may_see_case:
                    leaks.append(f"{role} saw the case number at {action} in state {state}")
            else:
                actual = subject.has_perm("haastavat_erot." + action, case)
            if actual != expected:
                leaks.append(f"{role} {'got' if actual else 'was refused'} {action} in state {state}")
    assert not leaks, "\n".join(leaks)
