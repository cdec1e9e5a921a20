"""The MFI's report form and the staff review form. They only collect input: the rules are in
`pilots.reporting.services`, whose refusals are shown next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.numbers import NumberField

from ..models import MFIReport, Unit
from .services import Entry, field_names


class MFIReportForm(forms.Form):
    """One value per indicator the MFI reports (a numerator and a denominator for a percentage),
    a comment and an attachment. Every figure is optional in a draft; submitting needs them all."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the association should know about these figures."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: the supporting report, as PDF or Excel (XLSX), up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The file kept from a refused post (`pilots.reporting.kept`): used unless a new one is chosen.
    kept_attachment = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, report: MFIReport | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if report is not None and report.pk:
            initial.setdefault("comment", report.comment)
            initial.setdefault("version", report.version)
            for value in report.values.all():
                names = field_names(value.indicator)
                initial.setdefault(names["value"], value.value)
                initial.setdefault(names["numerator"], value.numerator)
                initial.setdefault(names["denominator"], value.denominator)
        super().__init__(*args, initial=initial, **kwargs)
        self.kept = None  # the `Kept` file shown as "Kept: <name>" after a refusal
        self.indicators = list(indicators)
        self.rows = []
        for indicator in self.indicators:
            names = field_names(indicator)
            row = {"indicator": indicator, "fields": []}
            if indicator.unit == Unit.PERCENT:
                # People counted: whole numbers ("45", never "45,00"), kept as Decimals.
                self.fields[names["numerator"]] = NumberField(
                    label=_("How many (numerator)"), required=False, min_value=0, max_digits=12, decimal_places=0
                )
                self.fields[names["denominator"]] = NumberField(
                    label=_("Out of how many (denominator)"),
                    required=False,
                    min_value=0,
                    max_digits=12,
                    decimal_places=0,
                )
                row["fields"] = [names["numerator"], names["denominator"]]
            else:
                # A count is whole ("45", never "45,00"); days and money take cents.
                places = 0 if indicator.unit == Unit.COUNT else 2
                self.fields[names["value"]] = NumberField(
                    label=_("Value"), required=False, min_value=0, max_digits=12 + places, decimal_places=places
                )
                row["fields"] = [names["value"]]
            for name in row["fields"]:  # the error summary says whose "Value" (portal_forms)
                self.fields[name].summary_label = f"{indicator.display_name} · {self.fields[name].label}"
            self.rows.append(row)

    def bound_rows(self) -> list[dict]:
        return [{**row, "bound": [self[name] for name in row["fields"]]} for row in self.rows]

    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        out = {}
        for indicator in self.indicators:
            names = field_names(indicator)
            out[indicator.pk] = Entry(
                value=data.get(names["value"]),
                numerator=data.get(names["numerator"]),
                denominator=data.get(names["denominator"]),
            )
        return out


class ReviewForm(forms.Form):
    """Approving carries the version of the report staff read (`services.locking.bump`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(ReviewForm):
    review_comment = forms.CharField(
        label=_("What should the MFI correct?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The MFI's users see this comment on the report and receive it by e-mail."),
    )


class DeleteMeasurementForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this value deleted?"),
        max_length=100,
        help_text=_("Required. The reason and the value stay in the change history."),
    )
