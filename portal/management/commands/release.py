"""Everything a deployment needs once before the web and worker processes start.

Run by the `release` service of docker-compose.yml (and by hand after an upgrade):
apply migrations, build Wagtail's own search index (admin page search) and the
site's knowledge index, bring the stored progress up to date (`refresh_progress`),
give every tracked row that has none a first history record (`populate_history --auto`,
so the change history of data older than it has a starting point), optionally load the
demo data. Every step is idempotent,
so running it twice, or on every deploy, changes nothing that is already right.
Static files are collected when the image is built, not here.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, build the search indexes and (with --demo) load the demo data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also load the demo data (load_demo).")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        self.stdout.write("Applying migrations...")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if options["demo"]:
            call_command("load_demo", verbosity=verbosity, stdout=self.stdout)
        self.stdout.write("Building Wagtail's search index...")
        call_command("update_index", verbosity=max(verbosity - 1, 0))
        call_command("rebuild_knowledge_index", no_progress=True, stdout=self.stdout)
        call_command("refresh_progress", stdout=self.stdout)
        call_command("populate_history", auto=True, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Release steps done."))
