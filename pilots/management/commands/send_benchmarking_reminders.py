"""Remind member institutions of the semester that closed without their financial report. Run it daily
or hourly: each institution is reminded once per semester."""

import datetime

from django.core.management.base import BaseCommand

from pilots.benchmarking.reminders import reminders_send_due


class Command(BaseCommand):
    help = "E-mail each member institution once when the last closed semester's financial report is overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        count = reminders_send_due(today=options.get("today"))
        self.stdout.write(f"{count} financial report reminder(s) queued.")
