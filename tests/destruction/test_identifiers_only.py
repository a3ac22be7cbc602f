"""Job arguments, cache entries, log lines, e-mails and the command's output carry identifiers
only: with family names in the data, a full scheduled run through RQ leaves none of them anywhere
outside the rows that destruction removes."""

import logging
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rq.cron import CronScheduler
from rq.job import Job

from apps.haastavat_erot.models import Case, CaseState
from tests.builders import case_in_state
from tests.conftest import message_text, run_jobs

from .helpers import FAMILY_NAME, assert_content_gone, with_files
from .subprocess_run import run_destroy_due

# Planted by tests/builders.fill_case and helpers.attach.
FAMILY_DATA = [FAMILY_NAME, "Aino", "Miten tukea lasta", "Vanhemmat erosivat", "Lapsen tilanteen arvio"]


def assert_no_family_data(text, where):
    for needle in FAMILY_DATA:
        assert needle not in text, f"{needle!r} found in {where}"


def redis_dump(connection):
    """Every key and value of a Redis database as text (RQ's job data decompressed)."""
    parts = []
    for key in connection.scan_iter():
        parts.append(key.decode("utf-8", "replace"))
        kind = connection.type(key).decode()
        values = {"string": lambda: [connection.get(key)], "hash": lambda: connection.hgetall(key).values(),
                  "list": lambda: connection.lrange(key, 0, -1), "set": lambda: connection.smembers(key),
                  "zset": lambda: connection.zrange(key, 0, -1)}.get(kind, lambda: [])()
        for value in values:
            try:
                value = zlib.decompress(value)
            except zlib.error:
                pass
            parts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


@pytest.fixture
def named_cases(world, queue, mailbox, django_capture_on_commit_callbacks):
    """A closed and a handled named case with files, made through the services (which queue
    their notification e-mails), both due now."""
    world.group.grace_hours = 0
    world.group.save()
    with django_capture_on_commit_callbacks(execute=True):
        cases = [case_in_state(world, CaseState.CLOSED), case_in_state(world, CaseState.HANDLED)]
    files = {case.pk: with_files(case) for case in cases}
    Case.objects.filter(pk=cases[0].pk).update(recommendations_due_at=timezone.now() - timedelta(minutes=1))
    return cases, files


def test_a_scheduled_run_through_rq_leaves_identifiers_only(named_cases, queue, mailbox, caplog):
    from django.core.cache import cache

    cases, files = named_cases
    cache.set("he-destruction-probe", 1)  # make sure the cache database is the one scanned
    scheduler = CronScheduler(connection=queue.connection, name="identifiers-test")
    scheduler.load_config_from_file("apps.haastavat_erot.cron")
    [cron_job] = [job for job in scheduler.get_jobs() if job.func_name.endswith(".run_scheduled_destruction")]
    assert (cron_job.func_name, cron_job.args, cron_job.kwargs, cron_job.interval) == (
        "apps.haastavat_erot.jobs.run_scheduled_destruction", (), {}, 15 * 60)
    scheduler.enqueue_jobs()

    with caplog.at_level(logging.DEBUG):
        run_jobs()

    for case in cases:
        assert_content_gone(case, files[case.pk])
    job_ids = queue.finished_job_registry.get_job_ids() + queue.failed_job_registry.get_job_ids() + queue.job_ids
    assert len(job_ids) >= 3  # the notifications and the destruction run
    assert not queue.failed_job_registry.get_job_ids()
    for job in Job.fetch_many(job_ids, connection=queue.connection):
        assert all(isinstance(arg, (int, str)) for arg in job.args), job.args
        assert not job.kwargs
        assert_no_family_data(repr(job.args) + repr(job.return_value()), f"job {job.func_name}")
    destruction = [j for j in Job.fetch_many(job_ids, connection=queue.connection)
                   if j.func_name.endswith("run_scheduled_destruction")]
    assert '"cases": 2' in destruction[0].return_value()

    assert_no_family_data("\n".join(r.getMessage() for r in caplog.records), "the log")
    assert any(cases[0].number in r.getMessage() for r in caplog.records)  # the log does name the case
    assert mailbox
    assert_no_family_data("\n".join(message_text(m) for m in mailbox), "the e-mails")
    cache_connection = cache._cache.get_client(write=False)
    dump = redis_dump(cache_connection)
    assert "he-destruction-probe" in dump
    assert_no_family_data(dump, "the cache")
    assert_no_family_data(redis_dump(queue.connection), "the queue's Redis database")


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_and_logs_identifiers_only(world):
    world.group.grace_hours = 0
    world.group.save()
    case = case_in_state(world, CaseState.HANDLED)
    files = with_files(case)
    code, summary, out, err = run_destroy_due()
    assert code == 0 and summary["cases"] == 1, err
    assert case.number in err  # the log line names the case by number
    assert_no_family_data(out + err, "the command's output")
    assert_content_gone(case, files)
