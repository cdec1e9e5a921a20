"""The tracker's rows for `bench/scale.py`: innovations at every stage and visibility, with
their stage changes, checklist, lessons, participations and contributions; their indicators,
targets and measurements (five busy public innovations get the most); their milestones.

Imported by `bench/scale.py` once Django is set up.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from bench.scale_rows import BATCH, COUNTRIES, MARK, STAGES, WORDS, log, sentence
from pilots.cycle import ACTIONS, Stage
from pilots.models import (
    Aggregation,
    ChecklistItem,
    Contribution,
    Direction,
    Indicator,
    Innovation,
    InnovationStatus,
    Lesson,
    LessonKind,
    Measurement,
    Milestone,
    MilestoneStatus,
    Participation,
    StageChange,
    Target,
    Unit,
    Visibility,
)
from portal.accounts.models import Funder, ProductLine, Role, User

VISIBILITIES = list(Visibility)
BUSY_INNOVATIONS = 5


def build_innovations(total: dict[str, int], members: list, rng: random.Random) -> None:
    existing = Innovation.objects.count()
    count = max(total["innovations"] - existing, 0)
    lines = list(ProductLine.objects.all())
    funders = list(Funder.objects.all())
    donor = User.objects.filter(role=Role.DONOR).select_related("funder").first()
    staff = User.objects.filter(role=Role.STAFF, is_staff=True).first()
    today = timezone.localdate()

    innovations = []
    for number in range(count):
        busy = number < BUSY_INNOVATIONS
        stage = STAGES[number % len(STAGES)]
        visibility = Visibility.PUBLIC if busy else VISIBILITIES[(number // len(STAGES)) % len(VISIBILITIES)]
        innovations.append(
            Innovation(
                title=f"Bench {rng.choice(WORDS)} {number:05d}",
                slug=f"{MARK}innovation-{number:05d}",
                summary=sentence(rng, 30),
                title_en=f"Bench innovation {number:05d}",
                product_line=rng.choice(lines),
                countries=rng.sample(COUNTRIES, rng.randint(1, 3)),
                lead=staff,
                visibility=visibility,
                stage=stage,
                status=InnovationStatus.ACTIVE if number % 7 else InnovationStatus.ON_HOLD,
                started_on=today - datetime.timedelta(days=rng.randint(200, 3000)),
            )
        )
    innovations = Innovation.objects.bulk_create(innovations, batch_size=BATCH)
    log(f"  {len(innovations):,} innovations")

    changes, checklist, lessons, participations, contributions = [], [], [], [], []
    for innovation in innovations:
        reached = STAGES.index(Stage(innovation.stage))
        for step in range(1, reached + 1):
            changes.append(
                StageChange(
                    innovation=innovation,
                    from_stage=STAGES[step - 1],
                    to_stage=STAGES[step],
                    decided_on=innovation.started_on + datetime.timedelta(days=120 * step),
                    decided_by=staff,
                    rationale=sentence(rng, 12),
                )
            )
        for stage in STAGES[: reached + 1]:
            for code, _label in ACTIONS[stage][:2]:
                checklist.append(
                    ChecklistItem(innovation=innovation, action=code, done_on=innovation.started_on, ticked_by=staff)
                )
            lessons.append(
                Lesson(
                    innovation=innovation,
                    stage=stage,
                    kind=rng.choice(list(LessonKind)),
                    text=sentence(rng, 25),
                    recorded_on=innovation.started_on + datetime.timedelta(days=30),
                )
            )
        for member in rng.sample(members, min(len(members), rng.randint(3, 6))):
            participations.append(
                Participation(innovation=innovation, institution=member, since=innovation.started_on, stage=Stage.PILOT)
            )
        chosen = rng.sample(funders, min(len(funders), 2))
        if donor and donor.funder not in chosen and rng.random() < 0.3:
            chosen.append(donor.funder)  # the demo donor funds some restricted innovations
        for funder in chosen:
            contributions.append(
                Contribution(
                    innovation=innovation,
                    funder=funder,
                    stage=innovation.stage,
                    amount=Decimal(rng.randint(1, 500) * 1000),
                )
            )
    for model, rows in [
        (StageChange, changes),
        (ChecklistItem, checklist),
        (Lesson, lessons),
        (Participation, participations),
        (Contribution, contributions),
    ]:
        model.objects.bulk_create(rows, batch_size=BATCH)
        log(f"  {len(rows):,} {model.__name__} rows")

    build_indicators(innovations, total, staff, rng)
    build_milestones(innovations, total, rng)


def build_indicators(innovations: list, total: dict[str, int], staff, rng: random.Random) -> None:
    kinds = [
        ("Clientes alcanzados", Unit.COUNT, Direction.HIGHER, Aggregation.LATEST, ""),
        ("Satisfacción", Unit.PERCENT, Direction.HIGHER, Aggregation.LATEST, ""),
        ("Días para pagar un reclamo", Unit.DAYS, Direction.LOWER, Aggregation.LATEST, ""),
        ("Primas cobradas", Unit.MONEY, Direction.HIGHER, Aggregation.CUMULATIVE, "USD"),
    ]
    indicators, target_rows = [], []
    for innovation in innovations:
        for order, (name, unit, direction, aggregation, currency) in enumerate(kinds[: rng.randint(2, 4)]):
            indicators.append(
                Indicator(
                    innovation=innovation,
                    name=name,
                    unit=unit,
                    direction=direction,
                    aggregation=aggregation,
                    currency=currency,
                    order=order,
                )
            )
    indicators = Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    for indicator in indicators:
        for number, stage in enumerate(STAGES[2:], start=1):
            value = {"count": 10_000 * number, "percent": 90, "days": 5, "money": 250_000 * number}[indicator.unit]
            target_rows.append(
                Target(
                    indicator=indicator,
                    stage=stage,
                    value=Decimal(value),
                    due_date=indicator.innovation.started_on + datetime.timedelta(days=365 * number),
                )
            )
    Target.objects.bulk_create(target_rows, batch_size=BATCH)
    log(f"  {len(indicators):,} indicators, {len(target_rows):,} targets")

    # Measurements: the busy innovations get ~1,000 each at factor 10, the rest share what is left.
    wanted = max(total["measurements"] - Measurement.objects.count(), 0)
    busy_share = total["measurements"] // 100  # per busy innovation: 1,000 at factor 10
    by_innovation: dict[int, list] = {}
    for indicator in indicators:
        by_innovation.setdefault(indicator.innovation_id, []).append(indicator)
    busy_ids = [innovation.pk for innovation in innovations[:BUSY_INNOVATIONS]]
    rest_ids = [innovation.pk for innovation in innovations[BUSY_INNOVATIONS:]]
    rest_each = max((wanted - busy_share * len(busy_ids)) // max(len(rest_ids), 1), 0)
    today = timezone.localdate()
    written = 0
    rows = []
    for innovation_id in busy_ids + rest_ids:
        per_innovation = busy_share if innovation_id in busy_ids else rest_each
        own = by_innovation[innovation_id]
        for number in range(per_innovation):
            indicator = own[number % len(own)]
            value = {"count": rng.randint(0, 50_000), "percent": rng.randint(40, 100), "days": rng.randint(1, 30)}
            rows.append(
                Measurement(
                    indicator=indicator,
                    measured_on=today - datetime.timedelta(days=rng.randint(1, 1500)),
                    value=Decimal(value.get(indicator.unit, rng.randint(100, 90_000))),
                    source="Bench: informe mensual",
                    logged_by=staff,
                )
            )
        if len(rows) >= 20_000:
            Measurement.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
            rows = []
            log(f"  {written:,} / ~{wanted:,} measurements")
    Measurement.objects.bulk_create(rows, batch_size=BATCH)
    written += len(rows)
    log(f"  {written:,} measurements")


def build_milestones(innovations: list, total: dict[str, int], rng: random.Random) -> None:
    wanted = max(total["milestones"] - Milestone.objects.count(), 0)
    each = max(wanted // max(len(innovations), 1), 1)
    today = timezone.localdate()
    rows = []
    for innovation in innovations:
        for number in range(each):
            planned = innovation.started_on + datetime.timedelta(days=60 * (number + 1))
            status = rng.choice(list(MilestoneStatus)) if planned < today else MilestoneStatus.PLANNED
            rows.append(
                Milestone(
                    innovation=innovation,
                    title=f"Hito {number + 1}: {sentence(rng, 4)}",
                    stage=STAGES[min(number * len(STAGES) // each, len(STAGES) - 1)],
                    planned_start=planned - datetime.timedelta(days=30),
                    planned_date=planned,
                    actual_date=planned + datetime.timedelta(days=rng.randint(-10, 40))
                    if status == MilestoneStatus.DONE
                    else None,
                    status=status,
                )
            )
    Milestone.objects.bulk_create(rows, batch_size=BATCH)
    log(f"  {len(rows):,} milestones")
