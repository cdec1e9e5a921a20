"""Bring the stored progress of every innovation up to date (see `pilots.progress`).

Run by `run_scheduler` every few minutes: usually there is nothing to do; after
midnight it recomputes every innovation for the new day, so that no visitor waits
for it. `--all` recomputes everything, after bulk writes that bypass the models'
signals (imports, `bench/scale.py`).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilots.progress import ensure_current, mark_all_out_of_date


class Command(BaseCommand):
    help = "Recompute the stored progress of innovations that are out of date (or of all, with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every innovation, not only stale ones.")

    def handle(self, *args, **options):
        if options["all"]:
            mark_all_out_of_date()
        count = ensure_current(timezone.localdate())
        self.stdout.write(f"Progress brought up to date for {count} innovation(s).")
