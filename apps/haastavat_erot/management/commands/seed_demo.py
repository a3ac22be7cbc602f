from django.core.management.base import BaseCommand

from ...demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo groups, members, sessions and cases (idempotent)."

    def handle(self, *args, **options):
        created = seed_demo()
        self.stdout.write(f"Demo data ready: {created['sessions']} new sessions, {created['cases']} new cases.")
