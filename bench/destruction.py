#!/usr/bin/env python
"""Benchmark of destruction (issue 9, part 3). Not a test: run it by hand.

    .venv/bin/python bench/destruction.py [--attachments 10000] [--skeletons 100000] [--keep-db]

1. Destroy N due attachments (real files on disk, ten per handled case, with their background
   information and consents) in one run, as `destroy_due` does.
2. A run with nothing due over M kept case skeletons (bulk-created).

It uses its own database, `haastavat_erot_bench_destruction` (dropped, created and migrated),
and a temporary private file store; it prints a small table. Targets (issue 9): 10,000
attachments in at most 10 s; the nothing-due run under 1 s, with a query count that does not grow.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
# Its own database (the bench/run of issue 9 uses haastavat_erot_bench; the DB user has grants on
# haastavat\_erot%).
DATABASE = "haastavat_erot_bench_destruction"


def setup_django(private_root):
    os.environ["DATABASE_NAME"] = DATABASE
    os.environ["PRIVATE_MEDIA_ROOT"] = private_root
    os.environ.setdefault("HE_SITE", "local")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def create_database():
    import MySQLdb
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    server = MySQLdb.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"], password=db["PASSWORD"])
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{DATABASE}`")
        cursor.execute(f"CREATE DATABASE `{DATABASE}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    server.close()
    call_command("migrate", verbosity=0)


def drop_database():
    import MySQLdb
    from django.conf import settings
    from django.db import connection

    connection.close()
    db = settings.DATABASES["default"]
    server = MySQLdb.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"], password=db["PASSWORD"])
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{DATABASE}`")
    server.close()


def make_world():
    from django.utils import timezone

    from apps.haastavat_erot.models import ConsultationGroup, County, Sector, Session, User

    group = ConsultationGroup.objects.create(county=County.objects.get(code="KS"), name="Benchmark group",
                                             slug="benchmark", slots_per_session=4)
    session = Session.objects.create(group=group, starts_at=timezone.now() - timezone.timedelta(days=120))
    worker = User.objects.create_user(email="bench@hyvinvointialue.example", password=None, sector=Sector.SOCIAL)
    return session, worker


def make_due_cases(session, worker, attachments, per_case, file_bytes, private_root):
    """Bulk-create handled cases due for destruction, each with a background form, a child, two
    consents and `per_case` attachments whose bytes are real files. Return (cases, bytes)."""
    from django.utils import timezone

    from apps.haastavat_erot.models import Attachment, BackgroundInformation, Case, CaseState, Child, Consent

    now = timezone.now()
    handled = now - timezone.timedelta(days=3)
    count = -(-attachments // per_case)
    Case.objects.bulk_create([
        Case(number=f"BE-{i:08d}", group_id=session.group_id, session=session, worker=worker, sector=worker.sector,
             state=CaseState.HANDLED, created_at=handled, last_edited_at=handled, handled_at=handled,
             content_due_at=handled + timezone.timedelta(hours=24), recommendations_due_at=now + timezone.timedelta(
                 days=60)) for i in range(count)], batch_size=2000)
    case_ids = list(Case.objects.filter(number__startswith="BE-").order_by("pk").values_list("pk", flat=True))
    BackgroundInformation.objects.bulk_create(
        [BackgroundInformation(case_id=pk, question="Kysymys ryhmälle.") for pk in case_ids], batch_size=2000)
    Child.objects.bulk_create([Child(background_id=pk, age_years=9, name="Lapsi") for pk in
                               BackgroundInformation.objects.values_list("pk", flat=True)], batch_size=2000)
    Consent.objects.bulk_create([Consent(case_id=pk, guardian_name=name, handling="given", records="given")
                                 for pk in case_ids for name in ("Huoltaja A", "Huoltaja B")], batch_size=2000)
    folder = Path(private_root) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    payload = os.urandom(file_bytes)
    rows = []
    for n in range(attachments):
        name = f"bench/{uuid.uuid4().hex}"
        (Path(private_root) / name).write_bytes(payload)
        rows.append(Attachment(case_id=case_ids[n // per_case], file=name, original_name="liite.pdf",
                               content_type="application/pdf", size=file_bytes, uploaded_by=worker))
    Attachment.objects.bulk_create(rows, batch_size=2000)
    return count, attachments * file_bytes


def files_left(private_root):
    return sum(len(files) for _dir, _dirs, files in os.walk(private_root))


def timed_run():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.haastavat_erot.purge import run_destruction

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        summary = run_destruction()
        elapsed = time.perf_counter() - start
    return elapsed, len(queries.captured_queries), summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, default=10_000)
    parser.add_argument("--per-case", type=int, default=10, help="attachments per case (the upload limit is 10)")
    parser.add_argument("--file-kb", type=int, default=16, help="size of each attachment file")
    parser.add_argument("--skeletons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of the nothing-due run")
    parser.add_argument("--keep-db", action="store_true", help=f"leave the {DATABASE} database behind")
    options = parser.parse_args()

    private_root = tempfile.mkdtemp(prefix="he-bench-private-")
    setup_django(private_root)
    rows = []
    try:
        create_database()
        session, worker = make_world()

        start = time.perf_counter()
        cases, size = make_due_cases(session, worker, options.attachments, options.per_case,
                                     options.file_kb * 1024, private_root)
        setup_time = time.perf_counter() - start
        elapsed, queries, summary = timed_run()
        assert summary.errors == 0 and summary.attachments == options.attachments, summary.as_json()
        assert files_left(private_root) == 0, "files left behind"
        rows.append((f"destroy {options.attachments:,} attachments ({cases:,} cases, {size / 2**20:,.0f} MiB)",
                     f"{elapsed:.2f} s", f"{queries:,}", "<= 10 s"))

        from apps.haastavat_erot.models import Case
        from tests.destruction.helpers import kept_skeletons

        for label, total in (("1,000", 1_000), (f"{options.skeletons:,}", options.skeletons)):
            missing = total - Case.objects.count()
            if missing > 0:
                kept_skeletons(session=session, worker=worker, count=missing, prefix=f"K{total}")
            timed_run()  # warm the caches once
            runs = [timed_run() for _ in range(options.repeat)]
            assert all(r[2].cases == 0 and r[2].errors == 0 for r in runs)
            median = statistics.median(r[0] for r in runs)
            rows.append((f"run with nothing due over {label} kept skeletons", f"{median * 1000:.1f} ms",
                         f"{runs[0][1]}", "< 1 s, queries flat"))
    finally:
        shutil.rmtree(private_root, ignore_errors=True)
        if not options.keep_db:
            drop_database()

    print(f"\nDestruction benchmark on {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}); data set up in {setup_time:.1f} s\n")
    widths = [max(len(str(r[i])) for r in rows + [("measurement", "time", "queries", "target")]) for i in range(4)]
    for row in [("measurement", "time", "queries", "target"), tuple("-" * w for w in widths)] + rows:
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths)) + " |")


if __name__ == "__main__":
    main()
