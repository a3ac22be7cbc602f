"""Benchmarks only (bench/run): the demo installation's settings, plus the bare baseline view of
bench/urls.py. Never used by scripts/run or in production."""

import tempfile
from pathlib import Path

from .local import *  # noqa: F403
from .local import env

DEBUG = False
ROOT_URLCONF = "bench.urls"
# The in-process test client (query counts) uses the host name "testserver".
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Logins are not measured; a fast hasher lets the runner log in 60 users in a moment.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT = env.path("HE_BENCH_STATIC_ROOT", default=tempfile.gettempdir() + "/he-bench-static")
PRIVATE_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=tempfile.gettempdir() + "/he-bench-private"))
STORAGES["private"], FILE_UPLOAD_TEMP_DIR = private_files(PRIVATE_ROOT)  # noqa: F405
