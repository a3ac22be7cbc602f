"""Cases with signed-off recommendations, for the desk and portal recommendation tests."""

from apps.haastavat_erot.models import CaseState, RecommendationCategory
from apps.haastavat_erot.services import agenda
from tests.builders import case_in_state

SECOND_TEXT = "Valvotut tapaamiset perheoikeudellisen yksikön kautta; uusi konsultaatio puolen vuoden päästä."


def handled_case(world, **kwargs):
    """A handled case with two recommendations, one recorded by the coordinator and one by the chair."""
    case = case_in_state(world, CaseState.SCHEDULED, **kwargs)
    agenda.recommendation_record(case=case, by=world.coordinator, category=RecommendationCategory.ASSESSMENT,
                                 text="Lapsen tilanteen arvio lastenpsykiatrialla.")
    agenda.recommendation_record(case=case, by=world.chair, category=RecommendationCategory.SERVICE_REFERRAL,
                                 text=SECOND_TEXT)
    return agenda.case_mark_handled(case=case, by=world.coordinator)


def signed_off_case(world, **kwargs):
    case = handled_case(world, **kwargs)
    return agenda.recommendations_sign_off(case=case, by=world.chair)
