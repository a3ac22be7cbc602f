"""Known cases for the statistics tests: booked, handled and acknowledged at fixed times in 2025.

World's group (Keski-Suomi), session of 20 March 2025 10:00 (6 slots):
  3 social, named, closed, booked 3 March (17 days before); feedback 4, 5 and 3
  1 health, anonymous, handled, booked 11 March (9 days); two extra police-report recommendations
World's group, session of 15 May 2025 10:00 (6 slots):
  3 education, anonymous, on the agenda; 1 social, named, submitted; booked 5 May (10 days)
  1 health withdrawn before submission and 1 education draft: never brought, not counted
World's group, a cancelled session in June 2025. Other group (Pohjois-Savo), March 2025:
  3 social cases submitted, booked 3 March.
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

from apps.haastavat_erot.models import CaseState, Feedback, RecommendationCategory, Sector, Session
from tests.builders import case_in_state
from tests.factories import RecommendationFactory, SessionFactory, UserFactory

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=HELSINKI)


def seed_statistics(world):
    workers = {sector: UserFactory(sector=sector, unit=f"Yksikkö {sector}") for sector in Sector.values}
    march = SessionFactory(group=world.group, starts_at=at(2025, 3, 20), capacity=6)
    may = SessionFactory(group=world.group, starts_at=at(2025, 5, 15), capacity=6)
    SessionFactory(group=world.group, starts_at=at(2025, 6, 12), status=Session.Status.CANCELLED)
    other = SessionFactory(group=world.other_group, starts_at=at(2025, 3, 20), capacity=4)

    def bring(when, session, state, sector, *, named=True):
        with time_machine.travel(when, tick=False):
            return case_in_state(world, state, session=session, named=named, worker=workers[sector])

    closed = [bring(at(2025, 3, 3), march, CaseState.CLOSED, Sector.SOCIAL) for _ in range(3)]
    for case, score in zip(closed, (4, 5, 3)):
        Feedback.objects.create(case=case, usefulness=score, comment="Hyödyllinen.")
    handled = bring(at(2025, 3, 11), march, CaseState.HANDLED, Sector.HEALTH, named=False)
    for _ in range(2):
        RecommendationFactory(case=handled, category=RecommendationCategory.POLICE_REPORT)
    for _ in range(3):
        bring(at(2025, 5, 5), may, CaseState.SCHEDULED, Sector.EDUCATION, named=False)
    bring(at(2025, 5, 5), may, CaseState.SUBMITTED, Sector.SOCIAL)
    bring(at(2025, 5, 5), may, CaseState.WITHDRAWN, Sector.HEALTH)
    bring(at(2025, 5, 5), may, CaseState.DRAFT, Sector.EDUCATION)
    for _ in range(3):
        bring(at(2025, 3, 3), other, CaseState.SUBMITTED, Sector.SOCIAL)
    return SimpleNamespace(workers=workers, march=march, may=may, other=other, closed=closed, handled=handled)
