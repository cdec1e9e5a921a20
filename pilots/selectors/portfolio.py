"""The dashboard's aggregates over the innovations a viewer may see, from the stored progress:
counts by stage, health, country and product line, funding, reach, and late milestones."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django_countries import countries

from ..cycle import Stage, stage_number
from ..models import Contribution, Counted, IndicatorProgress, Innovation, Milestone, Status, Unit
from ..models.innovation import in_reader_language
from .funding import share_percent


def portfolio_summary(visible: QuerySet[Innovation]) -> dict:
    """The dashboard's aggregates over the innovations the viewer may see, computed by the
    database from the stored progress: how many sit in each stage, how many in each state of
    health, in each country and product line, and disclosed funding per funder and currency.
    Plain values only, so that the summary is cheap to cache. `visible` counts each innovation
    once (`visible_to` decides visibility without a join), so it is grouped as it is."""
    innovations = visible
    stages = dict(innovations.order_by().values_list("stage").annotate(n=Count("pk")))
    health = dict(innovations.order_by().values_list("current_progress__status").annotate(n=Count("pk")))
    health[Status.NO_DATA] = health.get(Status.NO_DATA, 0) + health.pop(None, 0)
    funding = (
        Contribution.objects.filter(innovation__in=innovations, amount__isnull=False)
        .order_by("funder__name", "currency")
        .values("funder__name", "funder__name_en", "currency")
        .annotate(total=Sum("amount"))
    )
    lines = (
        innovations.order_by()
        .values("product_line__code", "product_line__name_es", "product_line__name_en")
        .annotate(n=Count("pk"))
    )
    by_country: dict[str, int] = defaultdict(int)
    for value in innovations.values_list("countries", flat=True):
        for code in filter(None, (value or "").split(",")):
            by_country[code] += 1
    staged = list(
        Contribution.objects.filter(innovation__in=innovations, amount__isnull=False)
        .order_by()
        .values("stage", "funder__name", "funder__name_en", "currency")
        .annotate(total=Sum("amount"))
    )
    stage_totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in staged:
        stage_totals[(row["stage"], row["currency"])] += row["total"]
    return {
        "reach": reach(innovations),
        "funding_by_stage": [
            {
                "stage": row["stage"],
                "label": str(Stage(row["stage"]).label),
                "funder": in_reader_language(row["funder__name"], row["funder__name_en"]),
                "currency": row["currency"],
                "amount": row["total"],
                "share": share_percent(row["total"], stage_totals[(row["stage"], row["currency"])]),
            }
            for row in sorted(staged, key=lambda r: (stage_number(r["stage"]), r["currency"], -r["total"]))
        ],
        "by_product_line": sorted(
            (
                {
                    "code": row["product_line__code"],
                    "label": in_reader_language(row["product_line__name_es"], row["product_line__name_en"]),
                    "count": row["n"],
                }
                for row in lines
            ),
            key=lambda row: (-row["count"], row["label"]),
        ),
        "by_country": sorted(
            ({"code": code, "label": str(countries.name(code)), "count": n} for code, n in by_country.items()),
            key=lambda row: (-row["count"], row["label"]),
        ),
        "by_stage": [
            {"stage": stage.value, "label": str(stage.label), "count": stages.get(stage.value, 0)} for stage in Stage
        ],
        "health": [
            {"status": key, "label": str(Status.LABELS[key]), "count": health.get(key, 0)} for key in Status.ORDER
        ],
        "funding": [
            {
                "funder": in_reader_language(row["funder__name"], row["funder__name_en"]),
                "currency": row["currency"],
                "amount": row["total"],
            }
            for row in funding
        ],
    }


def _as_stored(value) -> Decimal:
    """A sum computed by the database with two decimal places, as PostgreSQL returns it
    (SQLite hands sums back unscaled)."""
    return Decimal(value).quantize(Decimal("0.01"))


SUMMED = (Counted.CLIENTS, Counted.INSTITUTIONS, Counted.PEOPLE)


def reach(innovations: QuerySet[Innovation]) -> list[dict]:
    """Actuals against current targets added up across innovations, only where they count the
    same thing (clients with clients, MFIs with MFIs: `Indicator.counted`); percentages, days,
    money and counts of anything else are not added up. Each targeted indicator counts once;
    one without data yet adds its target but no actual (`reporting` says how many have data)."""
    rows = (
        IndicatorProgress.objects.filter(
            innovation__in=innovations, target__isnull=False, indicator__unit=Unit.COUNT, indicator__counted__in=SUMMED
        )
        .order_by()
        .values("indicator__counted")
        .annotate(
            actual_total=Sum("actual"),
            target_total=Sum("target__value"),
            indicators=Count("pk"),
            reporting=Count("actual"),
            innovations=Count("innovation", distinct=True),
        )
    )
    found = {row["indicator__counted"]: row for row in rows}
    return [
        {
            "counted": counted.value,
            "label": str(counted.label),
            "actual": _as_stored(row["actual_total"] or 0),
            "target": _as_stored(row["target_total"]),
            "percent": share_percent(_as_stored(row["actual_total"] or 0), row["target_total"]),
            "indicators": row["indicators"],
            "reporting": row["reporting"],
            "innovations": row["innovations"],
        }
        for counted in SUMMED
        if (row := found.get(counted.value))
    ]


def overdue_milestones(visible: QuerySet[Innovation], today: datetime.date) -> QuerySet[Milestone]:
    """Open milestones past their planned date across the innovations the viewer may see, oldest first."""
    return (
        Milestone.objects.overdue(today)
        .filter(innovation__in=visible)
        .select_related("innovation")
        .order_by("planned_date", "id")
    )
