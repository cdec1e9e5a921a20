from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = _("Research")

    def ready(self):
        from portal import home

        from . import documents

        documents.register()  # its research pages in the site search
        home.register(latest_research)


def latest_research(request, page) -> dict:
    """The home page's three latest public studies in the home page's language."""
    from .selectors import public_reports

    return {"latest_research": public_reports().filter(locale=page.locale).order_by("-publication_date")[:3]}
