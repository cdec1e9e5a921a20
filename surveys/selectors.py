"""Reads of the demand survey that aggregate: response rates, rankings, shares, trends, gaps.

They return plain data (dicts and lists) for templates, charts and exports, and
use a fixed number of queries whatever the number of members and rounds: the
answers of a round come in one query and are summarised in Python.

Only *submitted* answers count in results. Breakdowns by country and
institution type hide every group with fewer than `MIN_GROUP_SIZE` respondents,
so that no single member's answers can be read off a table.
"""

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import InstitutionType
from portal.numbers import format_number

from .answers import visible_question_ids
from .models import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    Answer,
    Invitation,
    Question,
    QuestionType,
    ResponseStatus,
    Round,
    RoundState,
)

MIN_GROUP_SIZE = 3
TOP_N = 3  # a ranked product line counts as "demanded" when placed in the first TOP_N places


# --- Pure aggregations ---------------------------------------------------------------------


def borda_ranking(rankings: list[list[str]], options: list[str], positions: int | None = None) -> list[dict]:
    """Demand ranking of options by Borda count.

    Each respondent orders up to K options (K = `positions`, all options by
    default). The option in place p (1 = most demanded) earns K − p + 1 points,
    so with K = 8 the first place earns 8 points and the eighth 1; options a
    respondent did not rank earn 0. An option's *score* is the sum of its points
    over respondents and its *average* the score divided by the number of
    respondents. Options are ordered by score, then by number of first places,
    then by questionnaire order; *rank* is the competition rank of the score
    (equal scores share a rank: 1, 2, 2, 4).

    Worked example (tests/surveys/test_selectors.py): options A, B, C, K = 3,
    rankings [A, B, C], [B, A, C], [A, C, B] → A = 3+2+3 = 8, B = 2+3+1 = 6,
    C = 1+1+2 = 4; ranks A 1, B 2, C 3.
    """
    positions = positions or len(options)
    scores = dict.fromkeys(options, 0)
    firsts = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, code in enumerate(ranking[:positions], start=1):
            if code in scores:
                scores[code] += positions - place + 1
                if place == 1:
                    firsts[code] += 1
    order = {code: index for index, code in enumerate(options)}
    ordered = sorted(options, key=lambda code: (-scores[code], -firsts[code], order[code]))
    rows = []
    for index, code in enumerate(ordered):
        rank = rows[-1]["rank"] if rows and rows[-1]["score"] == scores[code] else index + 1
        rows.append(
            {
                "code": code,
                "score": scores[code],
                "average": round(scores[code] / len(rankings), 2) if rankings else 0,
                "first_places": firsts[code],
                "rank": rank,
            }
        )
    return rows


def choice_shares(answers: list, options: list[str]) -> list[dict]:
    """Share of respondents choosing each option (multiple choice shares can add up to more than 100%)."""
    counts = Counter()
    for value in answers:
        for code in value if isinstance(value, list) else [value]:
            counts[code] += 1
    total = len(answers)
    return [
        {"code": code, "count": counts[code], "share": round(100 * counts[code] / total, 1) if total else 0.0}
        for code in options
    ]


def number_summary(values: list[float]) -> dict:
    """Median and quartiles (the 'inclusive' method: Q1 and Q3 are medians of the
    lower and upper halves interpolated like spreadsheet QUARTILE.INC)."""
    values = sorted(float(value) for value in values)
    if not values:
        return {"n": 0, "min": None, "q1": None, "median": None, "q3": None, "max": None, "mean": None}
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {
        "n": len(values),
        "min": values[0],
        "q1": round(q1, 2),
        "median": round(statistics.median(values), 2),
        "q3": round(q3, 2),
        "max": values[-1],
        "mean": round(statistics.fmean(values), 2),
    }


def _summarise(question: Question, values: list) -> dict:
    codes = [option.code for option in question.options.all()]
    if question.kind == QuestionType.RANKING:
        return {"ranking": borda_ranking(values, codes, question.positions)}
    if question.kind in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
        return {"shares": choice_shares(values, codes)}
    if question.kind in NUMERIC_TYPES:
        return {"numbers": number_summary(values)}
    return {"texts": sorted(str(value) for value in values)}


# --- Response rates and status ---------------------------------------------------------------


def _rate(submitted: int, invited: int) -> float:
    return round(100 * submitted / invited, 1) if invited else 0.0


def response_rate(*, survey_round: Round) -> dict:
    counts = survey_round.invitations.aggregate(
        invited=Count("pk"),
        not_started=Count("pk", filter=Q(status=ResponseStatus.NOT_STARTED)),
        draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
    )
    return counts | {"rate": _rate(counts["submitted"], counts["invited"])}


def response_rates(*, rounds) -> dict[int, dict]:
    """Response rate of many rounds in one query, by round id."""
    rows = (
        Invitation.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(
            invited=Count("pk"),
            draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
        )
    )
    return {row["round_id"]: row | {"rate": _rate(row["submitted"], row["invited"])} for row in rows}


def status_breakdown(*, survey_round: Round) -> dict[str, list[dict]]:
    """Invitations by status, per country and per institution type, with the response rate."""
    rows = survey_round.invitations.values("institution__country", "institution__institution_type", "status")
    groups: dict[str, dict] = {"country": defaultdict(Counter), "type": defaultdict(Counter)}
    for row in rows:
        groups["country"][row["institution__country"]][row["status"]] += 1
        groups["type"][row["institution__institution_type"]][row["status"]] += 1
    return {
        "by_country": _status_rows(groups["country"], country_name),
        "by_type": _status_rows(groups["type"], type_name),
    }


def _status_rows(groups: dict, label) -> list[dict]:
    rows = []
    for key, counts in groups.items():
        invited = sum(counts.values())
        rows.append(
            {
                "key": key,
                "label": label(key),
                "invited": invited,
                "not_started": counts[ResponseStatus.NOT_STARTED],
                "draft": counts[ResponseStatus.DRAFT],
                "submitted": counts[ResponseStatus.SUBMITTED],
                "rate": _rate(counts[ResponseStatus.SUBMITTED], invited),
            }
        )
    return sorted(rows, key=lambda row: str(row["label"]))


def country_name(code) -> str:
    from django_countries import countries

    return str(countries.name(code)) or str(code)


def type_name(code) -> str:
    return str(dict(InstitutionType.choices).get(code, code))


# --- Results of a round ----------------------------------------------------------------------


def round_questions(*, survey_round: Round) -> list[Question]:
    return list(survey_round.questions.select_related("round").prefetch_related("options").order_by("position", "pk"))


def _submitted_answers(question_ids) -> list[dict]:
    return list(
        Answer.objects.filter(question_id__in=question_ids, invitation__status=ResponseStatus.SUBMITTED).values(
            "question_id",
            "value",
            "invitation_id",
            "invitation__institution__country",
            "invitation__institution__institution_type",
        )
    )


def round_results(*, survey_round: Round) -> dict:
    """Everything the results page shows for one round, from a fixed number of queries."""
    questions = round_questions(survey_round=survey_round)
    answers = _submitted_answers([question.pk for question in questions])
    by_question: dict[int, list[dict]] = defaultdict(list)
    for answer in answers:
        by_question[answer["question_id"]].append(answer)
    results = []
    for question in questions:
        rows = by_question.get(question.pk, [])
        values = [row["value"] for row in rows]
        result = {"question": question, "n": len(values), **_summarise(question, values)}
        if question.kind != QuestionType.TEXT:
            result["by_country"] = _breakdown(question, rows, "invitation__institution__country", country_name)
            result["by_type"] = _breakdown(question, rows, "invitation__institution__institution_type", type_name)
        results.append(result)
    return {
        "round": survey_round,
        "rate": response_rate(survey_round=survey_round),
        "questions": results,
        "gap": demand_supply_gap(questions=questions, answers=answers),
    }


def _breakdown(question: Question, rows: list[dict], field: str, label) -> list[dict]:
    """The answers by group (country, institution type), with small groups hidden.

    *Primary suppression*: a group of fewer than `MIN_GROUP_SIZE` respondents is hidden.
    *Complementary suppression*: the total is shown, so the hidden groups together can be
    worked out by subtracting the shown ones from it. While the hidden groups together
    hold fewer than `MIN_GROUP_SIZE` respondents, the smallest shown group is hidden too.
    Worked example: Ecuador 4, Guatemala 3, Peru 1. Peru is hidden (1 < 3); the total
    minus Ecuador and Guatemala would give Peru's one answer, so Guatemala, the smallest
    shown group, is hidden as well: what subtraction gives now is Guatemala and Peru
    together, four respondents. With only Ecuador 3 and Peru 1, both are hidden.
    """
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row[field]].append(row["value"])
    hidden = {key for key, values in grouped.items() if len(values) < MIN_GROUP_SIZE}
    while 0 < sum(len(grouped[key]) for key in hidden) < MIN_GROUP_SIZE and len(hidden) < len(grouped):
        hidden.add(min((key for key in grouped if key not in hidden), key=lambda key: (len(grouped[key]), str(key))))
    out = []
    for key, values in grouped.items():
        entry = {
            "key": key,
            "label": label(key),
            "n": len(values),
            "suppressed": key in hidden,
            "small": len(values) < MIN_GROUP_SIZE,
        }
        if not entry["suppressed"]:
            entry |= _summarise(question, values)
        out.append(entry)
    return sorted(out, key=lambda entry: str(entry["label"]))


def _product_line_shares(question: Question, values: list) -> dict[int, float]:
    """Share of respondents naming each product line (for rankings: in the top TOP_N places)."""
    counts = Counter()
    by_code = {option.code: option.product_line_id for option in question.options.all() if option.product_line_id}
    for value in values:
        chosen = value[:TOP_N] if question.kind == QuestionType.RANKING else value
        for code in chosen if isinstance(chosen, list) else [chosen]:
            if code in by_code:
                counts[by_code[code]] += 1
    return {line_id: round(100 * counts[line_id] / len(values), 1) if values else 0.0 for line_id in by_code.values()}


def demand_supply_gap(*, questions: list[Question], answers: list[dict]) -> dict | None:
    """Demand against supply per product line: the opportunities of stage 1.

    Needs one question marked *demand* and one marked *supply* whose options are
    product lines. Demand share: respondents naming the line (in their top
    TOP_N when the demand question is a ranking); supply share: respondents
    offering it. Gap = demand − supply, in percentage points; the largest gaps
    are products members' clients want and few members offer.
    """
    demand = next((q for q in questions if q.measures == "demand" and q.kind in CHOICE_TYPES), None)
    supply = next((q for q in questions if q.measures == "supply" and q.kind in CHOICE_TYPES), None)
    if demand is None or supply is None:
        return None
    values = defaultdict(list)
    for answer in answers:
        if answer["question_id"] in (demand.pk, supply.pk):
            values[answer["question_id"]].append(answer["value"])
    demand_shares = _product_line_shares(demand, values[demand.pk])
    supply_shares = _product_line_shares(supply, values[supply.pk])
    lines = {option.product_line_id: option.product_line for option in demand.options.all() if option.product_line_id}
    rows = [
        {
            "product_line": line,
            "demand": demand_shares.get(line_id, 0.0),
            "supply": supply_shares.get(line_id, 0.0),
            "gap": round(demand_shares.get(line_id, 0.0) - supply_shares.get(line_id, 0.0), 1),
        }
        for line_id, line in lines.items()
    ]
    rows.sort(key=lambda row: -row["gap"])
    return {
        "demand_question": demand,
        "supply_question": supply,
        "n_demand": len(values[demand.pk]),
        "n_supply": len(values[supply.pk]),
        "rows": rows,
    }


# --- Across rounds ---------------------------------------------------------------------------


def ranking_question_codes() -> list[str]:
    return list(
        Question.objects.filter(kind=QuestionType.RANKING).order_by("code").values_list("code", flat=True).distinct()
    )


def demand_trend(*, code: str) -> dict:
    """Each option's Borda rank and average points in every round that asked ranking question `code`."""
    questions = list(
        Question.objects.filter(code=code, kind=QuestionType.RANKING)
        .select_related("round")
        .prefetch_related("options")
        .order_by("round__year", "round__semester")
    )
    answers = Answer.objects.filter(question__in=questions, invitation__status=ResponseStatus.SUBMITTED).values_list(
        "question_id", "value"
    )
    values = defaultdict(list)
    for question_id, value in answers:
        values[question_id].append(value)
    labels: dict[str, str] = {}
    rounds = []
    series: dict[str, list] = defaultdict(list)
    for question in questions:
        codes = [option.code for option in question.options.all()]
        labels |= {option.code: option.label for option in question.options.all()}
        ranking = {row["code"]: row for row in borda_ranking(values[question.pk], codes, question.positions)}
        rounds.append({"round": question.round, "n": len(values[question.pk])})
        for option_code in labels:
            row = ranking.get(option_code)
            series[option_code].append(
                {"rank": row["rank"], "average": row["average"]} if row and values[question.pk] else None
            )
    return {
        "code": code,
        "rounds": rounds,
        "lines": [{"code": c, "label": labels[c], "points": series[c]} for c in labels],
    }


# --- A member's own answers ------------------------------------------------------------------


def display_value(question: Question, value) -> str:
    """An answer as a person reads it: option labels, ranking in order, number with its unit."""
    if value is None or value == "" or value == []:
        return ""
    labels = {option.code: option.label for option in question.options.all()}
    if question.kind == QuestionType.RANKING and isinstance(value, list):
        return " › ".join(f"{place}. {labels.get(code, code)}" for place, code in enumerate(value, 1) if code)
    if isinstance(value, list):
        return ", ".join(labels.get(code, code) for code in value)
    if question.kind == QuestionType.SINGLE:
        return labels.get(value, value)
    if question.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE) and isinstance(value, int | float):
        value = format_number(value)
    if question.kind == QuestionType.PERCENTAGE:
        return f"{value} %"
    if question.kind == QuestionType.NUMBER and question.unit:
        return f"{value} {question.unit}"
    return str(value)


def answers_for_display(*, invitation: Invitation) -> list[dict]:
    questions = round_questions(survey_round=invitation.round)
    values = dict(invitation.answers.values_list("question_id", "value"))
    shown = visible_question_ids(questions, values)
    return [
        {
            "question": question,
            "value": values.get(question.pk),
            "display": display_value(question, values.get(question.pk)),
        }
        for question in questions
        if question.pk in shown
    ]


# What `models.new_token` issues (URL-safe base64) within the column's length.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation of a personal link, or None when there is none.

    A token that could never have been issued (other characters, too long,
    a NUL byte pasted into the URL) is not looked up at all: it is simply not
    a valid link, and PostgreSQL would refuse to compare it.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return Invitation.objects.select_related("round", "institution").filter(token=token).first()


def member_invitation(*, round_id: int, institution_id: int) -> Invitation | None:
    """A member institution's invitation to a round, or None when it was not invited.

    The round is matched on its own key (`round__pk`, not `round_id`): Django
    then treats a number beyond the column's range as matching nothing, where
    the foreign-key lookup hands it to the database (SQLite overflows).
    """
    return (
        Invitation.objects.select_related("round", "institution")
        .filter(round__pk=round_id, institution_id=institution_id)
        .first()
    )


def member_invitations(*, institution_id: int) -> list[Invitation]:
    return list(
        Invitation.objects.filter(institution_id=institution_id)
        .select_related("round")
        .order_by("-round__year", "-round__semester")
    )


def member_comparison(*, invitation: Invitation) -> list[dict]:
    """The member's answers next to the network's aggregate for the same questions.

    The network aggregate is shown only when at least MIN_GROUP_SIZE members
    submitted, so that it never reveals another single member's answer.
    """
    results = {item["question"].pk: item for item in round_results(survey_round=invitation.round)["questions"]}
    rows = []
    for item in answers_for_display(invitation=invitation):
        question = item["question"]
        result = results.get(question.pk, {})
        row = {**item, "n": result.get("n", 0), "hidden": result.get("n", 0) < MIN_GROUP_SIZE}
        if not row["hidden"]:
            labels = {option.code: option.label for option in question.options.all()}
            if "ranking" in result:
                row["network"] = [
                    {
                        "label": labels.get(r["code"], r["code"]),
                        "rank": r["rank"],
                        "mine": r["code"] in (item["value"] or [])[:TOP_N],
                    }
                    for r in result["ranking"][:TOP_N]
                ]
                mine = item["value"] or []
                row["my_top"] = [labels.get(code, code) for code in mine[:TOP_N]]
            elif "shares" in result:
                chosen = item["value"] if isinstance(item["value"], list) else [item["value"]]
                row["shares"] = [
                    {"label": labels.get(s["code"], s["code"]), "share": s["share"], "mine": s["code"] in chosen}
                    for s in result["shares"]
                ]
            elif "numbers" in result:
                row["numbers"] = result["numbers"]
        rows.append(row)
    return rows


# --- A round's state, in words, and what a change of state would do ------------------------------


def round_when(*, survey_round: Round, today=None, staff: bool = False) -> str:
    """The round's dates as a sentence that fits its state and today's date: a round not yet
    open says when it opens (never "open from…"), an open one until when, a past one that it
    closed. Staff get the state's name and what the scheduler will do."""
    today = today or timezone.localdate()
    values = {
        "opens": date_format(survey_round.opens_on),
        "closes": date_format(survey_round.closes_on),
    }
    state = survey_round.state
    if not staff:
        if survey_round.is_open(today):
            if survey_round.closes_on == today:
                return _("Open until today, %(closes)s.") % values
            return _("Open until %(closes)s.") % values
        if survey_round.has_opened():
            return _("Closed on %(closes)s.") % values
        return _("Opens on %(opens)s; answers are accepted until %(closes)s.") % values
    if state == RoundState.DRAFT:
        if survey_round.opens_on < today:
            return (
                _(
                    "Not scheduled, and its opening date, %(opens)s, has passed: change it in the admin "
                    "before scheduling, or open the round now."
                )
                % values
            )
        return _("Not scheduled: planned to open on %(opens)s and close on %(closes)s.") % values
    if state == RoundState.SCHEDULED:
        if survey_round.opens_on <= today:
            return _("Scheduled to open on %(opens)s: the scheduler opens it at its next run.") % values
        return _("Opens on %(opens)s; members answer until %(closes)s.") % values
    if state == RoundState.OPEN:
        if survey_round.closes_on < today:
            return (
                _(
                    "Open, but its last day, %(closes)s, has passed: answers are refused and the scheduler "
                    "closes it at its next run."
                )
                % values
            )
        if survey_round.closes_on == today:
            return _("Open since %(opens)s; today, %(closes)s, is the last day to answer.") % values
        return _("Open since %(opens)s; members answer until %(closes)s.") % values
    if state == RoundState.CLOSED:
        return _("Members answered from %(opens)s to %(closes)s. Results not yet published to members.") % values
    return _("Members answered from %(opens)s to %(closes)s. Results published to the members who answered.") % values


def invitation_counts(*, survey_round: Round) -> dict:
    """The counts a change of state speaks of, in one query: invited, by status, and the
    invitations recorded but not yet sent, with and without a contact e-mail."""
    no_email = Q(institution__contact_email="")
    unsent = Q(sent_at__isnull=True)
    counts = survey_round.invitations.aggregate(
        invited=Count("pk"),
        not_started=Count("pk", filter=Q(status=ResponseStatus.NOT_STARTED)),
        draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
        unsent_mailed=Count("pk", filter=unsent & ~no_email),
        unsent_unmailed=Count("pk", filter=unsent & no_email),
        without_email=Count("pk", filter=no_email),
    )
    return counts | {"rate": _rate(counts["submitted"], counts["invited"])}


@dataclass(frozen=True)
class Transition:
    """A change of state as its confirmation page presents it."""

    action: str
    title: str
    button: str
    consequences: list[str]


TRANSITION_ACTIONS = ("schedule", "unschedule", "open", "close", "publish")


def round_actions(*, survey_round: Round) -> list[str]:
    """The changes of state staff may ask for now, in the order the status page shows them."""
    return {
        RoundState.DRAFT: ["schedule", "open"],
        RoundState.SCHEDULED: ["open", "unschedule"],
        RoundState.OPEN: ["close"],
        RoundState.CLOSED: ["publish"],
        RoundState.RESULTS_PUBLISHED: [],
    }[survey_round.state]


def round_transition(*, survey_round: Round, action: str, today=None, counts: dict | None = None) -> Transition:
    """What `action` would do to the round, in plain words, with the numbers of today
    (`counts`: the round's `invitation_counts`, when the caller has them already)."""
    today = today or timezone.localdate()
    counts = counts or invitation_counts(survey_round=survey_round)
    values = {
        "round": survey_round.code,
        "opens": date_format(survey_round.opens_on),
        "closes": date_format(survey_round.closes_on),
    }
    lines: list[str] = []
    unmailed = counts["unsent_unmailed"]
    if action == "schedule":
        lines.append(
            _("Round %(round)s opens on %(opens)s: that day the scheduler opens it and sends the invitations.") % values
        )
        if counts["invited"]:
            lines.append(
                ngettext(
                    "%(count)s invitation is recorded: its e-mail goes out on %(opens)s, not before.",
                    "%(count)s invitations are recorded: their e-mails go out on %(opens)s, not before.",
                    counts["unsent_mailed"],
                )
                % (values | {"count": counts["unsent_mailed"]})
            )
        else:
            lines.append(
                _("Nobody is invited yet: invite the members now, and their e-mails go out on %(opens)s.") % values
            )
        questions = survey_round.questions.count()
        lines.append(
            ngettext(
                "Until then nobody can answer, and the questionnaire (%(count)s question) can still be changed.",
                "Until then nobody can answer, and the questionnaire (%(count)s questions) can still be changed.",
                questions,
            )
            % {"count": questions}
        )
        lines.append(_("Members answer until %(closes)s.") % values)
    elif action == "unschedule":
        lines.append(_("The round goes back to draft: it will not open on %(opens)s by itself.") % values)
        lines.append(
            ngettext(
                "The %(count)s recorded invitation stays; no e-mail goes out until the round is scheduled again "
                "or opened.",
                "The %(count)s recorded invitations stay; no e-mail goes out until the round is scheduled again "
                "or opened.",
                counts["invited"],
            )
            % {"count": counts["invited"]}
        )
    elif action == "open":
        if survey_round.opens_on > today:
            lines.append(_("The round opens today instead of %(opens)s.") % values)
        if counts["invited"]:
            lines.append(
                ngettext(
                    "Opening sends %(count)s invitation now.",
                    "Opening sends %(count)s invitations now.",
                    counts["unsent_mailed"],
                )
                % {"count": counts["unsent_mailed"]}
            )
        else:
            lines.append(_("Nobody is invited yet: once the round is open, inviting sends the e-mails at once."))
        lines.append(_("Members can answer until %(closes)s; the questionnaire can no longer be changed.") % values)
    elif action == "close":
        if survey_round.closes_on > today:
            lines.append(_("The round was to close on %(closes)s: closing now ends it early.") % values)
        lines.append(
            ngettext(
                "Closing stops %(count)s institution with a draft from submitting.",
                "Closing stops %(count)s institutions with drafts from submitting.",
                counts["draft"],
            )
            % {"count": counts["draft"]}
        )
        lines.append(
            ngettext(
                "%(count)s institution that has not started can no longer answer.",
                "%(count)s institutions that have not started can no longer answer.",
                counts["not_started"],
            )
            % {"count": counts["not_started"]}
        )
        lines.append(
            _("%(submitted)s of %(invited)s institutions submitted (%(rate)s %%).")
            % {
                "submitted": counts["submitted"],
                "invited": counts["invited"],
                "rate": format_number(counts["rate"], places=1),
            }
        )
        lines.append(_("Members do not see the network's results until you publish them."))
    elif action == "publish":
        lines.append(
            ngettext(
                "Publishing shows the network's results to the %(count)s member that answered, on its "
                "comparison page and through the API.",
                "Publishing shows the network's results to the %(count)s members that answered, on their "
                "comparison pages and through the API.",
                counts["submitted"],
            )
            % {"count": counts["submitted"]}
        )
        lines.append(
            _("Answers given by fewer than %(count)s members stay hidden. Publishing cannot be undone.")
            % {"count": MIN_GROUP_SIZE}
        )
    else:
        raise ValueError(f"Unknown round action: {action}")
    if action in ("schedule", "open") and unmailed:
        lines.append(
            ngettext(
                "%(count)s invited institution has no e-mail and gets none: add its address in the admin, "
                "or give it its personal link from its invitation page.",
                "%(count)s invited institutions have no e-mail and get none: add their addresses in the admin, "
                "or give them their personal links from their invitation pages.",
                unmailed,
            )
            % {"count": unmailed}
        )
    titles = {
        "schedule": (_("Schedule round %(round)s?"), _("Schedule")),
        "unschedule": (_("Put round %(round)s back to draft?"), _("Back to draft")),
        "open": (_("Open round %(round)s now?"), _("Open now")),
        "close": (_("Close round %(round)s now?"), _("Close now")),
        "publish": (_("Publish the results of round %(round)s?"), _("Publish results")),
    }
    title, button = titles[action]
    return Transition(action=action, title=title % values, button=str(button), consequences=lines)


def invite_preview(*, survey_round: Round, today=None) -> dict:
    """Who "invite every member not yet invited" would invite: those with a contact e-mail (and
    when their e-mail goes: now on an open round, else on the opening date) and, apart, those
    without one. Two queries."""
    from portal.accounts.models import MemberInstitution

    today = today or timezone.localdate()
    invited = Invitation.objects.filter(round=survey_round, institution=OuterRef("pk"))
    institutions = list(MemberInstitution.objects.exclude(Exists(invited)).order_by("name", "pk"))
    return {
        "with_email": [institution for institution in institutions if institution.contact_email],
        "without_email": [institution for institution in institutions if not institution.contact_email],
        "already_invited": survey_round.invitations.count(),
        "sends_now": survey_round.is_open(today),
        "closed": survey_round.is_closed(today),
    }


def non_respondents(*, survey_round: Round) -> list[Invitation]:
    """Invitations of a round not yet submitted, by institution name, with what staff need to chase them."""
    return list(
        survey_round.invitations.exclude(status=ResponseStatus.SUBMITTED)
        .select_related("institution")
        .order_by("institution__name", "pk")
    )
