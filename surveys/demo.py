"""Demo data of the demand survey: ~40 illustrative members, three past rounds and an open one.

States: the past rounds are closed with their results published (members compare their
answers with the network's), the last one is open. A state is set when the round is first
created only: reloading the demo never takes back what staff did since (closing the open
round, say).

Idempotent (update_or_create on natural keys). The answers are generated from a
fixed seed so they are the same on every run; they show a rising demand for
micro-insurance across rounds, as in RFR's experience (DESIGN.md). Past rounds
are written directly: they are history, not something a member is doing now.
The demo member's institution (Cooperativa Ilustrativa Andina) answered the past
rounds but not the open one, so a newcomer can try answering it.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portal.accounts.models import InstitutionType, MemberInstitution, ProductLine, User

from .models import (
    Answer,
    EventKind,
    Invitation,
    InvitationEvent,
    Measures,
    Opportunity,
    Option,
    Question,
    QuestionType,
    ResponseStatus,
    Round,
    RoundState,
)

DEMO_MEMBER = "Cooperativa Ilustrativa Andina"
LINES = [
    "working-capital",
    "savings",
    "micro-insurance",
    "micro-pensions",
    "remittances",
    "payments",
    "housing",
    "education",
]

# (year, semester, opens, closes); the last one is open on the demo's "today" (2026-11-22).
ROUNDS = [
    (2025, 1, datetime.date(2025, 4, 1), datetime.date(2025, 5, 15)),
    (2025, 2, datetime.date(2025, 10, 1), datetime.date(2025, 11, 14)),
    (2026, 1, datetime.date(2026, 4, 6), datetime.date(2026, 5, 22)),
    (2026, 2, datetime.date(2026, 11, 2), datetime.date(2026, 12, 11)),
]

_PREFIXES = {
    InstitutionType.COOPERATIVE: "Cooperativa",
    InstitutionType.NGO: "Fundación",
    InstitutionType.BANK: "Banco",
    InstitutionType.FINANCE_COMPANY: "Financiera",
}
_PLACES = [
    "Chimborazo",
    "Cotopaxi",
    "Tungurahua",
    "Imbabura",
    "Pichincha",
    "Azuay",
    "Cañar",
    "Loja",
    "Bolívar",
    "Manabí",
    "Esmeraldas",
    "El Oro",
    "Los Ríos",
    "Guayas",
    "Santa Elena",
    "Napo",
    "Pastaza",
    "Morona",
    "Zamora",
    "Sucumbíos",
    "Orellana",
    "Carchi",
    "Santo Domingo",
    "Galápagos",
    "Pujilí",
    "Saquisilí",
    "Otavalo",
    "Cayambe",
    "Riobamba",
    "Alausí",
    "Guaranda",
    "Puyo",
    "Tena",
    "Macas",
]
_ABROAD = [("PE", "Cusco"), ("PE", "Puno"), ("CO", "Nariño"), ("CO", "Putumayo"), ("BO", "Oruro")]
_TYPE_CYCLE = [
    InstitutionType.COOPERATIVE,
    InstitutionType.COOPERATIVE,
    InstitutionType.NGO,
    InstitutionType.COOPERATIVE,
    InstitutionType.FINANCE_COMPANY,
    InstitutionType.NGO,
    InstitutionType.BANK,
]


def _institutions() -> list[MemberInstitution]:
    """About 40 members as RFR has, mostly Ecuadorian; created only when missing."""
    specs = [(place, "EC") for place in _PLACES[:34]] + [(place, country) for country, place in _ABROAD]
    members = []
    for index, (place, country) in enumerate(specs):
        kind = _TYPE_CYCLE[index % len(_TYPE_CYCLE)]
        adjective = "Ilustrativo" if kind == InstitutionType.BANK else "Ilustrativa"
        name = f"{_PREFIXES[kind]} {adjective} {place}"
        institution = MemberInstitution.objects.filter(name=name).first()
        if institution is None:
            institution = MemberInstitution.objects.create(
                name=name,
                country=country,
                institution_type=kind,
                clients_served=2_000 + (index * 7_919) % 58_000,
                contact_email=f"encuesta@{slugify(name)}.example.org",
                illustrative=True,
            )
        members.append(institution)
    home = MemberInstitution.objects.filter(name=DEMO_MEMBER).first()
    if home is not None:
        if not home.contact_email:
            home.contact_email = "encuesta@cooperativa-ilustrativa-andina.example.org"
            home.save(update_fields=["contact_email"])
        members.append(home)
    return members


def _line_options(question: Question) -> None:
    lines = {line.code: line for line in ProductLine.objects.filter(code__in=LINES)}
    for position, code in enumerate(LINES):
        line = lines.get(code)
        Option.objects.update_or_create(
            question=question,
            code=code,
            defaults={
                "label_es": line.name_es if line else code,
                "label_en": line.name_en if line else code,
                "product_line": line,
                "position": position,
            },
        )


def _question(survey_round: Round, code: str, position: int, kind: str, es: str, en: str, **extra) -> Question:
    question, _created = Question.objects.update_or_create(
        round=survey_round,
        code=code,
        defaults={"position": position, "kind": kind, "label_es": es, "label_en": en, **extra},
    )
    return question


def _questionnaire(survey_round: Round) -> dict[str, Question]:
    """The same questionnaire in every round (codes are stable), as staff would copy it."""
    q = {}
    q["demand-ranking"] = _question(
        survey_round, "demand-ranking", 1, QuestionType.RANKING,
        "Ordene los cinco productos que más demandan sus clientes",
        "Rank the five products your clients demand most",
        help_es="1 = el más demandado.", help_en="1 = the most demanded.",
        max_choices=5, measures=Measures.DEMAND,
    )  # fmt: skip
    _line_options(q["demand-ranking"])
    q["products-offered"] = _question(
        survey_round, "products-offered", 2, QuestionType.MULTIPLE,
        "¿Qué productos ofrece hoy su institución?", "Which products does your institution offer today?",
        measures=Measures.SUPPLY,
    )  # fmt: skip
    _line_options(q["products-offered"])
    q["plans-new-product"] = _question(
        survey_round, "plans-new-product", 3, QuestionType.SINGLE,
        "¿Planea lanzar un producto nuevo en los próximos 12 meses?",
        "Do you plan to launch a new product in the next 12 months?",
    )  # fmt: skip
    for position, (code, es, en) in enumerate([("yes", "Sí", "Yes"), ("no", "No", "No")]):
        Option.objects.update_or_create(
            question=q["plans-new-product"], code=code, defaults={"label_es": es, "label_en": en, "position": position}
        )
    q["new-product-line"] = _question(
        survey_round, "new-product-line", 4, QuestionType.SINGLE,
        "¿En qué línea de producto?", "In which product line?",
        show_if_question=q["plans-new-product"], show_if_option="yes",
    )  # fmt: skip
    _line_options(q["new-product-line"])
    q["clients-served"] = _question(
        survey_round, "clients-served", 5, QuestionType.NUMBER,
        "¿Cuántos clientes activos atiende?", "How many active clients do you serve?",
        min_value=0, max_value=2_000_000, unit="clientes",
    )  # fmt: skip
    q["women-share"] = _question(
        survey_round, "women-share", 6, QuestionType.PERCENTAGE,
        "¿Qué porcentaje de sus clientes son mujeres?", "What share of your clients are women?",
    )  # fmt: skip
    q["insurance-interest"] = _question(
        survey_round, "insurance-interest", 7, QuestionType.SCALE,
        "¿Cuánto interés muestran sus clientes por los microseguros?",
        "How interested are your clients in micro-insurance?",
        help_es="1 = ninguno, 5 = mucho.", help_en="1 = none, 5 = a lot.",
    )  # fmt: skip
    q["comments"] = _question(
        survey_round, "comments", 8, QuestionType.TEXT,
        "¿Algún comentario para la asociación?", "Any comment for the association?", required=False,
    )  # fmt: skip
    return q


def _answers(rng: random.Random, institution: MemberInstitution, step: int) -> dict[str, object]:
    """Plausible answers; `step` counts rounds from the first, and micro-insurance climbs with it."""
    weights = {
        "working-capital": 8.0,
        "savings": 6.0,
        "micro-insurance": 3.0 + 1.6 * step,
        "micro-pensions": 2.0 + 0.3 * step,
        "remittances": 4.2,
        "payments": 4.5,
        "housing": 3.8,
        "education": 2.5,
    }
    ranking = sorted(LINES, key=lambda code: -(weights[code] + rng.gauss(0, 1.4)))[:5]
    offer_rate = {
        "working-capital": 0.95,
        "savings": 0.8,
        "micro-insurance": 0.12 + 0.06 * step,
        "micro-pensions": 0.03,
        "remittances": 0.35,
        "payments": 0.3,
        "housing": 0.4,
        "education": 0.2,
    }
    offered = [code for code in LINES if rng.random() < offer_rate[code]] or ["working-capital"]
    plans = "yes" if rng.random() < 0.45 + 0.05 * step else "no"
    answers = {
        "demand-ranking": ranking,
        "products-offered": offered,
        "plans-new-product": plans,
        "clients-served": (institution.clients_served or 10_000) + rng.randint(-500, 1_500) * step,
        "women-share": rng.randint(45, 78),
        "insurance-interest": max(1, min(5, round(2 + 0.7 * step + rng.gauss(0, 0.8)))),
    }
    if plans == "yes":
        answers["new-product-line"] = next((code for code in ranking if code not in offered), ranking[0])
    if rng.random() < 0.15:
        answers["comments"] = rng.choice(
            [
                "Nuestros clientes piden un seguro de vida y salud sencillo.",
                "Interesa capacitación en pagos móviles.",
                "La demanda de crédito de vivienda crece en zonas rurales.",
            ]
        )
    return answers


def _respond(invitation: Invitation, questions: dict, answers: dict, *, submitted_at) -> None:
    for code, value in answers.items():
        Answer.objects.update_or_create(invitation=invitation, question=questions[code], defaults={"value": value})
    invitation.answers.exclude(question__code__in=list(answers)).delete()
    if submitted_at:
        invitation.status = ResponseStatus.SUBMITTED
        invitation.submitted_at = submitted_at
        InvitationEvent.objects.get_or_create(
            invitation=invitation, kind=EventKind.SUBMITTED, defaults={"at": submitted_at}
        )
    else:
        invitation.status = ResponseStatus.DRAFT
    invitation.version = max(invitation.version, 1)
    invitation.updated_at = submitted_at or timezone.now()
    invitation.save()


@transaction.atomic
def load(stdout=None) -> None:
    members = _institutions()
    past_question = None
    for step, (year, semester, opens_on, closes_on) in enumerate(ROUNDS):
        is_open = step == len(ROUNDS) - 1
        survey_round, _created = Round.objects.update_or_create(
            year=year,
            semester=semester,
            create_defaults={
                "opens_on": opens_on,
                "closes_on": closes_on,
                "reminder_days": 7,
                "state": RoundState.OPEN if is_open else RoundState.RESULTS_PUBLISHED,
                "intro_es": "¿Qué productos y servicios financieros demandan más sus clientes?",
                "intro_en": "Which financial products and services do your clients demand most?",
            },
            defaults={
                "opens_on": opens_on,
                "closes_on": closes_on,
                "reminder_days": 7,
                "intro_es": "¿Qué productos y servicios financieros demandan más sus clientes?",
                "intro_en": "Which financial products and services do your clients demand most?",
            },
        )
        questions = _questionnaire(survey_round)
        if step == 0:
            past_question = questions["demand-ranking"]
        sent_at = timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(9)))
        for index, institution in enumerate(members):
            invitation, _created = Invitation.objects.get_or_create(
                round=survey_round, institution=institution, defaults={"sent_at": sent_at}
            )
            InvitationEvent.objects.get_or_create(
                invitation=invitation, kind=EventKind.INVITED, defaults={"at": sent_at}
            )
            rng = random.Random(f"{institution.name}|{survey_round.code}")
            if is_open:
                if institution.name == DEMO_MEMBER:
                    continue  # left for a newcomer to answer
                share = index % 10
                if share < 4:
                    submitted = sent_at + datetime.timedelta(days=1 + index % 12, hours=index % 7)
                    _respond(invitation, questions, _answers(rng, institution, step), submitted_at=submitted)
                elif share < 6:
                    partial = dict(list(_answers(rng, institution, step).items())[:3])
                    _respond(invitation, questions, partial, submitted_at=None)
                continue
            if institution.name != DEMO_MEMBER and rng.random() < 0.12:
                continue  # did not answer that round
            submitted = sent_at + datetime.timedelta(days=1 + index % 30, hours=index % 7)
            _respond(invitation, questions, _answers(rng, institution, step), submitted_at=submitted)

    from pilots.models import Innovation

    innovation = Innovation.objects.filter(slug="rfr-microseguros").first()
    if innovation is not None and past_question is not None:
        Opportunity.objects.update_or_create(
            innovation=innovation,
            question=past_question,
            defaults={
                "note": "La demanda de microseguros subió en el ranking de los miembros; pocos lo ofrecían.",
                "linked_by": User.objects.filter(username="staff").first(),
            },
        )
    if stdout:
        stdout.write(f"Demand survey: {len(members)} members, {len(ROUNDS)} rounds loaded.")
