"""Demo data of the demand survey (`survey.toml`): ~40 illustrative members, three past rounds
and an open one.

States: the past rounds are closed with their results published (members compare their
answers with the network's), the last one is open. A state is set when the round is first
created only: reloading the demo never takes back what staff did since (closing the open
round, say).

Idempotent (update_or_create on natural keys). The answers are generated from a fixed seed
(`answers`). Past rounds are written directly: they are history, not something a member is
doing now. The demo member's institution (Cooperativa Ilustrativa Andina) answered the past
rounds but not the open one, so a newcomer can try answering it.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pilots.public import Innovation
from portal.accounts.models import MemberInstitution, ProductLine, User

from ..models import (
    Answer,
    EventKind,
    Invitation,
    InvitationEvent,
    Opportunity,
    Option,
    Question,
    ResponseStatus,
    Round,
    RoundState,
)
from .answers import answers as _answers  # also bench/scale_survey.py's
from .files import survey


def _institutions() -> list[MemberInstitution]:
    """The members, created only when missing, and the demo member's cooperative last."""
    data = survey()
    members = []
    for member in data["members"]:
        institution = MemberInstitution.objects.filter(name=member["name"]).first()
        if institution is None:
            institution = MemberInstitution.objects.create(
                name=member["name"],
                country=member["country"],
                institution_type=member["type"],
                clients_served=member["clients_served"],
                contact_email=f"encuesta@{slugify(member['name'])}.example.org",
                illustrative=True,
            )
        members.append(institution)
    home = MemberInstitution.objects.filter(name=data["demo_member"]).first()
    if home is not None:
        if not home.contact_email:
            home.contact_email = data["demo_member_email"]
            home.save(update_fields=["contact_email"])
        members.append(home)
    return members


def _options(question: Question, options: str | list[dict]) -> None:
    """A question's options: its own, or the product lines (`options = "lines"`)."""
    if options == "lines":
        codes = survey()["lines"]
        lines = {line.code: line for line in ProductLine.objects.filter(code__in=codes)}
        options = [
            {
                "code": code,
                "label": lines[code].name_es if code in lines else code,
                "label_en": lines[code].name_en if code in lines else code,
                "product_line": lines.get(code),
            }
            for code in codes
        ]
    for position, option in enumerate(options):
        defaults = {"label_es": option["label"], "label_en": option["label_en"], "position": position}
        if "product_line" in option:
            defaults["product_line"] = option["product_line"]
        Option.objects.update_or_create(question=question, code=option["code"], defaults=defaults)


def _questionnaire(survey_round: Round) -> dict[str, Question]:
    """The same questionnaire in every round (codes are stable), as staff would copy it."""
    questions = {}
    renamed = {"label": "label_es", "help": "help_es"}
    for position, spec in enumerate(survey()["questions"], start=1):
        fields = {renamed.get(key, key): value for key, value in spec.items() if key not in ("code", "options")}
        if "show_if_question" in fields:
            fields["show_if_question"] = questions[fields["show_if_question"]]
        questions[spec["code"]], _created = Question.objects.update_or_create(
            round=survey_round, code=spec["code"], defaults={"position": position, **fields}
        )
        if "options" in spec:
            _options(questions[spec["code"]], spec["options"])
    return questions


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


def _round(spec: dict, *, is_open: bool) -> Round:
    data = survey()
    fields = {
        "opens_on": spec["opens_on"],
        "closes_on": spec["closes_on"],
        "reminder_days": data["reminder_days"],
        "intro_es": data["intro"],
        "intro_en": data["intro_en"],
    }
    state = RoundState.OPEN if is_open else RoundState.RESULTS_PUBLISHED
    survey_round, _created = Round.objects.update_or_create(
        year=spec["year"], semester=spec["semester"], create_defaults={**fields, "state": state}, defaults=fields
    )
    return survey_round


def _invite_and_answer(survey_round: Round, members: list, step: int, *, is_open: bool) -> dict[str, Question]:
    demo_member = survey()["demo_member"]
    questions = _questionnaire(survey_round)
    sent_at = timezone.make_aware(datetime.datetime.combine(survey_round.opens_on, datetime.time(9)))
    for index, institution in enumerate(members):
        invitation, _created = Invitation.objects.get_or_create(
            round=survey_round, institution=institution, defaults={"sent_at": sent_at}
        )
        InvitationEvent.objects.get_or_create(invitation=invitation, kind=EventKind.INVITED, defaults={"at": sent_at})
        rng = random.Random(f"{institution.name}|{survey_round.code}")
        if is_open:
            if institution.name == demo_member:
                continue  # left for a newcomer to answer
            share = index % 10
            if share < 4:
                submitted = sent_at + datetime.timedelta(days=1 + index % 12, hours=index % 7)
                _respond(invitation, questions, _answers(rng, institution, step), submitted_at=submitted)
            elif share < 6:
                partial = dict(list(_answers(rng, institution, step).items())[:3])
                _respond(invitation, questions, partial, submitted_at=None)
            continue
        if institution.name != demo_member and rng.random() < 0.12:
            continue  # did not answer that round
        submitted = sent_at + datetime.timedelta(days=1 + index % 30, hours=index % 7)
        _respond(invitation, questions, _answers(rng, institution, step), submitted_at=submitted)
    return questions


@transaction.atomic
def load(stdout=None) -> None:
    data = survey()
    members = _institutions()
    rounds = data["rounds"]
    first_questions = None
    for step, spec in enumerate(rounds):
        is_open = step == len(rounds) - 1
        questions = _invite_and_answer(_round(spec, is_open=is_open), members, step, is_open=is_open)
        first_questions = first_questions or questions
    opportunity = data["opportunity"]
    innovation = Innovation.objects.filter(slug=opportunity["innovation"]).first()
    if innovation is not None and first_questions is not None:
        Opportunity.objects.update_or_create(
            innovation=innovation,
            question=first_questions[opportunity["question"]],
            defaults={"note": opportunity["note"], "linked_by": User.objects.filter(username="staff").first()},
        )
    if stdout:
        stdout.write(f"Demand survey: {len(members)} members, {len(rounds)} rounds loaded.")
