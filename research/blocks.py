"""StreamField blocks of a research report body.

Headings feed the side table of contents; the chart block draws a public innovation
indicator's targets against its actual, as the innovation's own page does (`charts`).
"""

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Exists, OuterRef
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from pilots.public import Indicator

from .public_indicators import public_indicators


def indicator_choices():
    """Every indicator, labelled with its innovation, for the chart block's list in the editor;
    indicators of innovations that are not public are marked, as research pages never show them.

    One query over every indicator: only the editor runs it (`IndicatorBlock`), never a reader's page.
    """
    try:
        rows = (
            Indicator.objects.select_related("innovation")
            .annotate(public=Exists(public_indicators().filter(pk=OuterRef("pk"))))
            .order_by("innovation__title", "order", "id")
        )
        return [(str(row.pk), _choice_label(row)) for row in rows]
    except DatabaseError:  # the table may not exist yet (migrations, checks)
        return []


def _choice_label(indicator) -> str:
    label = f"{indicator.innovation.title} — {indicator.name}"
    if indicator.public:
        return label
    return f"{label} " + gettext("(restricted: not shown on research pages)")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200, help_text=_("Section title, listed in the contents."))
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        help_text=_("Sections and subsections both appear in the table of contents."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "research/blocks/heading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["text"])
        context["heading_tag"] = "h3" if value.get("level") == "h3" else "h2"
        return context


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=40, help_text=_("The number as it should read: 58,500."))
    label = blocks.CharBlock(label=_("what it counts"), max_length=200, help_text=_("e.g. insured clients by 2010."))
    source = blocks.CharBlock(
        label=_("source"), max_length=200, required=False, help_text=_("Where the number comes from.")
    )

    class Meta:
        icon = "pick"
        label = _("Key figure")
        template = "research/blocks/key_figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"), help_text=_("The quoted words, without quotation marks."))
    attribution = blocks.CharBlock(
        label=_("attribution"), max_length=200, required=False, help_text=_("Who said or wrote it.")
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "research/blocks/quote.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("caption"), max_length=200, help_text=_("What the table shows."))
    header = blocks.ListBlock(
        blocks.CharBlock(label=_("column")), label=_("column headings"), help_text=_("One entry per column.")
    )
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(label=_("cell"), required=False), label=_("row")),
        label=_("rows"),
        help_text=_("Each row lists its cells in column order."),
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "research/blocks/table.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False, help_text=_("Shown under it."))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), max_length=250, help_text=_("Describes the image for screen readers.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "research/blocks/image.html"


class IndicatorBlock(blocks.ChoiceBlock):
    """The chart's indicator, stored as its id (a string, as the editor's list gives it).

    Wagtail's ChoiceBlock matches a stored value against its whole choice list each time it
    loads one (`to_python`), which here is a query over every indicator on every page view. A
    stored id needs no list to be read back: only the editor's form and its validation (`clean`)
    read the list, and the chart itself looks the one indicator up (`charts.indicator_chart`).
    Stored data and migrations are those of a plain ChoiceBlock (`deconstruct`).
    """

    def to_python(self, value):
        return None if value is None else force_str(value)

    def normalize(self, value):
        return self.to_python(value)

    def get_searchable_content(self, value):
        """The chosen indicator's label, read alone rather than from the whole list."""
        if not self.search_index or not value:
            return []
        try:
            chosen = (
                Indicator.objects.select_related("innovation")
                .annotate(public=Exists(public_indicators().filter(pk=OuterRef("pk"))))
                .filter(pk=int(value))
                .first()
            )
        except (TypeError, ValueError):
            return []
        return [_choice_label(chosen)] if chosen is not None else []


class IndicatorChartBlock(blocks.StructBlock):
    indicator = IndicatorBlock(
        label=_("indicator"),
        choices=indicator_choices,
        help_text=_("An innovation indicator: the chart shows its targets against the measured values."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False, help_text=_("Shown under it."))

    class Meta:
        icon = "table"
        label = _("Indicator chart")
        template = "research/blocks/indicator_chart.html"

    def clean(self, value):
        """Refuse an indicator of an innovation that is not public: research pages never show
        its figures (`public_indicators`), so the chart would not appear."""
        value = super().clean(value)
        chosen = Indicator.objects.select_related("innovation").filter(pk=value.get("indicator")).first()
        if chosen is not None and not public_indicators().filter(pk=chosen.pk).exists():
            message = gettext(
                "“%(innovation)s” is not public: research pages show only the figures of public "
                "innovations, so this chart would not be shown. Choose an indicator of a public "
                "innovation, or make the innovation public first."
            ) % {"innovation": chosen.innovation.display_title}
            raise StructBlockValidationError(block_errors={"indicator": ValidationError(message, code="restricted")})
        return value

    def get_context(self, value, parent_context=None):
        """The chart, or None; in its place staff (and only staff) read why it is not shown."""
        # Imported when a page is drawn, not when the models load: `portal.permissions` reaches
        # `django.contrib.auth`'s views, which need the app registry ready.
        from portal.permissions import is_staff

        from .charts import indicator_chart

        context = super().get_context(value, parent_context)
        context["chart"] = indicator_chart(indicator_id=value.get("indicator"))
        request = (parent_context or {}).get("request")
        context["explain_hidden"] = context["chart"] is None and is_staff(getattr(request, "user", None))
        return context


class ReportBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        help_text=_("Body text of a section."),
        template="research/blocks/paragraph.html",
    )
    key_figure = KeyFigureBlock()
    quote = QuoteBlock()
    table = TableBlock()
    image = CaptionedImageBlock()
    chart = IndicatorChartBlock()
