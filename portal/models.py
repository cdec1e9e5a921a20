"""The site shell's pages: the home page at the root of the Wagtail tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site's root page: what the portal is, with links to its four parts."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One paragraph shown under the title."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
