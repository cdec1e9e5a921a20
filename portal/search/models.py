"""The knowledge index of the database search engine.

One row per document (see `portal.search.documents`: a searchable thing in one
language), denormalised so that one query covers every kind. The folded columns hold the
text analysed in the document's language (`portal.search.text`: accent folding, stop
words, light stemming) as terms separated by spaces: `title`, `summary_folded` and
`body_folded` (everything, title and summary included). `vector` is `body_folded` as a
PostgreSQL `tsvector`, stored (a generated column) and GIN-indexed (migration 0008): what
the database engine matches on PostgreSQL; SQLite matches the folded text itself. `heading`
and `body` keep the original text for display and highlighting; `words` the distinct words
for "did you mean".

`EntryFacet` holds each facet value of an entry once more, one row each, so that filters are
an indexed lookup and facet counts a SQL `GROUP BY` on every database.

`SuggestionWord` holds each title's words once more, one row each, so that search as you
type finds a typed prefix with an index range scan instead of reading every title.

It was `research.KnowledgeEntry` until the search learnt its documents from the apps
(migrations keep its rows: research 0004, search 0001-0002).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TermVector(models.Func):
    """`to_tsvector('simple', terms)` on PostgreSQL: the terms are already analysed (folded,
    stemmed), so the `simple` configuration only splits them. NULL on other databases."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('simple'::regconfig, COALESCE({sql}, ''))", params


class KnowledgeEntry(models.Model):
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
    summary_folded = models.TextField(blank=True)
    body_folded = models.TextField(blank=True, help_text=_("Title, summary and text, folded and stemmed."))
    vector = models.GeneratedField(
        expression=TermVector("body_folded"), output_field=SearchVectorField(), db_persist=True
    )
    rank = models.PositiveSmallIntegerField(default=5, help_text=_("Its kind's rank among results that score alike."))
    words = models.TextField(blank=True, help_text=_("Its distinct words, lowercase, for “did you mean”."))
    urls = models.JSONField(default=dict, blank=True, help_text=_("Its address in each language."))
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.JSONField(default=list, blank=True)
    product_lines = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=10, blank=True)
    subtype = models.CharField(max_length=30, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text=_("The slugs of its topic tags."))

    class Meta:
        app_label = "search"
        verbose_name = _("knowledge index entry")
        verbose_name_plural = _("knowledge index entries")
        # search as you type takes the newest titles of a language: for a short prefix that many
        # titles start, walking this index to the first few that match beats sorting them all
        indexes = [
            models.Index(fields=["language", "-date", "key"], name="search_entry_newest"),
            # a page's nested documents (its innovations' lessons): `kind = … AND guard = ANY(…)`
            models.Index(fields=["kind", "guard"], name="search_entry_kind_guard"),
        ]

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


class EntryFacet(models.Model):
    """One facet value of an entry (`base.FACET_FIELDS`: its kind, a country, a product line,
    its stage, year or a topic), for filters and facet counts in SQL. Written with the entry
    by the database engine and gone with it."""

    # looked up by entry through the unique constraint's index, which starts with it
    entry = models.ForeignKey(KnowledgeEntry, on_delete=models.CASCADE, related_name="facet_values", db_index=False)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    # the entry's kind again, so that counts leaving out nested kinds need not join the entry
    kind = models.CharField(max_length=20)

    class Meta:
        app_label = "search"
        verbose_name = _("facet value")
        verbose_name_plural = _("facet values")
        constraints = [models.UniqueConstraint(fields=["entry", "facet", "value"], name="search_entry_facet_once")]
        indexes = [models.Index(fields=["facet", "value", "entry"], name="search_facet_value")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
