"""Filters of the staff status list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import InstitutionType

from .models import Invitation, ResponseStatus
from .selectors import country_name


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ResponseStatus.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), field_name="institution__country", choices=())
    institution_type = django_filters.ChoiceFilter(
        label=_("Institution type"), field_name="institution__institution_type", choices=InstitutionType.choices
    )

    class Meta:
        model = Invitation
        fields = ["status", "country", "institution_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries of the institutions in the list, by name in the reader's language:
        # a menu of every country in the world (~250) hides the few that apply.
        codes = self.queryset.order_by().values_list("institution__country", flat=True).distinct()
        choices = [(str(code), country_name(code)) for code in codes if code]
        self.filters["country"].extra["choices"] = sorted(choices, key=lambda choice: choice[1].casefold())
