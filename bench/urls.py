"""The product's URLs plus one bare view, the benchmarks' baseline. Mounted only by
config/settings/bench.py (ROOT_URLCONF), never by the production or demo settings."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as product_urlpatterns

BASELINE_TABLE = "bench_baseline_row"


def create_baseline_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} "
                       "(id BIGINT AUTO_INCREMENT PRIMARY KEY, written_at DATETIME(6) NOT NULL)")


def one_row(request):
    """Write one row and answer: the same middleware (session, CSRF, auth) as the product, no
    product logic. Django has already parsed whatever the POST carried."""
    request.POST  # noqa: B018 - parse the body like the product's views do
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BASELINE_TABLE} (written_at) VALUES (%s)", [timezone.now()])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/one-row/", one_row, name="bench_one_row"), *product_urlpatterns]
