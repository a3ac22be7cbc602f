"""Tests: the real MariaDB and Redis, a separate Redis database, a temporary private file store."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-only-for-the-test-suite-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test run uses its own Redis database; tests flush it.
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/14")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
CACHES["default"]["LOCATION"] = env.str("TEST_CACHE_URL", default="redis://127.0.0.1:6379/15")  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "he-test"  # noqa: F405
# One temporary folder per test run holds the private file store and the static files. A
# subprocess of a test (the crash tests run manage.py) is given its parent's (HE_TEST_ROOT); the
# run that made it removes it at the end (tests/conftest.py).
_given_root = env.str("HE_TEST_ROOT", default="")
TEST_ROOT_OWNED = not _given_root
TEST_ROOT = Path(_given_root or tempfile.mkdtemp(prefix="he-test-"))
PRIVATE_ROOT = TEST_ROOT / "private"
STATIC_ROOT = TEST_ROOT / "static"
for folder in (PRIVATE_ROOT, STATIC_ROOT):
    folder.mkdir(exist_ok=True)
STORAGES["private"], FILE_UPLOAD_TEMP_DIR = private_files(PRIVATE_ROOT)  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tests run their own SMTP server (aiosmtpd) and point EMAIL_PORT at it.
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("TEST_EMAIL_PORT", default=2525)
SITE_URL = "http://testserver"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DESTRUCTION_TEST_HOOKS = True
