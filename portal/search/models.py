"""The knowledge index of the database search engine.

One row per document (see `portal.search.documents`: a searchable thing in one
language), denormalised so that one full-text query covers every kind. The folded
columns hold the text analysed in the document's language (`portal.search.text`: accent
folding, stop words, light stemming), which is what the Wagtail database backend (SQLite
FTS5, PostgreSQL full-text) actually matches. The folded title is stored in `title`
because the database backend ranks fields named "title" above the body; `heading` and
`body` keep the original text for display and highlighting; `words` the distinct words
for "did you mean".

It was `research.KnowledgeEntry` until the search learnt its documents from the apps
(migrations keep its rows: research 0004, search 0001-0002).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class KnowledgeEntry(index.Indexed, models.Model):
    key = models.CharField(max_length=60, unique=True, help_text=_("Kind, id and language, e.g. lesson:12:en."))
    kind = models.CharField(_("content type"), max_length=20)
    # Not "object_id": Wagtail's search index annotates that name when it rebuilds (update_index).
    item_id = models.PositiveBigIntegerField(help_text=_("The id of the object in its app."))
    guard = models.PositiveBigIntegerField(null=True, blank=True, help_text=_("The id its kind checks access on."))
    group = models.CharField(max_length=80, blank=True, help_text=_("The same thing in other languages."))
    language = models.CharField(max_length=10, blank=True)
    # " en es ": every language its group is indexed in, spaced so that the database can
    # leave out, before ranking, the documents a reader's language already has
    languages = models.CharField(max_length=40, blank=True, help_text=_("Every language its group is indexed in."))
    heading = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    title = models.TextField(blank=True, help_text=_("The title, folded and stemmed (what is matched)."))
    body_folded = models.TextField(blank=True)
    words = models.TextField(blank=True, help_text=_("Its distinct words, lowercase, for “did you mean”."))
    urls = models.JSONField(default=dict, blank=True, help_text=_("Its address in each language."))
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.JSONField(default=list, blank=True)
    product_lines = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=10, blank=True)
    subtype = models.CharField(max_length=30, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text=_("The slugs of its topic tags."))

    # kept current by portal.search.tasks, whose task finds a row deleted since it was queued
    # (the table is rebuilt wholesale) nothing to do rather than a failure
    search_auto_update = False

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body_folded"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("languages"),
    ]

    class Meta:
        app_label = "search"
        verbose_name = _("knowledge index entry")
        verbose_name_plural = _("knowledge index entries")

    def __str__(self) -> str:
        return self.key
