from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = _("Research")

    def ready(self):
        from pilots.public import register_related
        from portal import cache, demo_loaders, home

        from . import documents
        from .selectors import research_for_innovations

        cache.watch("research")
        demo_loaders.register("research.demo")  # the seed studies, citing the demo's innovations
        documents.register()  # its research pages in the site search
        register_related(research_for_innovations)  # the studies on an innovation's page and in its IATI file
        home.register(latest_research)


def latest_research(request, page) -> dict:
    """The home page's three latest public studies in the home page's language."""
    from .selectors import public_reports

    return {"latest_research": public_reports().filter(locale=page.locale).order_by("-publication_date")[:3]}
