"""The site shell's pages: the home page at the root of the Wagtail tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .cache import render_cached


def render_cached_page(page: Page, request, *, body_template: str):
    """Serve a Wagtail page whose body is cached per viewer scope, language and query
    (`portal.cache.render_cached`); previews are always rendered afresh."""
    if getattr(request, "is_preview", False):
        return Page.serve(page, request)
    return render_cached(
        request,
        name=f"page-{page.pk}",
        page_template=page.get_template(request),
        body_template=body_template,
        params=sorted(request.GET.lists()),
        context=lambda: page.get_context(request),
        frame={"page": page, "self": page},
    )


class HomePage(Page):
    """The site's root page: what the portal is, with links to its four parts."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One paragraph shown under the title."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        """The portal at a glance, from the sections the apps register (`portal.home`): where
        the innovations the reader may see stand in the cycle, the latest research."""
        from . import home

        context = super().get_context(request, *args, **kwargs)
        context.update(home.context(request, self))
        return context

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    def serve(self, request, *args, **kwargs):
        return render_cached_page(self, request, body_template="portal/includes/home_body.html")

    class Meta:
        verbose_name = _("home page")
