"""The research index page at /research/ (one per language): the filterable list of studies,
with RSS and Atom feeds (`feeds`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ResearchIndexPage(Page):
    """The list of published research, filterable, with RSS and Atom feeds."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"], help_text=_("Shown above the list.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["research.ResearchReportPage"]
    max_count_per_parent = 1
    template = "research/research_index_page.html"

    class Meta:
        verbose_name = _("research index")
        verbose_name_plural = _("research indexes")

    def serve(self, request, *args, **kwargs):
        from portal.models import render_cached_page

        return render_cached_page(self, request, body_template="research/includes/index_body.html")

    def get_context(self, request, *args, **kwargs):
        from ..listing import research_list  # the list builds on these models: imported when serving

        context = super().get_context(request, *args, **kwargs)
        context.update(research_list(index_page=self, params=request.GET, user=request.user))
        return context
