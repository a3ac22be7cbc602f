"""Workers racing for the last slot of a session: exactly one gets it, every other is refused
with 'session_full'. (bench/run measures the same through gunicorn with 50 clients.)"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.haastavat_erot.models import Case
from apps.haastavat_erot.services.booking import case_book
from tests.factories import GroupFactory, SessionFactory, UserFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("racers", [2, 8, 20])
def test_exactly_one_worker_gets_the_last_slot(racers):
    session = SessionFactory(group=GroupFactory(), capacity=2)
    case_book(worker=UserFactory(), session=session)  # one slot left
    workers = [UserFactory() for _ in range(racers)]
    barrier = threading.Barrier(racers)
    results = []

    def book(worker):
        try:
            barrier.wait()
            case_book(worker=worker, session=session)
            results.append("booked")
        except ValidationError as error:
            results.append(error.error_dict["session"][0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked"] + ["session_full"] * (racers - 1)
    assert Case.objects.filter(session=session).count() == 2
