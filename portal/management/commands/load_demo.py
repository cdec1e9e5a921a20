"""Load the demo data of every app. Idempotent: safe to run again and again."""

import importlib

from django.core.management.base import BaseCommand

# Order matters: pilots use the network's members, research links to pilots,
# surveys link opportunities to innovations.
DEMO_MODULES = ["portal.demo", "pilots.demo", "research.demo", "surveys.demo"]


class Command(BaseCommand):
    help = "Load the demo data: the five innovation cases of DESIGN.md, research, survey rounds and demo logins."

    def handle(self, *args, **options):
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue
                raise
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
