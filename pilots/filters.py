"""Filters of the innovation list (django-filter)."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.accounts.models import Funder, ProductLine
from portal.permissions import is_staff

from .cycle import Stage
from .models import Contribution, Innovation, InnovationStatus, Status, Visibility


def _country_choices(queryset):
    """Only the countries of innovations the viewer may see: the list must not
    reveal where restricted innovations take place."""
    used = set()
    for value in queryset.order_by().values_list("countries", flat=True).distinct():
        used.update(code for code in (value or "").split(",") if code)
    return sorted(((code, countries.name(code)) for code in used), key=lambda c: c[1])


class InnovationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("All stages"))
    product_line = django_filters.ModelChoiceFilter(
        label=_("Product line"), queryset=ProductLine.objects.all(), empty_label=_("All product lines")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=(), method="filter_country", empty_label=_("All countries")
    )
    funder = django_filters.ModelChoiceFilter(
        label=_("Funder"), queryset=Funder.objects.all(), method="filter_funder", empty_label=_("All funders")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InnovationStatus.choices, empty_label=_("Any status")
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Visibility"), choices=Visibility.choices, empty_label=_("Any visibility")
    )
    progress = django_filters.ChoiceFilter(
        label=_("Progress"),
        choices=[(key, label) for key, label in Status.LABELS.items()],
        method="filter_progress",
        empty_label=_("Any progress"),
    )

    class Meta:
        model = Innovation
        fields = ["q", "stage", "product_line", "country", "funder", "status", "visibility", "progress"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fit_the_form()

    def fit_the_form(self) -> None:
        """The form as the reader sees it: the visibility filter for staff only (to others it
        would say nothing), the countries of the innovations the reader may see."""
        if not is_staff(getattr(self.request, "user", None)):
            del self.filters["visibility"]
        # On this instance's own copy of the field: the class's filters may already hold a built
        # field (the API schema builds them), which `extra["choices"]` would no longer reach.
        self.filters["country"].field.choices = _country_choices(self.queryset)

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_country(self, queryset, name, value: str):
        # Countries are stored as comma-separated two-letter codes.
        return queryset.filter(countries__contains=value)

    def filter_funder(self, queryset, name, value: Funder):
        return queryset.filter(pk__in=value.contributions.values("innovation_id"))

    def filter_progress(self, queryset, name, value):
        """The innovation's health (its worst indicator status) as the progress rule stored it
        (`pilots.progress`; the list brings it up to date first). No stored row counts as no data."""
        if value == Status.NO_DATA:
            return queryset.filter(Q(current_progress__status=value) | Q(current_progress__isnull=True))
        return queryset.filter(current_progress__status=value)


# The shapes of the API's filter values (its OpenAPI schema says the same): empty means any.
ID_PATTERN = r"^[0-9]*$"
COUNTRY_PATTERN = r"^([A-Z]{2})?$"
TEXT_PATTERN = r"^[^\x00]*$"  # any text but NUL, which no database stores


def _shaped(pattern: str) -> dict:
    return {"strip": False, "validators": [RegexValidator(pattern)]}


class InnovationApiFilter(InnovationFilter):
    """The list's filters as the JSON API reads them, the same for every caller and all in its
    schema: a value of the wrong shape is a 400 that names the filter; an id or a country code
    of the right shape that names nothing matches nothing (an empty list), since the schema
    cannot list which exist; `visibility` narrows what the caller may see, whatever its role."""

    product_line = django_filters.CharFilter(
        label=_("Product line"), method="filter_product_line", **_shaped(ID_PATTERN)
    )
    country = django_filters.CharFilter(label=_("Country"), method="filter_country", **_shaped(COUNTRY_PATTERN))
    funder = django_filters.CharFilter(label=_("Funder"), method="filter_funder_id", **_shaped(ID_PATTERN))

    def fit_the_form(self) -> None:
        """No form to fit: the API's filters are its schema's, the same for every caller."""

    def filter_product_line(self, queryset, name, value: str):
        return queryset.filter(product_line__pk=int(value))  # `__pk`: an id out of range matches nothing

    def filter_funder_id(self, queryset, name, value: str):
        return queryset.filter(Exists(Contribution.objects.filter(innovation=OuterRef("pk"), funder__pk=int(value))))
