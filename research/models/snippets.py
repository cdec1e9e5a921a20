"""Authors are snippets: one record per person or institution, reused by many reports.

Registered with the admin in `wagtail_hooks` (`AuthorViewSet`), whose create view saves
through `services.author_create`, as the study editor's author chooser does."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


def twin_name_message(existing_name: str) -> str:
    return gettext("“%(name)s” is already an author: choose it from the list instead.") % {"name": existing_name}


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
        constraints = [
            # "cgap" and "CGAP" are one author: the list must not grow twins.
            models.UniqueConstraint(
                Lower("name"),
                name="research_author_name_ci_unique",
                violation_error_message=_("An author with this name already exists."),
            )
        ]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def validate_constraints(self, exclude=None):
        """The case-insensitive twin, said on the name and naming the author to choose instead."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError:
            twin = Author.objects.exclude(pk=self.pk).filter(name__iexact=self.name).first()
            if twin is None:
                raise
            raise ValidationError({"name": twin_name_message(twin.name)}, code="duplicate") from None
