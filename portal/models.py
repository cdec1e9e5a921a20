"""The site shell's pages (the home page at the root of the Wagtail tree) and the
association's own details, edited under Settings in the Wagtail admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from .cache import render_cached
from .iati_codes import OrganisationType, organisation_identifier


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
        # The frame shows the page's title: kept per published revision (portal.frames).
        frame_key=[page.pk, page.live_revision_id, page.title],
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


@register_setting(icon="group")
class AssociationSettings(BaseSiteSetting):
    """Who publishes the portal: the name, logo and address the reports carry in their header."""

    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("The association's full name, e.g. Red Financiera Rural.")
    )
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("Its acronym or short name, e.g. RFR.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed at the top of every report; a wide logo on a white background reads best."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("The association's own website, if any."))
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[organisation_identifier],
        help_text=_(
            "Its register's code, a hyphen and its number there, e.g. EC-RUC-1790012345001 (org-id.guide). "
            "Every activity in the portal's IATI files is identified by it followed by the innovation's slug."
        ),
    )
    iati_type = models.CharField(
        _("IATI organisation type"),
        max_length=2,
        choices=OrganisationType.choices,
        blank=True,
        help_text=_("How IATI classes the association: usually a national or regional NGO."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("logo"),
        FieldPanel("website"),
        MultiFieldPanel([FieldPanel("iati_ref"), FieldPanel("iati_type")], heading=_("IATI publishing")),
    ]

    class Meta:
        verbose_name = _("association")

    @property
    def display_name(self) -> str:
        """The name with its short name, as in "Red Financiera Rural (RFR)"; either one alone
        when only one is set; empty when neither is."""
        if self.name and self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name or self.short_name
