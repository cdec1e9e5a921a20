"""The quick staff forms on an innovation's page. They only collect input:
the rules are in `pilots.services`, whose refusals are shown next to the fields."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.numbers import NumberField

from .cycle import Stage
from .models import Indicator, Milestone, MilestoneStatus, Participation
from .services import OVERRIDE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's refusal to the form: per field where the form has it. A refusal
    that asks to confirm (`services.OVERRIDE`) adds the form's confirmation box."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    if hasattr(form, "ask_to_confirm_override") and OVERRIDE in _codes(error):
        form.ask_to_confirm_override()


def _codes(error: ValidationError) -> set[str | None]:
    lists = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {e.code for errors in lists for e in errors}


class ConfirmOverride:
    """A measurement form mixin: when the service warns that a value would change which series
    makes the actual (network-wide or per-MFI, `services.check_override`), the form comes back
    with the warning and a "Record it anyway" box; ticked, the next post saves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("confirm_override")):
            self.ask_to_confirm_override()

    def ask_to_confirm_override(self) -> None:
        self.fields.setdefault(
            "confirm_override",
            forms.BooleanField(
                label=_("Record it anyway"),
                required=False,
                help_text=_("Nothing was saved. Tick this box and save again to record the value as it is."),
            ),
        )

    @property
    def override_confirmed(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("confirm_override"))


class MeasurementForm(ConfirmOverride, forms.Form):
    prefix = "measurement"

    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), empty_label=_("Choose an indicator")
    )
    measured_on = forms.DateField(label=_("Date"), widget=DateInput())
    value = NumberField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("A report, a dataset, a field visit."))
    participation = forms.ModelChoiceField(
        label=_("Participant MFI"),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=_("Whole network"),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, innovation, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        kwargs["initial"].setdefault("measured_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda indicator: indicator.display_name
        # Fresh querysets: the innovation's prefetched relations would be cloned with their
        # prefetches (every indicator's targets and measurements) just to list the options.
        self.fields["indicator"].queryset = Indicator.objects.filter(innovation=innovation)
        self.fields["participation"].queryset = Participation.objects.filter(innovation=innovation).select_related(
            "institution"
        )
        self.fields["participation"].label_from_instance = lambda p: p.institution.name


class MilestoneForm(forms.Form):
    prefix = "milestone"

    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, required=False, help_text=_("Leave empty to show the Spanish text.")
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DateInput())
    planned_date = forms.DateField(label=_("Planned date"), widget=DateInput())
    actual_date = forms.DateField(
        label=_("Actual date"), required=False, widget=DateInput(), help_text=_("Fill in when it is done.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices, initial=MilestoneStatus.PLANNED)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, innovation, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("stage", innovation.stage)
        super().__init__(*args, **kwargs)


class MilestoneDoneForm(forms.Form):
    actual_date = forms.DateField(label=_("Done on"), widget=DateInput())
    milestone = forms.ModelChoiceField(queryset=Milestone.objects.all(), widget=forms.HiddenInput)


class AdvanceStageForm(forms.Form):
    prefix = "stage"

    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this decision. Required when a stage is skipped."),
    )
    rationale_en = forms.CharField(
        label=_("Rationale (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to show the Spanish text."),
    )
    expected_stage = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, innovation, **kwargs):
        from .cycle import stage_number

        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_stage", innovation.stage)
        kwargs["initial"].setdefault("decided_on", timezone.localdate())
        following = [s for s in Stage if stage_number(s) == stage_number(innovation.stage) + 1]
        if following:
            kwargs["initial"].setdefault("to_stage", following[0].value)
        super().__init__(*args, **kwargs)


class ChecklistTickForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    evidence_url = forms.URLField(label=_("Evidence link"), required=False)


class PeriodReportForm(forms.Form):
    """A semester's narrative; `expected_updated_at` carries the version the writer started from."""

    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    difficulties = forms.CharField(label=_("Difficulties"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    progress_en = forms.CharField(
        label=_("Progress (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties_en = forms.CharField(
        label=_("Difficulties (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps_en = forms.CharField(
        label=_("Next steps (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
