"""The knowledge index of the database search engine.

One row per searchable thing (a live public research page, an innovation, a
lesson learned), denormalised so that one full-text query covers every content
type. The `*_folded` columns hold accent-folded, lightly stemmed Spanish text
(see `portal.search.text`), which is what the Wagtail database backend (SQLite
FTS5, PostgreSQL full-text) actually matches. The folded title is stored in
`title` because the database backend ranks fields named "title" above the body;
`heading` and `body` keep the original text for display and highlighting.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class KnowledgeEntry(index.Indexed, models.Model):
    key = models.CharField(max_length=60, unique=True, help_text=_("Content type and id, e.g. research:12."))
    kind = models.CharField(_("content type"), max_length=20)
    # Not "object_id": Wagtail's search index annotates that name when it rebuilds (update_index).
    item_id = models.PositiveBigIntegerField(help_text=_("The id of the research page, innovation or lesson."))
    language = models.CharField(max_length=10, blank=True, help_text=_("Empty: shown in every language."))
    heading = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    title = models.TextField(blank=True, help_text=_("The title, folded and stemmed (what is matched)."))
    body_folded = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    innovation_slug = models.CharField(max_length=200, blank=True)
    innovation_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Set for innovations and lessons: visibility follows the innovation.")
    )
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.JSONField(default=list, blank=True)
    product_lines = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=10, blank=True)
    subtype = models.CharField(max_length=30, blank=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body_folded"),
        index.FilterField("kind"),
        index.FilterField("language"),
    ]

    class Meta:
        verbose_name = _("knowledge index entry")
        verbose_name_plural = _("knowledge index entries")

    def __str__(self) -> str:
        return self.key
