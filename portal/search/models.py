"""The knowledge index of the database search engine.

One row per document (see `portal.search.documents`: a searchable thing in one
language), denormalised so that one full-text query covers every kind. The folded
columns hold the text analysed in the document's language (`portal.search.text`: accent
folding, stop words, light stemming), which is what the Wagtail database backend (SQLite
FTS5, PostgreSQL full-text) actually matches. The folded title is stored in `title`
because the database backend ranks fields named "title" above the body; `heading` and
`body` keep the original text for display and highlighting; `words` the distinct words
for "did you mean".

`SuggestionWord` holds each title's words once more, one row each, so that search as you
type finds a typed prefix with an index range scan instead of reading every title.

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
        # search as you type takes the newest titles of a language: for a short prefix that many
        # titles start, walking this index to the first few that match beats sorting them all
        indexes = [models.Index(fields=["language", "-date", "key"], name="search_entry_newest")]

    def __str__(self) -> str:
        return self.key


class SuggestionWord(models.Model):
    """One word of an entry's title (`text.title_words`: folded, compounds whole and in parts),
    for search as you type. A typed word is a prefix (`LIKE 'micros%'`), which PostgreSQL
    serves from the `text_pattern_ops` B-tree below whatever its collation; the entry id in
    the same index lets the scan answer without visiting the table. Rows are written with
    their entry by the database engine (`index_document`, `rebuild`) and go with it."""

    # looked up by entry through the unique constraint's index, which starts with it
    entry = models.ForeignKey(KnowledgeEntry, on_delete=models.CASCADE, related_name="title_words", db_index=False)
    word = models.TextField(help_text=_("A word of the title, lowercase and without accents."))

    class Meta:
        app_label = "search"
        verbose_name = _("suggestion word")
        verbose_name_plural = _("suggestion words")
        constraints = [models.UniqueConstraint(fields=["entry", "word"], name="search_suggestion_word_once")]
        indexes = [
            models.Index(
                fields=["word", "entry"],
                name="search_suggestion_prefix",
                opclasses=["text_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.word
