"""bench/run: measure the product under gunicorn against MariaDB and Redis, next to a bare
baseline view in the same run, and print one table. See README.md, "Benchmarks"."""

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.client import Browser, form_fields, load_figures, median_ms, run_load

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
FILE_NAMES = ("first.pdf", "second.pdf", "third.pdf")


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# --- database and Django ---------------------------------------------------------------------------
def recreate_database(keep):
    """Create (or drop and recreate) DATABASE_NAME; the DB user may create haastavat_erot* databases."""
    import MySQLdb
    from django.conf import settings

    db = settings.DATABASES["default"]
    conn = MySQLdb.connect(host=db["HOST"], port=int(db["PORT"] or 3306), user=db["USER"], passwd=db["PASSWORD"])
    cursor = conn.cursor()
    name = db["NAME"]
    if not keep:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    conn.close()


def prepare_django(keep_db):
    import django

    django.setup()
    recreate_database(keep_db)
    from django.core.management import call_command

    log("migrating and collecting static files")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench.urls import create_baseline_table

    create_baseline_table()


# --- gunicorn -------------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_web_command():
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit("Procfile has no web process")


class Gunicorn:
    """The Procfile's web process, on a free port, with this run's settings."""

    def __init__(self, log_path):
        self.port = free_port()
        env = dict(os.environ, HE_PORT=str(self.port), PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}")
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        command = procfile_web_command()
        log(f"starting gunicorn: {command} (HE_PORT={self.port})")
        self.process = subprocess.Popen(["bash", "-c", "exec " + command], cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_until_up()

    def _wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if len(self.worker_pids()) >= 1:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start in 60 s")

    def worker_pids(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def peak_rss_mb(self):
        """VmHWM (peak resident set size) of each worker, in MB."""
        peaks = {}
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks[pid] = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
        return peaks

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- 1. submit with three 1 MB attachments, and the baseline ---------------------------------------
def pdf(size, seed):
    """A valid-looking PDF of `size` bytes that passes uploads.check_upload (random body, no markup)."""
    head, tail = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    body = random.Random(seed).randbytes(size - len(head) - len(tail))
    return head + body.replace(b"<", b"(") + tail


def page_errors(page):
    """The error messages a form page shows (for a failing benchmark's message)."""
    found = re.findall(r'class="(?:errorlist|error-summary)[^"]*"[^>]*>(.*?)</(?:ul|div)>', page, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found][:5]


def submit_jobs(browser, cases, files):
    """One job per case: the background form posted once with Submit and the three 1 MB files
    chosen together, as a worker does. Form fields are read from the page first, as a browser has them.
    Return the jobs and the fields posted (with Submit), for the baseline to post the same."""
    jobs = []
    for case in cases:
        path = f"/cases/{case.pk}/background/"
        status, _, page = browser.get(path)
        if status != 200:
            raise RuntimeError(f"background form of case {case.pk}: {status}")
        fields = form_fields(page)

        def job(path=path, fields=fields, case=case):
            status, location, page = browser.post(path, {**fields, "action": "submit"}, [
                ("file", (name, data, "application/pdf")) for name, data in zip(FILE_NAMES, files)])
            if status != 302 or not location.endswith(f"/cases/{case.pk}/"):
                raise RuntimeError(f"case {case.pk} submit: {status} {location} {page_errors(page)}")

        jobs.append(job)
    return jobs, {**fields, "action": "submit"}


def baseline_jobs(browser, count, files, fields):
    """The baseline: the same multipart body (the form's fields, Submit and the three 1 MB files),
    with the same session and CSRF token, posted to a view that writes one row and nothing else."""

    def job():
        status, _, page = browser.post("/bench/one-row/", fields, [
            ("file", (name, data, "application/pdf")) for name, data in zip(FILE_NAMES, files)])
        if status != 200:
            raise RuntimeError(f"baseline: {status} {page[:200]!r}")

    return [job] * count


def measure_submit(server, workers, plan, warm_up, rounds):
    """plan: [(clients, submissions per client)]. Return rows for section 1. First, unmeasured,
    workers 0 and 1 each submit `warm_up` cases and post the baseline as often at once, so that
    both gunicorn workers have imported and compiled the submit's code (these machines run Python
    with PYTHONDONTWRITEBYTECODE) before anything is timed. Then, for each plan, baseline and
    submit take turns in `rounds` blocks (baseline first in every other round), so that a drift of
    the machine during the run weighs on both alike."""
    from bench import seed

    files = [pdf(MB, seed=n) for n in range(3)]
    browsers = []
    for worker in workers:
        browser = Browser(server.url)
        browser.login(worker.user.email, seed.PASSWORD)
        browsers.append(browser)
    warm = [submit_jobs(browsers[i], workers[i].cases[:warm_up], files) for i in range(2)]
    run_load([jobs + baseline_jobs(browsers[i], warm_up, files, fields) for i, (jobs, fields) in enumerate(warm)])
    rows = []
    taken = [warm_up, warm_up] + [0] * (len(workers) - 2)
    for clients, per_client in plan:
        jobs, base = [], []
        for i in range(clients):
            cases = workers[i].cases[taken[i]:taken[i] + per_client]
            taken[i] += per_client
            client_jobs, fields = submit_jobs(browsers[i], cases, files)
            jobs.append(client_jobs)
            base.append(baseline_jobs(browsers[i], per_client, files, fields))
        log(f"1. baseline and submit, {clients} client(s) x {per_client}, in {rounds} rounds each")
        base_runs, submit_runs = [], []
        for turn in range(rounds):
            block = [(base, base_runs), (jobs, submit_runs)]
            for kind, runs in block if turn % 2 == 0 else reversed(block):
                runs.append(run_load([client_jobs[turn::rounds] for client_jobs in kind]))
        b_rps, b_p50, b_p95 = load_figures(base_runs)
        s_rps, s_p50, s_p95 = load_figures(submit_runs)
        who = f"{clients} client{'s' if clients > 1 else ''}"
        rows += [
            ("1", f"submit + 3 × 1 MB (1 POST), {who}: per second; p50 / p95",
             f"{s_rps:.2f}/s; {s_p50:.0f} / {s_p95:.0f} ms", ""),
            ("1", f"baseline one-row view, same 3 × 1 MB POST, {who}: per second; p50 / p95",
             f"{b_rps:.2f}/s; {b_p50:.0f} / {b_p95:.0f} ms", ""),
            ("1", f"ratio submit / baseline, {who}: p50; p95; throughput",
             f"{s_p50 / b_p50:.2f}×; {s_p95 / b_p95:.2f}×; {b_rps / s_rps:.2f}×",
             "≤ 1.5×" + (" ✓" if s_p50 / b_p50 <= 1.5 else " ✗")),
        ]
    return rows


# --- 2. lists at 10 and 10,000 cases ---------------------------------------------------------------
def measure_lists(server, data, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench import seed

    pages = []
    for label, account, url, desk in (
            ("desk case list (coordinator)", data.coordinator, reverse("admin:haastavat_erot_case_changelist"), True),
            ("portal my cases (worker)", data.worker, reverse("portal:home"), False)):
        client, cookie = seed.session_cookie(account, desk=desk)
        browser = Browser(server.url)
        browser.cookies["sessionid"] = cookie
        pages.append((label, client, browser, url))

    figures = {}
    for size in (10, 10_000):
        have = data.group.cases.count()
        seed.add_cases(data.group, data.worker, data.session, size - have, start=have)
        for label, client, browser, url in pages:
            client.get(url)  # warm up: first-request queries of this process
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)

            def fetch(browser=browser, url=url, label=label):
                status, _, _ = browser.get(url)
                assert status == 200, (label, status)

            fetch()
            figures[label, size] = (median_ms(fetch, repeat), len(captured))
        log(f"2. lists measured at {size} cases")
    rows = []
    for label, *_ in pages:
        (small_ms, small_q), (big_ms, big_q) = figures[label, 10], figures[label, 10_000]
        rows.append(("2", f"{label}: median latency; SQL queries — 10 cases → 10,000 cases",
                     f"{small_ms:.0f} → {big_ms:.0f} ms; {small_q} → {big_q} queries",
                     "queries do not grow" + (" ✓" if big_q == small_q else " ✗")))
    return rows


# --- 5. the last free slot --------------------------------------------------------------------------
def measure_last_slot(server, data):
    from apps.haastavat_erot.models import SLOT_HOLDING_STATES

    from bench import seed

    path = f"/book/groups/{data.group.pk}/?session={data.session.pk}"
    posts = []
    for worker in data.workers:
        browser = Browser(server.url)
        browser.cookies["sessionid"] = seed.session_cookie(worker)[1]
        status, _, page = browser.get(path)
        if status != 200:
            raise RuntimeError(f"booking form: {status}")
        fields = form_fields(page)
        fields.update(session=str(data.session.pk), concern_raised_with_guardians="yes", basic_services_tried="yes",
                      discussed_before="no", eligibility_reasoning=seed.REASONING)
        posts.append((browser, fields))
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(posts))

    def race(browser, fields):
        barrier.wait()
        try:
            status, location, _ = browser.post(path, fields)
            outcome = "booked" if status == 302 and "/cases/" in location else ("refused" if status == 200
                                                                                 else f"HTTP {status}")
        except OSError as error:
            outcome = type(error).__name__
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=race, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    holding = data.session.cases.filter(state__in=SLOT_HOLDING_STATES).count()
    booked, refused = results.count("booked"), results.count("refused")
    other = len(results) - booked - refused
    return [("5", f"{len(posts)} workers POST the booking form for the last free slot at once",
             f"{booked} booked, {refused} refused, {other} other; session holds {holding}/{data.session.capacity}",
             "exactly 1 booked" + (" ✓" if booked == 1 and holding == data.session.capacity and not other else " ✗"))]


# --- 3. destruction (bench/destruction.py) ----------------------------------------------------------
def measure_destruction():
    """Run bench/destruction.py (its own database and files) and merge its table's rows: the first
    column is the measurement, the last the target, the ones between the result."""
    path = ROOT / "bench" / "destruction.py"
    if not path.exists():
        return [("3", "destruction", "not measured: bench/destruction.py is missing", "")]
    from django.db import connections

    connections.close_all()
    output = subprocess.run([sys.executable, str(path)], cwd=ROOT, env=os.environ, capture_output=True, text=True,
                            check=False)
    lines = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in output.stdout.splitlines()
             if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|$", line.strip())]
    if output.returncode or len(lines) < 2:
        return [("3", "destruction", f"bench/destruction.py failed: {output.stderr.strip()[-300:]}", "")]
    header, *body = lines
    return [("3", cells[0], "; ".join(f"{value} {name}" if name == "queries" else value
                                      for name, value in zip(header[1:-1], cells[1:-1])), cells[-1])
            for cells in body]


def machine():
    """One line about the machine, for BENCHMARKS.md."""
    from django.db import connection

    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    ram = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20
    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        mariadb = cursor.fetchone()[0]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return (f"{os.cpu_count()} CPUs ({cpu.group(1) if cpu else '?'}), {ram:.1f} GiB RAM, Python "
            f"{sys.version.split()[0]}, MariaDB {mariadb}, load average {load}")


# --- the table --------------------------------------------------------------------------------------
def print_table(rows):
    print("| # | measurement | result | target |")
    print("|---|---|---|---|")
    for row in sorted(rows, key=lambda r: r[0]):
        print("| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer submissions (a smoke run, not for the record)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the benchmark database first")
    parser.add_argument("--skip-destruction", action="store_true")
    parser.add_argument("--anatomy", action="store_true",
                        help="instead: where the submit's time goes, in-process (bench/anatomy.py)")
    args = parser.parse_args()
    if args.anatomy:
        from bench import anatomy

        return anatomy.main(keep_db=args.keep_db)
    one, ten = (4, 2) if args.quick else (160, 48)
    rounds = 2 if args.quick else 16

    prepare_django(args.keep_db)
    from bench import seed

    log("seeding")
    warm_up = 2
    workers = seed.submitters([warm_up + one + ten, warm_up + ten] + [ten] * 8)
    lists, race = seed.lists(), seed.last_slot(50)
    import django_rq

    django_rq.get_queue("default").empty()  # earlier runs' notification jobs; no worker runs here
    log("machine: " + machine())
    server = Gunicorn(Path(os.environ.get("HE_BENCH_LOG", "/tmp/he-bench-gunicorn.log")))
    rows = []
    try:
        rows += measure_submit(server, workers, [(1, one), (10, ten)], warm_up, rounds)
        peaks = server.peak_rss_mb()
        rows.append(("4", "peak RSS (VmHWM) of a gunicorn worker after 1",
                     ", ".join(f"{mb:.0f} MB" for mb in sorted(peaks.values(), reverse=True)),
                     "≤ 150 MB" + (" ✓" if max(peaks.values()) <= 150 else " ✗")))
        rows += measure_lists(server, lists, repeat=3 if args.quick else 5)
        rows += measure_last_slot(server, race)
    finally:
        server.stop()
    log("machine after the web measurements: " + machine())
    if not args.skip_destruction:
        log("3. destruction")
        rows += measure_destruction()
    print_table(rows)


if __name__ == "__main__":
    main()
