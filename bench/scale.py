"""Scale generator: N times the demo data, written in bulk, for the benchmark.

Run on a database that already has the demo (`manage.py load_demo`):

    DJANGO_SETTINGS_MODULE=portal.settings.dev DATABASE_URL=postgres://... \\
        .venv/bin/python bench/scale.py --factor 10

Factor 1 is the demo itself (nothing is added). Factor N ≥ 2 brings the database to
about N times one "demo unit" — the issue's 10× numbers divided by ten:

| per unit of factor | total at 10 |
| --- | --- |
| 100 innovations (all five stages, all three visibilities) | 1,000 |
| 10,000 measurements (five busy public innovations get ~N×100 each) | 100,000 |
| 1,000 milestones | 10,000 |
| 50 member MFIs, each with one member user | 500 |
| 2 survey rounds (the demo questionnaire, answered by ~85 % of members) | 20 |
| 20 research reports (Wagtail pages, published; `--max-pages` caps them) | 200 |

Rows are written with `bulk_create` (the rules of the services are respected by
construction and the database constraints check the rest); research pages go
through Wagtail's tree API (`add_child`, `save_revision().publish()`), which is
slower. The knowledge index is rebuilt at the end. Generated rows are marked (slugs
and names start with `bench-`/`Bench`), and a second run on the same database
refuses with a message instead of doubling the data.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from pilots.cycle import ACTIONS, Stage  # noqa: E402
from pilots.models import (  # noqa: E402
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
from portal.accounts.models import Funder, InstitutionType, MemberInstitution, ProductLine, Role, User  # noqa: E402

MARK = "bench-"  # slugs, usernames and tokens of generated rows start with it
MEMBER_PASSWORD = "bench-member-2026"
STAGES = list(Stage)
VISIBILITIES = list(Visibility)
COUNTRIES = ["EC", "PE", "BO", "GT", "HN", "NI", "SV", "CO", "MX", "IN"]
BUSY_INNOVATIONS = 5
BATCH = 2000

UNIT = {
    "innovations": 100,
    "measurements": 10_000,
    "milestones": 1_000,
    "members": 50,
    "rounds": 2,
    "pages": 20,
}

WORDS = [
    *("microseguros", "microcrédito", "ahorro", "remesas", "pagos", "vivienda", "educación", "pensiones"),
    *("clientes", "rurales", "mujeres", "cooperativa", "piloto", "evaluación", "demanda", "oferta", "canal"),
    *("agentes", "corresponsales", "seguro", "vida", "salud", "cosecha"),
]


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[scale {time.perf_counter() - STARTED:6.1f} s] {message}", flush=True)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def targets(factor: int) -> dict[str, int]:
    return {name: per_unit * factor for name, per_unit in UNIT.items()}


def already_scaled() -> bool:
    return (
        Innovation.objects.filter(slug__startswith=MARK).exists()
        or User.objects.filter(username__startswith=MARK).exists()
    )


# --- network ---------------------------------------------------------------------------------


def build_members(count: int, rng: random.Random) -> list[MemberInstitution]:
    types = list(InstitutionType)
    members = [
        MemberInstitution(
            name=f"Bench IMF {number:05d}",
            country=rng.choice(COUNTRIES),
            institution_type=types[number % len(types)],
            clients_served=rng.randint(2_000, 400_000),
            contact_email=f"{MARK}imf{number}@example.org",
            illustrative=True,
        )
        for number in range(count)
    ]
    members = MemberInstitution.objects.bulk_create(members, batch_size=BATCH)
    password = make_password(MEMBER_PASSWORD)  # hashed once: the hasher is slow on purpose
    User.objects.bulk_create(
        [
            User(
                username=f"{MARK}member-{number:05d}",
                email=f"{MARK}member-{number}@example.org",
                password=password,
                role=Role.MEMBER,
                institution=member,
            )
            for number, member in enumerate(members)
        ],
        batch_size=BATCH,
    )
    return members


# --- innovations -----------------------------------------------------------------------------


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


# --- survey ----------------------------------------------------------------------------------


def copy_questionnaire(source, survey_round) -> dict:
    """The demo questionnaire, copied as staff would (stable codes, conditions remapped)."""
    from surveys.models import Option, Question

    questions = list(source.questions.order_by("position", "pk").prefetch_related("options"))
    copies = {}
    for question in questions:
        copy = Question(
            round=survey_round,
            **{
                field: getattr(question, field)
                for field in (
                    "code",
                    "position",
                    "kind",
                    "label_es",
                    "label_en",
                    "help_es",
                    "help_en",
                    "required",
                    "min_value",
                    "max_value",
                    "unit",
                    "max_choices",
                    "measures",
                    "show_if_option",
                )
            },
        )
        copies[question.pk] = copy
    Question.objects.bulk_create(list(copies.values()))
    conditional = []
    for question in questions:
        if question.show_if_question_id:
            copy = copies[question.pk]
            copy.show_if_question = copies[question.show_if_question_id]
            conditional.append(copy)
    Question.objects.bulk_update(conditional, ["show_if_question"])
    Option.objects.bulk_create(
        [
            Option(
                question=copies[question.pk],
                code=option.code,
                label_es=option.label_es,
                label_en=option.label_en,
                product_line_id=option.product_line_id,
                position=option.position,
            )
            for question in questions
            for option in question.options.all()
        ]
    )
    return {copy.code: copy for copy in copies.values()}


def build_survey(total: dict[str, int], rng: random.Random) -> None:
    from surveys.demo import _answers
    from surveys.models import Answer, EventKind, Invitation, InvitationEvent, ResponseStatus, Round

    source = Round.objects.order_by("year", "semester").first()
    if source is None:
        log("  no demo round to copy the questionnaire from: survey skipped")
        return
    members = list(MemberInstitution.objects.all())
    wanted = max(total["rounds"] - Round.objects.count(), 0)
    taken = set(Round.objects.values_list("year", "semester"))
    slots = [(year, semester) for year in range(source.year - 1, 1900, -1) for semester in (2, 1)]
    slots = [slot for slot in slots if slot not in taken][:wanted]
    for number, (year, semester) in enumerate(slots, start=1):
        opens_on = datetime.date(year, 4 if semester == 1 else 10, 1)
        survey_round = Round.objects.create(
            year=year,
            semester=semester,
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=45),
            intro_es="¿Qué productos y servicios financieros demandan más sus clientes? (bench)",
            intro_en="Which financial products and services do your clients demand most? (bench)",
        )
        questions = copy_questionnaire(source, survey_round)
        sent_at = timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(9)))
        invitations = []
        answered = {}
        for index, member in enumerate(members):
            answers = _answers(rng, member, step=max(0, year - 2015)) if rng.random() < 0.85 else None
            submitted_at = sent_at + datetime.timedelta(days=1 + index % 30) if answers else None
            invitation = Invitation(
                round=survey_round,
                institution=member,
                sent_at=sent_at,
                status=ResponseStatus.SUBMITTED if answers else ResponseStatus.NOT_STARTED,
                version=1 if answers else 0,
                updated_at=submitted_at,
                submitted_at=submitted_at,
            )
            invitations.append(invitation)
            answered[id(invitation)] = answers
        invitations = Invitation.objects.bulk_create(invitations, batch_size=BATCH)
        events, answer_rows = [], []
        for invitation in invitations:
            events.append(InvitationEvent(invitation=invitation, kind=EventKind.INVITED, at=sent_at))
            answers = answered[id(invitation)]
            if answers:
                events.append(
                    InvitationEvent(invitation=invitation, kind=EventKind.SUBMITTED, at=invitation.submitted_at)
                )
                answer_rows.extend(
                    Answer(invitation=invitation, question=questions[code], value=value)
                    for code, value in answers.items()
                )
        InvitationEvent.objects.bulk_create(events, batch_size=BATCH)
        Answer.objects.bulk_create(answer_rows, batch_size=BATCH)
        log(
            f"  round {survey_round.code} ({number}/{len(slots)}): {len(invitations):,} invitations, "
            f"{len(answer_rows):,} answers"
        )


# --- research --------------------------------------------------------------------------------


def build_research(total: dict[str, int], max_pages: int | None, rng: random.Random) -> None:
    from research.models import Author, ResearchIndexPage, ResearchReportPage, StudyType

    index = ResearchIndexPage.objects.filter(locale__language_code="es").first()
    if index is None:
        log("  no Spanish research index (load_demo first): research skipped")
        return
    wanted = max(total["pages"] - ResearchReportPage.objects.count(), 0)
    if max_pages is not None:
        wanted = min(wanted, max_pages)
    authors = list(Author.objects.all())
    lines = list(ProductLine.objects.all())
    public = list(Innovation.objects.filter(visibility=Visibility.PUBLIC)[:200])
    started = time.perf_counter()
    for number in range(wanted):
        topic = rng.choice(WORDS)
        page = ResearchReportPage(
            title=f"Bench: estudio de {topic} {number:04d}",
            slug=f"{MARK}estudio-{number:04d}",
            study_type=rng.choice(list(StudyType)),
            summary=sentence(rng, 40),
            publication_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randint(0, 5800)),
            countries=rng.sample(COUNTRIES, 2),
            stage=rng.choice(STAGES),
            body=[
                ("heading", {"text": "Contexto", "level": "h2"}),
                ("paragraph", "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(4))),
                ("heading", {"text": "Resultados", "level": "h2"}),
                ("paragraph", "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(4))),
            ],
        )
        page.authors.set(rng.sample(authors, min(len(authors), 2)))
        page.product_lines.set(rng.sample(lines, min(len(lines), 2)))
        if public:
            page.innovations.set([rng.choice(public)])
        index.add_child(instance=page)
        page.save_revision().publish()
        if (number + 1) % 20 == 0 or number + 1 == wanted:
            rate = (number + 1) / (time.perf_counter() - started)
            log(f"  {number + 1:,} / {wanted:,} research pages ({rate:.1f}/s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=10, help="how many times the demo unit (1 = the demo itself)")
    parser.add_argument("--max-pages", type=int, default=None, help="cap the research pages (they are slow to create)")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    if options.factor < 1:
        parser.error("--factor must be 1 or more")
    if not Innovation.objects.exists():
        print("No demo data here: run `manage.py load_demo` first.", file=sys.stderr)
        return 2
    if options.factor == 1:
        log("Factor 1 is the demo itself: nothing to add.")
        return 0
    if already_scaled():
        print(
            "This database already has generated data (rows named bench-…): refusing to add it twice. "
            "Use a fresh database (make bench creates one).",
            file=sys.stderr,
        )
        return 1
    rng = random.Random(options.seed)
    total = targets(options.factor)
    log(f"Scaling to factor {options.factor}: " + ", ".join(f"{name} {value:,}" for name, value in total.items()))
    started = time.perf_counter()
    with transaction.atomic():
        log("Members and member users")
        members = build_members(max(total["members"] - MemberInstitution.objects.count(), 0), rng)
        log("Innovations")
        build_innovations(total, members or list(MemberInstitution.objects.all()), rng)
        log("Survey rounds")
        build_survey(total, rng)
    log("Research pages (Wagtail tree API)")
    with transaction.atomic():
        build_research(total, options.max_pages, rng)
    log("Knowledge index")
    call_command("rebuild_knowledge_index", no_progress=True)
    log("Stored progress (bulk writes bypass the signals that mark it out of date)")
    call_command("refresh_progress", "--all")
    log(f"Done in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
