"""RSS and Atom feeds of published research, one per language."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.links import absolute_url

from .models.index import ResearchIndexPage
from .selectors import public_reports


def research_index_for(language_code: str) -> ResearchIndexPage | None:
    """The live research index in `language_code`, whose studies the feed lists."""
    return ResearchIndexPage.objects.live().filter(locale__language_code=language_code).first()


class ResearchRssFeed(Feed):
    """Links are absolute on settings.SITE_URL, whatever host the request came in on."""

    url_name = "research:feed_rss"

    def get_object(self, request):
        index_page = research_index_for(translation.get_language() or "es")
        if index_page is None:
            raise Http404
        return index_page

    def title(self, obj):
        return _("Research of the microfinance association")

    def link(self, obj):
        return absolute_url(obj.url)

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name))

    def description(self, obj):
        return _("Newly published studies, evaluations and case studies.")

    def items(self, obj):
        return public_reports().child_of(obj).order_by("-publication_date", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return absolute_url(item.url)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.publication_date, time(12)))

    def item_updateddate(self, item):
        return item.last_published_at


class ResearchAtomFeed(ResearchRssFeed):
    feed_type = Atom1Feed
    url_name = "research:feed_atom"

    def subtitle(self, obj):
        return self.description(obj)
