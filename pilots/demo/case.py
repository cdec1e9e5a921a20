"""One case file written through `pilots.services`, as staff would have logged it.

Idempotent: an innovation that already exists (by slug) is left as it is, so re-running the
loader never overwrites what staff have logged since. The English of milestones, stage
decisions, contributions, lessons and evaluation answers is set afterwards by
`pilots.demo.english` (also over an older demo), so it is left out of the writes here.
"""

from decimal import Decimal

from portal.accounts.models import User
from portal.demo import funder, institution, product_line

from .. import services
from ..models import Innovation, SelectionCriterion

INNOVATION_FIELDS = ("title", "title_en", "summary", "summary_en", "countries", "visibility", "started_on", "status")
# Per list of a case file, the field whose English `pilots.demo.english` sets later.
ENGLISH_LATER = {
    "stages": "rationale",
    "milestones": "title",
    "contributions": "description",
    "lessons": "text",
    "evaluation": "answer",
}


def rows(data: dict, key: str) -> list[dict]:
    """The rows of one list of a case, without the English set later."""
    later = f"{ENGLISH_LATER.get(key)}_en"
    return [{field: value for field, value in row.items() if field != later} for row in data.get(key, [])]


def write(data: dict, user: User) -> None:
    slug = data["slug"]
    if Innovation.objects.filter(slug=slug).exists():
        return
    innovation = services.innovation_create(
        user=user,
        slug=slug,
        lead=user,
        product_line=product_line(data["product_line"]),
        **{field: data[field] for field in INNOVATION_FIELDS if field in data},
    )
    on = {"innovation": innovation, "user": user}
    for row in rows(data, "stages"):
        services.innovation_advance_stage(**on, **row)
    for row in data.get("participants", []):
        _participant(innovation, user, row)
    for row in data.get("indicators", []):
        _indicator(innovation, user, row)
    for row in rows(data, "milestones"):
        status = "done" if row.get("actual_date") else "planned"
        services.milestone_record(**on, status=status, **{"planned_start": None, "actual_date": None, **row})
    for row in rows(data, "contributions"):
        services.contribution_record(**on, **{**row, "funder": funder(row["funder"])})
    for row in rows(data, "lessons"):
        services.lesson_record(**on, **row)
    for row in rows(data, "evaluation"):
        services.evaluation_answer_record(**on, **row)
    for row in data.get("checklist", []):
        services.checklist_tick(**on, **row)
    if "period_report" in data:
        services.period_report_save(**on, **data["period_report"])


def _participant(innovation: Innovation, user: User, row: dict) -> None:
    mfi = institution(
        row["institution"],
        row["country"],
        row["type"],
        row.get("clients"),
        illustrative=row.get("illustrative", True),
    )
    criteria = (
        {"criteria": list(SelectionCriterion.objects.filter(code__in=row["criteria"]))} if "criteria" in row else {}
    )
    services.participation_add(
        innovation=innovation, institution=mfi, since=row["since"], stage=row["stage"], user=user, **criteria
    )


def _indicator(innovation: Innovation, user: User, row: dict) -> None:
    options = {field: value for field, value in row.items() if field not in ("targets", "measurements")}
    indicator = services.indicator_define(innovation=innovation, user=user, **options)
    for target in row.get("targets", []):
        services.target_set(indicator=indicator, user=user, **{**target, "value": Decimal(str(target["value"]))})
    for measurement in row.get("measurements", []):
        services.measurement_record(
            indicator=indicator,
            user=user,
            participation=None,
            **{**measurement, "value": Decimal(str(measurement["value"]))},
        )
