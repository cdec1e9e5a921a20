"""The research list's filters (django-filter): type, country, product line, stage, topic, year, text."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pilots.public import Stage
from portal.accounts.models import ProductLine

from .models.reports import ResearchReportPage, ResearchReportTag, StudyType
from .selectors import public_reports, tag_counts


def year_choices():
    years = public_reports().dates("publication_date", "year", order="DESC")
    return [(str(day.year), str(day.year)) for day in years]


def country_choices():
    used = set()
    for value in public_reports().values_list("countries", flat=True):
        used.update(code for code in (value or "").split(",") if code)
    return sorted(((code, countries.name(code)) for code in used), key=lambda item: str(item[1]))


class ResearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_text")
    type = django_filters.ChoiceFilter(field_name="study_type", label=_("Type of study"), choices=StudyType.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices, method="filter_country")
    product_line = django_filters.ModelChoiceFilter(
        field_name="product_lines",
        label=_("Product line"),
        to_field_name="code",
        queryset=ProductLine.objects.all(),
    )
    stage = django_filters.ChoiceFilter(field_name="stage", label=_("Innovation stage"), choices=Stage.choices)
    # choices (with their counts) come from the studies being filtered: see __init__
    tag = django_filters.ChoiceFilter(label=_("Topic"), choices=[], method="filter_tag")
    year = django_filters.ChoiceFilter(field_name="publication_date__year", label=_("Year"), choices=year_choices)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        # relevance needs words; without them the list is always newest first
        choices=[("relevance", _("Relevance")), ("date", _("Newest first"))],
        method="filter_nothing",
        empty_label=None,
        widget=forms.Select,
    )

    class Meta:
        model = ResearchReportPage
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["tag"].extra["choices"] = [
            (row["slug"], f"{row['name']} ({row['count']})") for row in tag_counts(self.queryset)
        ]

    def filter_tag(self, queryset, name, value):
        return queryset.filter(Exists(ResearchReportTag.objects.filter(content_object=OuterRef("pk"), tag__slug=value)))

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries__contains=value)

    def filter_text(self, queryset, name, value):
        # The words are matched by the search engine (see listing.research_list).
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset
