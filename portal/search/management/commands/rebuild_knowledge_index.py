"""Rebuild the knowledge index of the configured search engine, with a progress bar."""

from django.core.management.base import BaseCommand

from portal.cache import bump_version
from portal.search import get_engine


class Command(BaseCommand):
    help = (
        "Rebuild the site search's knowledge index (live public research, innovations, lessons) "
        "on the engine chosen by SEARCH_ENGINE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, **options):
        engine = get_engine()
        count = engine.rebuild(progress=not options["no_progress"])
        bump_version()  # cached searches and suggestions read the old index
        self.stdout.write(
            self.style.SUCCESS(f"Knowledge index rebuilt on the {engine.name} engine: {count} documents.")
        )
