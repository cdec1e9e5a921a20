"""The survey rounds for `bench/scale.py`: the demo questionnaire copied into each new round,
every member invited and about 85 % answering as the demo's members do.

Imported by `bench/scale.py` once Django is set up.
"""

import datetime
import random

from django.utils import timezone

from bench.scale_rows import BATCH, log
from portal.accounts.models import MemberInstitution


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
