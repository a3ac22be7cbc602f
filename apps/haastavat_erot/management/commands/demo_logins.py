import django_otp.oath
from base64 import b32decode

from django.core.management.base import BaseCommand

from ...demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_logins


class Command(BaseCommand):
    help = "Print the demo URL and logins; with --code, the current desk code of the demo users."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument("--code", action="store_true", help="print the current TOTP code of the demo desk users")

    def handle(self, *args, url, code, **options):
        if code:
            totp = django_otp.oath.TOTP(b32decode(DEMO_TOTP_SECRET))
            self.stdout.write(f"{totp.token():06d}")
            return
        self.stdout.write(f"\nHaastavat erot demo: {url}  (desk: {url}desk/, health: {url}healthz)")
        self.stdout.write(f"Password of every demo user: {DEMO_PASSWORD}")
        self.stdout.write(f"Desk second factor: TOTP key {DEMO_TOTP_SECRET} in any authenticator app, "
                          "or `.venv/bin/python manage.py demo_logins --code`\n")
        for role, email in demo_logins():
            self.stdout.write(f"  {role:<45} {email}")
        self.stdout.write("")
