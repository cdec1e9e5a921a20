"""Research feeds (the research pages themselves are served by Wagtail)."""

from django.urls import path

from .feeds import ResearchAtomFeed, ResearchRssFeed

app_name = "research"
urlpatterns = [
    path("research/feed/rss/", ResearchRssFeed(), name="feed_rss"),
    path("research/feed/atom/", ResearchAtomFeed(), name="feed_atom"),
]
