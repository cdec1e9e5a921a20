"""The review queue's filters (django-filter): innovation, MFI, period, state."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import MemberInstitution

from ..models import Innovation, MFIReport, ReportState


class MFIReportFilter(django_filters.FilterSet):
    innovation = django_filters.ModelChoiceFilter(
        label=_("Innovation"),
        field_name="participation__innovation",
        queryset=Innovation.objects.filter(reporting_plan__isnull=False).order_by("title"),
        empty_label=_("All innovations"),
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("MFI"),
        field_name="participation__institution",
        queryset=MemberInstitution.objects.filter(participations__reports__isnull=False).distinct().order_by("name"),
        empty_label=_("All MFIs"),
    )
    period = django_filters.DateFilter(
        label=_("Period (month it starts)"),
        field_name="period_start",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "month"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[c for c in ReportState.choices if c[0] != ReportState.DRAFT],
        empty_label=_("All states"),
    )

    class Meta:
        model = MFIReport
        fields = ["innovation", "institution", "period", "state"]
