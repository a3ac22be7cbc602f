"""Drive a case through the real services to the state a test needs."""

from apps.haastavat_erot.models import (
    CaseDeclaration,
    CaseState,
    Child,
    Consent,
    ConsentAnswer,
    RecommendationCategory,
)
from apps.haastavat_erot.services import agenda, booking


GUARDIANS = ("Maija Meikäläinen", "Matti Meikäläinen")


def record_consents(case, answer=ConsentAnswer.GIVEN, names=GUARDIANS):
    """Record each guardian's answer on handling (records consented); a case is named only when
    every guardian consented to handling."""
    for name in names:
        Consent.objects.create(case=case, guardian_name=name, handling=answer, records=ConsentAnswer.GIVEN)
    case.is_anonymous = answer != ConsentAnswer.GIVEN
    case.save(update_fields=["is_anonymous"])


def fill_case(case, *, named=True, guardians=GUARDIANS):
    background = case.background
    background.question = "Miten tukea lasta vaihtotilanteissa?"
    background.family_situation = "Vanhemmat erosivat vuosi sitten; riita tapaamisista jatkuu."
    background.save()
    Child.objects.create(background=background, age_years=9, name="Aino" if named else "")
    record_consents(case, ConsentAnswer.GIVEN if named else ConsentAnswer.REFUSED, guardians)
    return case


def case_in_state(world, state, *, session=None, named=True, declare=True, worker=None):
    """Return a case of world.worker (or `worker`) in `state`, made through the services."""
    worker = worker or world.worker
    session = session or world.sessions[0]
    case = booking.case_book(worker=worker, session=session, eligibility_reasoning="Perustelu.")
    if state == CaseState.DRAFT:
        return case
    fill_case(case, named=named)
    if state == CaseState.WITHDRAWN:
        case.state, case.withdrawn_at = CaseState.WITHDRAWN, case.created_at
        case.save()
        return case
    booking.case_submit(case=case, by=worker)
    if state == CaseState.SUBMITTED:
        return case
    if state == CaseState.RETURNED:
        return agenda.case_return(case=case, by=world.coordinator, reason="Tarkenna kysymystä.")
    agenda.case_schedule(case=case, by=world.coordinator)
    if declare:
        for user in (world.chair, world.expert, world.expert2):
            CaseDeclaration.objects.create(case=case, user=user, decision=CaseDeclaration.Decision.NO_CONFLICT)
    if not case.session.agenda_published_at:
        agenda.session_publish_agenda(session=case.session, by=world.coordinator)
    case.refresh_from_db()
    if state == CaseState.SCHEDULED:
        return case
    agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.ASSESSMENT,
                                 text="Lapsen tilanteen arvio lastenpsykiatrialla.")
    agenda.case_mark_handled(case=case, by=world.coordinator)
    if state == CaseState.HANDLED:
        return case
    agenda.recommendations_sign_off(case=case, by=world.chair)
    agenda.recommendations_acknowledge(case=case, by=worker)
    return case
