"""The research report page — one per study, in one language — with its topics and its
attached PDFs. The list of them at /research/ is `index.ResearchIndexPage`."""

import html

from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pilots.public import Innovation, Stage

from ..blocks import ReportBodyBlock
from ..document_links import linked_document_ids, preloaded
from ..validators import validate_research_pdf
from ..widgets import SearchableSelectMultiple


class StudyType(models.TextChoices):
    MARKET = "market", _("Market and demand study")
    FEASIBILITY = "feasibility", _("Feasibility study")
    REGULATORY = "regulatory", _("Legal and regulatory analysis")
    EVALUATION = "evaluation", _("Impact or process evaluation")
    CASE_STUDY = "case_study", _("Case study")
    SURVEY_BRIEF = "survey_brief", _("Survey results brief")
    GUIDANCE = "guidance", _("Guidance note")


class ResearchReportPage(Page):
    """One published study or report, in one language, linked to its translation."""

    study_type = models.CharField(
        _("type of study"), max_length=20, choices=StudyType.choices, help_text=_("What kind of research this is.")
    )
    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences shown in lists, feeds and search results.")
    )
    publication_date = models.DateField(
        _("publication date"), help_text=_("When the study was published (not when this page went live).")
    )
    authors = ParentalManyToManyField(
        "research.Author",
        verbose_name=_("authors"),
        blank=True,
        related_name="reports",
        help_text=_("People or institutions that wrote the study."),
    )
    countries = CountryField(_("countries"), multiple=True, blank=True, help_text=_("Countries the study covers."))
    product_lines = ParentalManyToManyField(
        "accounts.ProductLine",
        verbose_name=_("product lines"),
        blank=True,
        related_name="research_reports",
        help_text=_("Product lines the study is about."),
    )
    stage = models.CharField(
        _("innovation stage"),
        max_length=10,
        choices=Stage.choices,
        blank=True,
        help_text=_("The stage of the innovation cycle this study informs."),
    )
    body = StreamField(
        ReportBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Headings build the table of contents shown beside the text."),
    )
    innovations = ParentalManyToManyField(
        "pilots.Innovation",
        verbose_name=_("innovations informed"),
        blank=True,
        related_name="research_reports",
        help_text=_("Innovations this study informs; each innovation page lists its research."),
    )

    tags = ClusterTaggableManager(
        through="research.ResearchReportTag",
        verbose_name=_("topics"),
        blank=True,
        help_text=_("Topics readers can filter the research list by, e.g. microseguros, ahorro."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("study_type"),
                FieldPanel("publication_date"),
                FieldPanel("authors", widget=SearchableSelectMultiple(kind="authors", can_create=True)),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("countries", widget=SearchableSelectMultiple(kind="countries")),
                FieldPanel("product_lines", widget=SearchableSelectMultiple(kind="product-lines")),
                FieldPanel("stage"),
                FieldPanel("innovations", widget=SearchableSelectMultiple(kind="innovations")),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("body"),
        InlinePanel("documents", label=_("Attached documents"), heading=_("Attached documents")),
    ]
    parent_page_types = ["research.ResearchIndexPage"]
    subpage_types: list[str] = []
    template = "research/research_report_page.html"

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("study_type"),
        index.FilterField("stage"),
        index.FilterField("publication_date"),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")

    def table_of_contents(self) -> list[dict]:
        """The body's headings, in order, with the anchors the heading block renders.

        Read from the stored values (`raw_blocks`): building every block would also build each
        chart block, which is no concern of a list of headings."""
        return [
            {"text": value["text"], "anchor": slugify(value["text"]), "level": value.get("level") or "h2"}
            for value in self.raw_blocks("heading")
        ]

    @property
    def language_link_text(self) -> str:
        """What a link to this page from its translation says, in this page's own language
        (the reader may not read the language of the page they are on)."""
        return "Read in English" if self.locale.language_code == "en" else "Leer en español"

    def raw_blocks(self, block_type: str) -> list:
        """The stored (JSON) values of the body's blocks of one type, in order, read without
        converting any block to its Python value."""
        return [item["value"] for item in self.body.raw_data if item["type"] == block_type]

    def body_text(self) -> str:
        """Plain text of the body, for search indexes and feeds."""
        parts = []
        for block in self.body:
            value = block.value
            if block.block_type == "heading":
                parts.append(value["text"])
            elif block.block_type == "paragraph":
                parts.append(html.unescape(strip_tags(value.source)))  # "it's", not "it&#x27;s"
            elif block.block_type == "key_figure":
                parts.append(f"{value['value']} {value['label']}")
            elif block.block_type == "quote":
                parts.append(value["quote"])
            elif block.block_type == "table":
                parts.append(value["caption"])
                parts.extend(" ".join(cell or "" for cell in row) for row in value["rows"])
            elif block.block_type in ("image", "chart"):
                parts.append(value.get("caption") or "")
        return "\n".join(part for part in parts if part)

    def serve(self, request, *args, **kwargs):
        """The page around its body, the body cached per viewer scope and language like the
        index's (`portal.models.render_cached_page`); previews are rendered afresh."""
        from portal.models import render_cached_page

        return render_cached_page(self, request, body_template="research/includes/report_body.html")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["toc"] = self.table_of_contents()
        context["documents"] = list(self.documents.select_related("document"))
        context["tags"] = list(self.tags.order_by("name"))
        context["index_page"] = self.get_parent().specific
        context["translations"] = self.get_translations().live().public().select_related("locale")
        context["innovations"] = self.visible_innovations(request.user)
        context["body_blocks"] = self.render_body(context)
        return context

    def render_body(self, context: dict) -> str:
        """The body's blocks as HTML, with every document their text links loaded in one query
        (`document_links.preloaded`), however many text blocks link them."""
        with preloaded(linked_document_ids(self.raw_blocks("paragraph"))):
            return mark_safe("".join(block.render(context=context) for block in self.body))  # noqa: S308

    def visible_innovations(self, user):
        """The linked innovations this reader may see (staff-only ones stay hidden)."""
        return Innovation.objects.visible_to(user).filter(research_reports=self).order_by("title")


class ResearchReportTag(TaggedItemBase):
    """A topic tag on a study (taggit's shared tags, as bakerydemo's blog does)."""

    content_object = ParentalKey(ResearchReportPage, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("study topic")
        verbose_name_plural = _("study topics")


class ResearchDocument(Orderable):
    """A PDF attached to a research report (the full study, an annex, a brief)."""

    page = ParentalKey(ResearchReportPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A PDF file, 20 MB at most."),
    )
    title = models.CharField(
        _("link text"), max_length=200, blank=True, help_text=_("Leave empty to use the document's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")

    def clean(self):
        super().clean()
        if self.document_id:
            validate_research_pdf(self.document)

    @property
    def label(self) -> str:
        return self.title or self.document.title
