"""Remind MFIs of reporting periods that closed without a report. Run it daily."""

import datetime

from django.core.management.base import BaseCommand

from pilots.reporting.reminders import reminders_send_due


class Command(BaseCommand):
    help = "E-mail each MFI once for every reporting period that closed (and fell due) without its report."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        count = reminders_send_due(today=options.get("today"))
        self.stdout.write(f"{count} report reminder(s) queued.")
