"""The admin's tables of what an innovation measures: indicators, targets, measurements."""

from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic

from ..forms import ConfirmOverride
from ..models import Indicator, Measurement, Target
from ..services.indicators import indicator_define, indicator_update, target_set, target_update
from ..services.measurements import measurement_record, measurement_update
from .base import ServiceViewSet, changes, data


class IndicatorViewSet(ServiceViewSet):
    model = Indicator
    icon = "tasks"
    menu_label = _("Indicators")
    list_display = ["name", "innovation", "unit", "direction", "aggregation"]
    list_filter = ["unit", "innovation"]
    search_fields = ["name"]
    form_fields = [
        "innovation",
        "name",
        "name_en",
        "unit",
        "counted",
        "direction",
        "aggregation",
        "currency",
        "order",
    ]

    def save(self, *, form, user, instance):
        if instance is None:
            return indicator_define(user=user, **data(form, *IndicatorViewSet.form_fields))
        return indicator_update(indicator=instance, user=user, **changes(form, *IndicatorViewSet.form_fields))


class TargetViewSet(ServiceViewSet):
    model = Target
    icon = "crosshairs"
    menu_label = _("Targets")
    list_display = ["indicator", "stage", "value", "due_date"]
    list_filter = ["stage"]
    search_fields = ["indicator__name"]
    form_fields = ["indicator", "stage", "value", "due_date"]

    def save(self, *, form, user, instance):
        fields = data(form, "stage", "value", "due_date")
        if instance is None:
            return target_set(indicator=form.cleaned_data["indicator"], user=user, **fields)
        return target_update(target=instance, user=user, **fields)


class MeasurementDeleteView(generic.DeleteView):
    """Deleting a value that counts needs a reason: the portal's own page asks for it."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("pilots:measurement_delete", pk=unquote(str(kwargs["pk"])))


class MeasurementViewSet(ServiceViewSet):
    model = Measurement
    icon = "table"
    menu_label = _("Measurements")
    list_display = ["indicator", "measured_on", "value", "participation", "source", "logged_by"]
    list_filter = ["measured_on", "indicator__innovation"]
    search_fields = ["source", "indicator__name"]
    form_fields = ["indicator", "measured_on", "value", "numerator", "denominator", "source", "participation"]
    delete_view_class = MeasurementDeleteView

    def get_form_class(self, for_update=False):
        # The quick form's "Record it anyway" when a value would change which series makes the actual.
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (ConfirmOverride, form_class), {})

    def save(self, *, form, user, instance):
        fields = data(form, "measured_on", "value", "numerator", "denominator", "source", "participation")
        fields["confirm_override"] = form.override_confirmed
        if instance is None:
            return measurement_record(indicator=form.cleaned_data["indicator"], user=user, **fields)
        return measurement_update(measurement=instance, user=user, **fields)
