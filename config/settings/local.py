"""The demo installation started by scripts/run: plain HTTP on localhost, so no Secure cookies."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The demo has no mail server: e-mails are written to the console (links only, no case content).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
