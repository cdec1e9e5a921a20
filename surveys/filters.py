"""Filters of the staff status list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.accounts.models import InstitutionType

from .models import Invitation, ResponseStatus


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ResponseStatus.choices)
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="institution__country", choices=lambda: list(countries)
    )
    institution_type = django_filters.ChoiceFilter(
        label=_("Institution type"), field_name="institution__institution_type", choices=InstitutionType.choices
    )

    class Meta:
        model = Invitation
        fields = ["status", "country", "institution_type"]
