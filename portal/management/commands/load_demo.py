"""Load the demo data of every app (each registers its loader: `portal.demo_loaders`).
Idempotent: safe to run again and again."""

from django.core.management.base import BaseCommand

from portal import demo_loaders


class Command(BaseCommand):
    help = "Load the demo data: the five innovation cases of DESIGN.md, research, survey rounds and demo logins."

    def handle(self, *args, **options):
        for load in demo_loaders.registered():
            load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
