"""Open the scheduled survey rounds whose day has come and close those past their last day.

Run it daily or more often (`run_scheduler` runs it with the reminders): it is idempotent,
so a second run the same day does nothing. Opening a round sends its recorded invitations.
"""

import datetime

from django.core.management.base import BaseCommand

from surveys.services import rounds_open_and_close_due


class Command(BaseCommand):
    help = "Open scheduled survey rounds whose opening date has come (sending their invitations); close past ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        opened, closed = rounds_open_and_close_due(today=options.get("today"))
        for survey_round in opened:
            self.stdout.write(f"Opened round {survey_round.code}.")
        for survey_round in closed:
            self.stdout.write(f"Closed round {survey_round.code}.")
        if options["verbosity"] > 1 or not (opened or closed):
            self.stdout.write(f"{len(opened)} round(s) opened, {len(closed)} closed.")
