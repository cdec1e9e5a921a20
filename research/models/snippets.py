"""Authors are snippets: one record per person or institution, reused by many reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Author(index.Indexed, models.Model):
    """A person or institution that wrote a study (e.g. "REDCAMIF", "CGAP")."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Full name or institution name."))
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("Organisation the author worked for, if any.")
    )
    website = models.URLField(_("website"), blank=True, help_text=_("Optional link to the author's page."))

    panels = [FieldPanel("name"), FieldPanel("affiliation"), FieldPanel("website")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name
