"""bench/run --anatomy: where the submit's time goes, in-process (Django's test client, no
gunicorn, no network). Posts the background form and the baseline view with and without the three
1 MB files, interleaved in random order, and prints the p50 of each and the differences that tell
apart receiving the body, the product's files and the product's forms, queries and commit."""

import random
import statistics
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bench.client import form_fields
from bench.runner import FILE_NAMES, MB, log, pdf, prepare_django

VARIANTS = ("baseline, no files", "baseline", "submit, no files", "submit")


def measure(rounds):
    from bench import seed

    worker = seed.submitters([2 * rounds + 3])[0]
    client = Client()
    client.force_login(worker.user)
    files = [pdf(MB, seed=n) for n in range(3)]
    cases = iter(worker.cases[:-1])
    kept_draft = worker.cases[-1]  # never submitted: the baseline posts its form's fields

    def post(variant):
        case = next(cases) if variant.startswith("submit") else kept_draft
        fields = {**form_fields(client.get(f"/cases/{case.pk}/background/").content.decode()), "action": "submit"}
        if "children-TOTAL_FORMS" not in fields:
            raise RuntimeError(f"{variant}: case {case.pk} has no form to post")
        if not variant.endswith("no files"):
            fields["file"] = [SimpleUploadedFile(name, data, "application/pdf") for name, data in zip(FILE_NAMES, files)]
        path = f"/cases/{case.pk}/background/" if variant.startswith("submit") else "/bench/one-row/"
        start = time.perf_counter()
        response = client.post(path, fields)
        elapsed = time.perf_counter() - start
        expected = 302 if variant.startswith("submit") else 200
        if response.status_code != expected:
            raise RuntimeError(f"{variant}: {response.status_code}")
        return elapsed

    post("submit")  # warm up: the first request of a process imports and compiles
    post("baseline")
    times = {variant: [] for variant in VARIANTS}
    for _ in range(rounds):
        for variant in random.sample(VARIANTS, len(VARIANTS)):
            times[variant].append(post(variant))
    return {variant: statistics.median(values) * 1000 for variant, values in times.items()}


def main(rounds=40, keep_db=False):
    prepare_django(keep_db)
    log(f"anatomy: {rounds} rounds of {len(VARIANTS)} posts")
    p50 = measure(rounds)
    print("| in-process post (p50 of %d) | ms |" % rounds)
    print("|---|---|")
    for variant in VARIANTS:
        print(f"| {variant} | {p50[variant]:.1f} |")
    print(f"| receiving the three files (baseline − baseline without files) | "
          f"{p50['baseline'] - p50['baseline, no files']:.1f} |")
    print(f"| the product's form, queries, commit and notification (submit without files − baseline without files) "
          f"| {p50['submit, no files'] - p50['baseline, no files']:.1f} |")
    print(f"| the product's checking and storing of the files (the rest) | "
          f"{p50['submit'] - p50['submit, no files'] - (p50['baseline'] - p50['baseline, no files']):.1f} |")
