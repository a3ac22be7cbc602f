"""Settings shared by every environment. Values come from one `env` object: the process
environment first, then the site's settings file `sites/<HE_SITE>/settings.env`."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()

SITE_NAME = env.str("HE_SITE", default="local")
SITE_DIR = BASE_DIR / "sites" / SITE_NAME
if (SITE_DIR / "settings.env").exists():
    env.read_env(SITE_DIR / "settings.env", overwrite=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-not-for-production-use-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The absolute address of the service, used in e-mailed links.
SITE_URL = env.str("HE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "apps.haastavat_erot.desk.apps.DeskConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_rq",
    "apps.haastavat_erot",
]

MIDDLEWARE = [
    "apps.haastavat_erot.queue.EnqueueAfterResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.haastavat_erot.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The desk app (Django admin) is first in INSTALLED_APPS: its base_site.html override lives here.
        "DIRS": [BASE_DIR / "apps" / "haastavat_erot" / "desk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database: MariaDB through mysqlclient ---------------------------------------------------
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": env.str("DATABASE_NAME", default="haastavat_erot"),
        "USER": env.str("DATABASE_USER", default="haastavat_erot"),
        "PASSWORD": env.str("DATABASE_PASSWORD", default=""),
        "HOST": env.str("DATABASE_HOST", default="127.0.0.1"),
        "PORT": env.str("DATABASE_PORT", default="3306"),
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "charset": "utf8mb4",
            "isolation_level": "read committed",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        },
        "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: queue and cache -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# The queue dashboard shows job data to every desk user; operators use `manage.py rqstats` instead.
RQ_SHOW_ADMIN_LINK = False
# The cache never holds personal data: only counters (rate limits) and identifiers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "he",
    }
}

# --- Accounts and authentication ----------------------------------------------------------------
AUTH_USER_MODEL = "haastavat_erot.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

# Sessions end after 30 minutes without activity.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Brute-force lockout: 5 failed logins for a username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "haastavat_erot/portal/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Haastavat erot"

# Self-registration, invitations and password reset (services/accounts.py). Links expire.
REGISTRATION_LINK_HOURS = env.int("REGISTRATION_LINK_HOURS", default=24)
INVITATION_LINK_HOURS = env.int("INVITATION_LINK_HOURS", default=7 * 24)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=2) * 3600
# An account e-mail whose job never ran (Redis lost it, sending failed) is forgotten after this.
PENDING_ACCOUNT_EMAIL_HOURS = env.int("PENDING_ACCOUNT_EMAIL_HOURS", default=24)
# Worker accounts not used for this many days are deactivated by a daily job.
ACCOUNT_UNUSED_DAYS = env.int("ACCOUNT_UNUSED_DAYS", default=365)
# The account forms (ratelimit.py): attempts per client address and per e-mail address in a window.
RATELIMIT_PER_IP = env.int("RATELIMIT_PER_IP", default=20)
RATELIMIT_PER_ADDRESS = env.int("RATELIMIT_PER_ADDRESS", default=5)
RATELIMIT_WINDOW_SECONDS = env.int("RATELIMIT_WINDOW_SECONDS", default=3600)

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "apps" / "haastavat_erot" / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist")]


def private_files(root):
    """The private file store in `root`, and the folder inside it where a request body over
    FILE_UPLOAD_MAX_MEMORY_SIZE spools its files (FILE_UPLOAD_TEMP_DIR) rather than /tmp: a process
    killed mid-upload leaves the bytes where the orphan sweep (purge.py) removes them, and storing
    a checked file is a rename. Settings that move PRIVATE_ROOT take both from here (checks.py
    refuses a spool folder elsewhere)."""
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": root, "base_url": None, "file_permissions_mode": 0o600,
                           "directory_permissions_mode": 0o700}}
    return storage, str(root / "incoming")


PRIVATE_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(SITE_DIR / "private")))
# Background information attachments and consent scans ("private"): outside the web root, never
# served by a web server, only through the permission-checked download view.
_private_storage, FILE_UPLOAD_TEMP_DIR = private_files(PRIVATE_ROOT)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": _private_storage,
}
MEDIA_ROOT = SITE_DIR / "media-unused"
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_HANDLERS = [
    "apps.haastavat_erot.uploads.SizeLimitUploadHandler",  # drops the bytes of a file over the limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Mail: links only, never case content ---------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Haastavat erot <noreply@localhost>")

# --- Destruction --------------------------------------------------------------------------------
# The cron scheduler runs destruction every DESTRUCTION_INTERVAL_MINUTES; more than two intervals
# overdue makes /healthz answer 503.
DESTRUCTION_INTERVAL_MINUTES = 15
# Due cases are destroyed this many at a time (one transaction per step and batch).
DESTRUCTION_BATCH_SIZE = env.int("DESTRUCTION_BATCH_SIZE", default=100)
# Pause points for the crash tests (purge._checkpoint); never on outside the test settings.
DESTRUCTION_TEST_HOOKS = False
ORPHAN_FILE_SAFETY_HOURS = env.int("ORPHAN_FILE_SAFETY_HOURS", default=24)
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)

# --- Logging: identifiers only, never personal data -------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
