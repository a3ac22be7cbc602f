from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ...models import DestructionRun
from ...purge import run_destruction


class Command(BaseCommand):
    help = ("Destroy the background information and recommendations that are due. The last line of "
            "output is a one-line JSON summary.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="evaluate as if it were this ISO 8601 date and time")
        parser.add_argument("--dry-run", action="store_true", help="list what is due, change nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        when = None
        if as_of:
            when = parse_datetime(as_of)
            if when is None:
                raise CommandError(f"--as-of is not an ISO 8601 date and time: {as_of}")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        summary = run_destruction(as_of=when, dry_run=dry_run, trigger=DestructionRun.Trigger.COMMAND)
        if dry_run:
            for number in summary.due_cases:
                self.stdout.write(f"due: {number}")
        self.stdout.write(summary.as_json())
