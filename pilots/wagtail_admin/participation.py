"""The admin's tables of who takes part and who pays: participants (and what each reports),
reporting plans, funders' contributions."""

from django.utils.translation import gettext_lazy as _

from ..models import Contribution, Indicator, Participation, ReportingPlan
from ..reporting.services import reported_indicators_set, reporting_plan_save
from ..services.participation import contribution_record, contribution_update, participation_add
from .base import ServiceViewSet, changes, data


class ParticipationViewSet(ServiceViewSet):
    model = Participation
    icon = "group"
    menu_label = _("Participants")
    list_display = ["institution", "innovation", "since", "stage"]
    list_filter = ["stage", "innovation"]
    search_fields = ["institution__name"]
    form_fields = ["innovation", "institution", "since", "stage", "criteria", "reported_indicators"]
    key_fields = ("innovation", "institution")

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "reported_indicators" and field is not None:
            # Indicators of different innovations share names ("Insured clients"): say whose.
            field.queryset = Indicator.objects.select_related("innovation").order_by("innovation__title", "order")
            field.label_from_instance = lambda indicator: f"{indicator.innovation} — {indicator.display_name}"
        return field

    def save(self, *, form, user, instance):
        participation = participation_add(
            user=user, **self.values(form, instance, "innovation", "institution", "since", "stage", "criteria")
        )
        reported_indicators_set(
            participation=participation, indicators=form.cleaned_data.get("reported_indicators") or (), user=user
        )
        return participation


class ReportingPlanViewSet(ServiceViewSet):
    model = ReportingPlan
    icon = "date"
    menu_label = _("Reporting plans")
    list_display = ["innovation", "frequency", "first_period", "last_period", "days_to_report"]
    form_fields = ["innovation", "frequency", "first_period", "last_period", "days_to_report"]
    key_fields = ("innovation",)

    def save(self, *, form, user, instance):
        return reporting_plan_save(
            user=user,
            instance=instance,
            **self.values(form, instance, "innovation", "frequency", "first_period", "last_period", "days_to_report"),
        )


CONTRIBUTION_FIELDS = ("innovation", "funder", "stage", "amount", "currency", "description", "description_en")


class ContributionViewSet(ServiceViewSet):
    model = Contribution
    icon = "doc-full"
    menu_label = _("Contributions")
    list_display = ["funder", "innovation", "stage", "amount", "currency"]
    list_filter = ["stage", "funder", "currency"]
    search_fields = ["funder__name", "description"]
    form_fields = list(CONTRIBUTION_FIELDS)

    def save(self, *, form, user, instance):
        if instance is None:
            return contribution_record(user=user, **data(form, *CONTRIBUTION_FIELDS))
        return contribution_update(contribution=instance, user=user, **changes(form, *CONTRIBUTION_FIELDS))
