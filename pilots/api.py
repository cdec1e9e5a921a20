"""The read-only JSON API of the innovation tracker (`/api/v1/innovations/`).

What a donor's own systems read: each innovation's stage, status, health, funders and
countries, and (one innovation at a time) its indicators with every target, the actual,
progress, status and projection, its milestones, its funding, and its product terms with
their repayment schedule, APR, effective rate and Standard 6C warning signs. The same rules as the
pages, from the same code: visibility from `Innovation.objects.visible_to`, filters from
`InnovationFilter` (`InnovationApiFilter`), numbers from `pilots.selectors`. Texts follow `Accept-Language`.
"""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from portal.api import FILTER_ERRORS, CodeLabel, Refusal, RequestLanguage, answered_as, code_label

from .filters import COUNTRY_PATTERN, ID_PATTERN, TEXT_PATTERN, InnovationApiFilter
from .models import Innovation, Status, Unit
from .pricing.breakdown import breakdown_of
from .pricing.signs import pricing_of
from .progress import ensure_current
from .reporting.selectors import sources_of
from .selectors import (
    Overdue,
    Progress,
    funding_by_stage,
    innovation_progress,
    merged_overdue,
    overall_status,
    page_measurements,
    with_detail_data,
    with_stored_progress,
)
from .serializers import (
    FundingSerializer,
    IndicatorSerializer,
    MilestoneSerializer,
    OverdueSerializer,
    ProductTermsSerializer,
    StatusCodeLabel,
    WarningSignSerializer,
)


class InnovationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title")
    summary = serializers.CharField(source="display_summary")
    stage = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField(help_text="The worst status among its indicators (the progress rule).")
    product_line = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    funders = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text="The innovation's page on the portal.")

    class Meta:
        model = Innovation
        fields = [
            "slug",
            "title",
            "summary",
            "stage",
            "status",
            "health",
            "visibility",
            "product_line",
            "countries",
            "funders",
            "started_on",
            "page",
        ]

    @extend_schema_field(CodeLabel)
    def get_stage(self, innovation) -> dict:
        return code_label(innovation.stage, innovation.get_stage_display())

    @extend_schema_field(CodeLabel)
    def get_status(self, innovation) -> dict:
        return code_label(innovation.status, innovation.get_status_display())

    @extend_schema_field(StatusCodeLabel)
    def get_health(self, innovation) -> dict:
        row = getattr(innovation, "current_progress", None)
        status = row.status if row is not None else Status.NO_DATA
        return code_label(status, Status.LABELS[status])

    @extend_schema_field(CodeLabel)
    def get_product_line(self, innovation) -> dict:
        return code_label(innovation.product_line.code, innovation.product_line)

    def get_countries(self, innovation) -> list[str]:
        return [country.code for country in innovation.countries]

    def get_funders(self, innovation) -> list[str]:
        return sorted({c.funder.display_name for c in innovation.contributions.all()})

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, innovation) -> str:
        return self.context["request"].build_absolute_uri(innovation.get_absolute_url())


class InnovationDetailSerializer(InnovationSerializer):
    overdue = serializers.SerializerMethodField(
        help_text="What is overdue across its indicators (since the earliest, from every MFI named); null: nothing."
    )
    indicators = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    funding = serializers.SerializerMethodField()
    pricing = serializers.SerializerMethodField()
    warning_signs = serializers.SerializerMethodField()

    class Meta(InnovationSerializer.Meta):
        fields = [
            *InnovationSerializer.Meta.fields,
            "overdue",
            "indicators",
            "milestones",
            "funding",
            "pricing",
            "warning_signs",
        ]

    def _pricing(self, innovation) -> dict:
        if not hasattr(innovation, "_pricing"):
            innovation._pricing = pricing_of([innovation])[innovation.pk]
        return innovation._pricing

    @answered_as(ProductTermsSerializer(many=True))
    def get_pricing(self, innovation) -> list[dict]:
        out = []
        for item in self._pricing(innovation)["variants"]:
            variant, cost = item.variant, item.cost
            out.append(
                {
                    "name": variant.display_name,
                    "illustrative": variant.illustrative,
                    "country": variant.country.code,
                    "currency": variant.currency,
                    "terms": item.calculator_terms,
                    "apr": None if cost is None or cost.apr is None else round(cost.apr, 4),
                    "effective_rate": None if cost is None or cost.effective is None else round(cost.effective, 4),
                    "total_cost": None if cost is None else cost.total_cost,
                    "schedule": [{**vars(row), "payment": row.payment} for row in (cost.schedule if cost else [])],
                    "breakdown": breakdown_of(item),
                    "error": item.error,
                }
            )
        return out

    @answered_as(WarningSignSerializer(many=True))
    def get_warning_signs(self, innovation) -> list[dict]:
        return [vars(sign) for sign in self._pricing(innovation)["signs"]]

    @extend_schema_field(StatusCodeLabel)
    def get_health(self, innovation) -> dict:
        status = overall_status(_progress(innovation))
        return code_label(status, Status.LABELS[status])

    @answered_as(OverdueSerializer(allow_null=True))
    def get_overdue(self, innovation) -> dict | None:
        return _overdue(merged_overdue([p.overdue for p in _progress(innovation)]))

    @answered_as(IndicatorSerializer(many=True))
    def get_indicators(self, innovation) -> list[dict]:
        return [_indicator(p, innovation) for p in _progress(innovation)]

    @answered_as(MilestoneSerializer(many=True))
    def get_milestones(self, innovation) -> list[dict]:
        return [
            {
                "title": m.display_title,
                "stage": m.stage,
                "planned_date": m.planned_date,
                "actual_date": m.actual_date,
                "status": code_label(m.status, m.get_status_display()),
            }
            for m in innovation.milestones.all()
        ]

    @answered_as(FundingSerializer(many=True))
    def get_funding(self, innovation) -> list[dict]:
        return [
            {
                "funder": part["contribution"].funder.display_name,
                "stage": row["stage"].value,
                "amount": part["contribution"].amount,
                "currency": part["contribution"].currency,
                "share": part["share"],
            }
            for row in funding_by_stage(innovation)
            for part in row["parts"]
        ]


def _progress(innovation: Innovation) -> list[Progress]:
    """The innovation's progress from its measurements (as on its page, read the same way:
    `page_measurements`), computed once."""
    if not hasattr(innovation, "_api_progress"):
        measured = page_measurements(innovation, latest=0)
        innovation._api_measured = measured
        innovation._api_progress = innovation_progress(innovation, rows={pk: m.rows for pk, m in measured.items()})
    return innovation._api_progress


def _indicator(p: Progress, innovation: Innovation) -> dict:
    indicator = p.indicator
    course = p.projection
    return {
        "name": indicator.display_name,
        "unit": code_label(indicator.unit, indicator.get_unit_display()),
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "currency": indicator.currency,
        "counted": indicator.counted,
        "targets": [
            {
                "stage": code_label(t.stage, t.get_stage_display()),
                "value": t.value,
                "due_date": t.due_date,
                "current": p.target is not None and t.pk == p.target.pk,
            }
            for t in sorted(indicator.targets.all(), key=lambda t: t.due_date)
        ],
        "actual": _as_shown(p.actual, indicator),
        "actual_date": p.actual_date,
        "percent": p.percent,
        "status": code_label(p.status, p.status_label),
        "as_of": p.as_of,
        "overdue": _overdue(p.overdue),
        "projection": None
        if course is None
        else {
            "pace_per_day": course.pace_per_day,
            "at_due": course.at_due,
            "reached_on": course.reached_on,
            "past": course.past,
            "paced_from": course.paced_from,
            "paced_to": course.paced_to,
        },
        "sources": _sources(p, innovation),
    }


def _as_shown(value: Decimal | None, indicator) -> Decimal | None:
    """A value rounded as the indicator's page shows it (86.666… % → 86.7)."""
    if value is None:
        return None
    return Unit(indicator.unit).rounded(value)


def _overdue(overdue: Overdue | None) -> dict | None:
    if overdue is None:
        return None
    return {"kind": overdue.kind, "since": overdue.since, "institutions": list(overdue.institutions)}


def _sources(p: Progress, innovation: Innovation) -> dict | None:
    found = sources_of(innovation._api_measured[p.indicator.pk].behind, rule=p.rule)
    if not found:
        return None
    rule = found["rule"]
    return {
        "values": [
            {"institution": v["mfi"], "value": v["value"], "date": v["on"], "period": v["period"]}
            for v in found["values"]
        ],
        "rule": None if rule is None else code_label(rule.kind, rule.label),
        "approvals": found["approvals"],
    }


def _filter_parameters() -> list[OpenApiParameter]:
    """The list's filters as the schema declares them, with the values each accepts; every one
    also accepts an empty value, meaning any (as the portal's filter form sends them)."""
    filters = InnovationApiFilter.base_filters

    def choices(name: str, description: str) -> OpenApiParameter:
        codes = ["", *(str(code) for code, _label in filters[name].extra["choices"])]
        return OpenApiParameter(name, str, enum=codes, description=f"{description} Empty: any.")

    def shaped(name: str, pattern: str, description: str) -> OpenApiParameter:
        return OpenApiParameter(name, str, pattern=pattern, description=f"{description} Empty: any.")

    return [
        shaped("q", TEXT_PATTERN, "Words in the title or the summary."),
        choices("stage", "The current stage."),
        shaped("product_line", ID_PATTERN, "A product line's id; one that names none gives an empty list."),
        shaped("country", COUNTRY_PATTERN, "A country's ISO 3166 code (EC, NI); one without innovations gives none."),
        shaped(
            "funder", ID_PATTERN, "A funder's id: the innovations it contributes to; one that names none gives none."
        ),
        choices("status", "The innovation's status."),
        choices("visibility", "Who may see it, among what the caller may see."),
        choices("progress", "Its health (the worst status among its indicators)."),
    ]


REFUSED = OpenApiResponse(
    Refusal, description="A token that is not valid (or an inactive account's): send a valid one, or none."
)


@extend_schema_view(
    list=extend_schema(
        parameters=_filter_parameters(),
        responses={
            200: InnovationSerializer(many=True),
            400: OpenApiResponse(
                FILTER_ERRORS, description="A filter's value is not valid: the answer names each one and why."
            ),
            401: REFUSED,
            404: OpenApiResponse(Refusal, description="No such page of results."),
        },
    ),
    retrieve=extend_schema(
        responses={
            200: InnovationDetailSerializer,
            401: REFUSED,
            404: OpenApiResponse(Refusal, description="No innovation with this slug that the caller may see."),
        }
    ),
)
class InnovationViewSet(RequestLanguage, viewsets.ReadOnlyModelViewSet):
    """Innovations the caller may see — the public, a donor's funded ones, a member's own —
    filtered like the portal's list (`stage`, `product_line`, `country`, `funder`, `status`,
    `visibility`, `progress`, `q`: `InnovationApiFilter`). One innovation adds its indicators,
    milestones and funding."""

    lookup_field = "slug"
    filterset_class = InnovationApiFilter

    def get_queryset(self):
        visible = Innovation.objects.visible_to(self.request.user)
        return with_detail_data(visible) if self.action == "retrieve" else visible

    def get_serializer_class(self):
        return InnovationDetailSerializer if self.action == "retrieve" else InnovationSerializer

    def list(self, request, *args, **kwargs):
        ensure_current()
        return super().list(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(with_stored_progress(queryset))
