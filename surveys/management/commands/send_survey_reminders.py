"""Send the automatic reminders of open rounds within their reminder window. Run it daily."""

import datetime

from django.core.management.base import BaseCommand

from surveys.services import reminders_send_due


class Command(BaseCommand):
    help = "Remind members who have not submitted, N days before each open round closes (N set per round)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        count = reminders_send_due(today=options.get("today"))
        self.stdout.write(f"{count} reminder(s) sent.")
