"""The shapes of the tracker's API answers that are not models: an indicator with its
targets, progress, projection and sources, a milestone, funding, priced product terms.

`pilots.api` fills them from the selectors; the schema (drf-spectacular) describes them
from here, with the help texts donors' developers read.
"""

from rest_framework import serializers

from portal.api import CodeLabel

from .models import Status


class StatusCodeLabel(CodeLabel):
    """A status of the progress rule (pilots/selectors/status.py), with its label in the request's language."""

    code = serializers.ChoiceField(choices=list(Status.LABELS))


class TargetSerializer(serializers.Serializer):
    stage = CodeLabel()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    current = serializers.BooleanField(help_text="The target the status is judged against.")


class ProjectionSerializer(serializers.Serializer):
    pace_per_day = serializers.FloatField(help_text="Slope of the least-squares line through the recent actuals.")
    at_due = serializers.DecimalField(
        max_digits=20, decimal_places=0, allow_null=True, help_text="The value at this pace on the due date."
    )
    reached_on = serializers.DateField(allow_null=True, help_text="When this pace meets the target; null: never.")
    past = serializers.BooleanField(
        help_text="True when the course is spoken of in the past on `as_of`: a date it names has passed, or a pace "
        'set by figures older than the limit never meets the target ("would have reached … at the pace of …").'
    )
    paced_from = serializers.DateField(help_text="The first point the pace is drawn through.")
    paced_to = serializers.DateField(help_text="The last point the pace is drawn through (the latest actual).")


class OverdueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["report", "target"],
        help_text="report: MFIs the reporting plan names have not reported a period whose report fell due; "
        "target: the current target fell due and the indicator has no figure at all.",
    )
    since = serializers.DateField(help_text="The earliest report due date missed, or the target's due date.")
    institutions = serializers.ListField(
        child=serializers.CharField(), help_text="The MFIs whose reports are overdue (empty for kind target)."
    )


class SourceValueSerializer(serializers.Serializer):
    institution = serializers.CharField(allow_null=True, help_text="The reporting MFI; null: network-wide.")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    date = serializers.DateField(help_text="The value's date (an MFI report's: the last day of its period).")
    period = serializers.CharField(
        allow_null=True, help_text='The reporting period of an MFI\'s report ("March 2011"); null: a dated figure.'
    )


class ApprovalSerializer(serializers.Serializer):
    source = serializers.CharField()
    approved_by = serializers.CharField(
        allow_null=True, help_text="Who approved an MFI's report; null: recorded by the association's staff."
    )
    approved_on = serializers.DateField(allow_null=True)


class SourcesSerializer(serializers.Serializer):
    values = SourceValueSerializer(many=True, help_text="The approved values behind the actual.")
    rule = CodeLabel(
        allow_null=True,
        help_text="Which part of the progress rule combined them: network, network_total, mfi_sum, mfi_weighted, "
        "mfi_mean or mfi_total.",
    )
    approvals = ApprovalSerializer(many=True)


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = CodeLabel()
    direction = serializers.CharField()
    aggregation = serializers.CharField()
    currency = serializers.CharField(allow_blank=True)
    counted = serializers.CharField(
        allow_blank=True, help_text="For counts: what is counted (clients, institutions, people, other)."
    )
    targets = TargetSerializer(many=True)
    actual = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    actual_date = serializers.DateField(allow_null=True, help_text="The actual's \"as of\" date: its latest figure's.")
    percent = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True)
    status = StatusCodeLabel()
    as_of = serializers.DateField(
        help_text="The day the status is judged on (today): a latest figure older than PILOTS_RECENT_DATA_MONTHS "
        "before it makes the status no_recent_data."
    )
    overdue = OverdueSerializer(
        allow_null=True, help_text="A figure expected by `as_of` that has not come; null: none."
    )
    projection = ProjectionSerializer(allow_null=True)
    sources = SourcesSerializer(allow_null=True, help_text="Where the actual comes from (only approved values count).")


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    stage = serializers.CharField()
    planned_date = serializers.DateField()
    actual_date = serializers.DateField(allow_null=True)
    status = CodeLabel()


class FundingSerializer(serializers.Serializer):
    funder = serializers.CharField()
    stage = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="Percent of the stage's disclosed total in this currency; null when the amount is not disclosed.",
    )


class InstalmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2)
    fee = serializers.DecimalField(max_digits=14, decimal_places=2)
    savings = serializers.DecimalField(max_digits=14, decimal_places=2)
    insurance = serializers.DecimalField(max_digits=14, decimal_places=2)
    payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    returned = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Compulsory savings given back with this instalment."
    )


class APRComponentSerializer(serializers.Serializer):
    """One component of a variant's APR (pilots/pricing/breakdown.py), in percentage points."""

    code = serializers.ChoiceField(choices=["interest", "fees", "insurance", "tax", "savings"])
    label = serializers.CharField()
    contribution = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        help_text="What it adds to the APR of the line before (interest: its APR alone); the contributions add up "
        "exactly to the APR.",
    )
    apr_with = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="APR of the loan with this component and the ones before it."
    )
    apr_without = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="APR of the whole loan without this component alone; null: those cash flows have no rate.",
    )
    alone = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="APR − apr_without: what it alone adds on top of all the others (these do not add up: costs "
        "compound).",
    )


class APRBreakdownSerializer(serializers.Serializer):
    apr = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    components = APRComponentSerializer(
        many=True,
        allow_null=True,
        help_text="In the order interest, fees, insurance, tax, savings; those the terms lack are left out. "
        "null: the APR cannot be split (see reason).",
    )
    reason = serializers.CharField(help_text="Why the APR cannot be split; empty when it can.")


class ProductTermsSerializer(serializers.Serializer):
    name = serializers.CharField()
    illustrative = serializers.BooleanField()
    country = serializers.CharField()
    currency = serializers.CharField()
    terms = serializers.DictField(help_text="The terms, as the calculator's query parameters (/pricing/?...).")
    apr = serializers.FloatField(allow_null=True, help_text="Nominal APR, % a year, by the IRR method.")
    effective_rate = serializers.FloatField(allow_null=True, help_text="Effective annual rate, % (compounded).")
    total_cost = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    schedule = InstalmentSerializer(many=True)
    breakdown = APRBreakdownSerializer(
        allow_null=True,
        required=False,
        help_text="What the APR is made of: interest, fees, insurance, tax, the savings' effect; null: not priced.",
    )
    error = serializers.CharField(help_text="Why the terms could not be priced; empty when they were.")


class WarningSignSerializer(serializers.Serializer):
    rule = serializers.CharField(
        help_text=(
            "apr_above_peers, flat_rate, late_fee_excessive, late_fee_on_balance, prepayment_fee_excessive, "
            "oss, loan_loss, roa, roe, oer or claims."
        )
    )
    subject = serializers.CharField(help_text="The product variant or the participating MFI.")
    message = serializers.CharField()
