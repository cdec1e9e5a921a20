"""Export a round's answers with tablib: one row per member.

Every export is read by people and by analysts: the columns first carry labels
in the reader's language (questions, options, countries, institution types,
measures, dates as the language writes them), then the same data as codes, under
headers that are the codes themselves (`country`, `demand-ranking`, ...), for
scripts that must not depend on the language. Numbers and dates stay values here;
`portal.downloads` writes them as the reader's spreadsheet expects (a Spanish CSV: ";"
between fields, decimal commas; XLSX: real numbers and dates).

The anonymised export leaves out the institution's name, the person who
submitted and the exact time, and numbers respondents in an order derived from
their secret token (not from their name), so a row cannot be traced back
through its position. It is also **3-anonymous on country × institution type**
(`MIN_GROUP_SIZE`): a respondent whose country and type are shared by fewer than 3
others-or-itself loses its type (shown as "*"); if its country then still holds fewer
than 3 such respondents, it loses its country too; if fewer than 3 are left with
neither, they are left out. Exact figures that could single a member out are given
in bands (clients served 10 000–49 999; a share 60–69 %), and free-text answers are
left out unless staff ask for them.
"""

import hashlib

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CHOICE_TYPES, Answer, QuestionType, ResponseStatus, Round
from .selectors import MIN_GROUP_SIZE, country_name, non_respondents, round_questions, type_name

HIDDEN = "*"  # a generalised country or institution type in the anonymised export
BOUNDS = [0, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000]


def band(value, kind: str) -> str:
    """An exact figure as a band: tens for a share (60–69 %), else the `BOUNDS` it falls between."""
    if value in (None, ""):
        return ""
    number = float(value)
    if kind == QuestionType.PERCENTAGE:
        low = min(int(number // 10) * 10, 100)
        return "100" if low >= 100 else f"{low}–{low + 9}"
    for low, high in zip(BOUNDS, BOUNDS[1:], strict=False):
        if number < high:
            return f"{low}–{high - 1}"
    return f"{BOUNDS[-1]}+"


def k_anonymous(rows: list[list], *, country: int, kind: int) -> list[list]:
    """Generalise (then drop) rows so that every country × type pair is shared by at least
    `MIN_GROUP_SIZE` rows (see the module's docstring); `country`, `kind`: column positions."""

    def counts(key):
        tally: dict = {}
        for row in rows:
            tally[key(row)] = tally.get(key(row), 0) + 1
        return tally

    pairs = counts(lambda row: (row[country], row[kind]))
    for row in rows:
        if pairs[(row[country], row[kind])] < MIN_GROUP_SIZE:
            row[kind] = HIDDEN
    pairs = counts(lambda row: (row[country], row[kind]))
    for row in rows:
        if row[kind] == HIDDEN and pairs[(row[country], HIDDEN)] < MIN_GROUP_SIZE:
            row[country] = HIDDEN
    pairs = counts(lambda row: (row[country], row[kind]))
    return [row for row in rows if pairs[(row[country], row[kind])] >= MIN_GROUP_SIZE]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value if item)
    return value


def _country(code: str) -> str:
    return code if code == HIDDEN else country_name(code)


def _institution_type(code: str) -> str:
    return code if code == HIDDEN else type_name(code)


def _option_labels(questions) -> dict[int, dict[str, str]]:
    """Each question's option labels by code, in the reader's language (read once per export)."""
    return {
        question.pk: {option.code: str(option.label) for option in question.options.all()} for question in questions
    }


def _labelled(question, value, labels: dict[int, dict[str, str]]):
    """An answer as people read it: option labels instead of codes; numbers and bands as they are."""
    if question.kind not in CHOICE_TYPES or value in (None, ""):
        return _cell(value)
    codes = value if isinstance(value, list) else [value]
    return "; ".join(labels[question.pk].get(code, code) for code in codes if code)


def _question_header(number: int, question) -> str:
    return f"{number}. {question.label}"


def round_dataset(*, survey_round: Round, anonymised: bool = False, free_text: bool = False) -> tablib.Dataset:
    """Submitted answers of a round: labelled columns, then the same as codes (see the module's
    docstring). Ranking cells list options in order of preference. Anonymised: see the module's
    docstring (`free_text` keeps the free-text answers)."""
    questions = round_questions(survey_round=survey_round)
    if anonymised and not free_text:
        questions = [question for question in questions if question.kind != QuestionType.TEXT]
    invitations = list(
        survey_round.invitations.filter(status=ResponseStatus.SUBMITTED).select_related("institution", "submitted_by")
    )
    values: dict[tuple[int, int], object] = {
        (invitation_id, question_id): value
        for invitation_id, question_id, value in Answer.objects.filter(
            invitation__in=invitations, question__in=questions
        ).values_list("invitation_id", "question_id", "value")
    }
    codes = [question.code for question in questions]
    labels = [_question_header(number, question) for number, question in enumerate(questions, start=1)]
    options = _option_labels(questions)
    if anonymised:
        headers = [_("Respondent"), _("Country"), _("Institution type"), *labels, "country", "institution_type", *codes]
        invitations.sort(key=lambda invitation: hashlib.sha256(invitation.token.encode()).hexdigest())
    else:
        headers = [
            _("Institution"),
            _("Country"),
            _("Institution type"),
            _("Submitted"),
            *labels,
            "country",
            "institution_type",
            "submitted_at",
            *codes,
        ]
        invitations.sort(key=lambda invitation: invitation.institution.name)
    data = tablib.Dataset(headers=headers, title=survey_round.code)
    if anonymised:
        rows = []
        for invitation in invitations:
            institution = invitation.institution
            answers = [
                band(values.get((invitation.pk, question.pk)), question.kind)
                if question.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE)
                else values.get((invitation.pk, question.pk))
                for question in questions
            ]
            rows.append([str(institution.country), institution.institution_type, *answers])
        for number, row in enumerate(k_anonymous(rows, country=0, kind=1), start=1):
            country, kind, answers = row[0], row[1], row[2:]
            data.append(
                [
                    f"R{number:03d}",
                    _country(country),
                    _institution_type(kind),
                    *(_labelled(question, value, options) for question, value in zip(questions, answers, strict=True)),
                    country,
                    kind,
                    *(_cell(value) for value in answers),
                ]
            )
        return data
    for invitation in invitations:
        institution = invitation.institution
        answers = [values.get((invitation.pk, question.pk)) for question in questions]
        submitted = timezone.localtime(invitation.submitted_at)
        data.append(
            [
                institution.name,
                _country(str(institution.country)),
                _institution_type(institution.institution_type),
                submitted,  # a date and time: `portal.downloads` writes it for the reader
                *(_labelled(question, value, options) for question, value in zip(questions, answers, strict=True)),
                str(institution.country),
                institution.institution_type,
                submitted.isoformat(),
                *(_cell(value) for value in answers),
            ]
        )
    return data


def _measure_labels() -> dict[str, str]:
    return {
        "respondents": _("respondents"),
        "rank": _("rank"),
        "score": _("score"),
        "average": _("average points"),
        "first_places": _("first places"),
        "count": _("members choosing it"),
        "share": _("share (%)"),
        "min": _("minimum"),
        "q1": _("first quartile"),
        "median": _("median"),
        "q3": _("third quartile"),
        "max": _("maximum"),
        "mean": _("mean"),
        "demand": _("demand (%)"),
        "supply": _("supply (%)"),
        "gap": _("gap (points)"),
    }


RESULT_CODES = ["question", "type", "option", "measure"]


def results_dataset(*, results: dict) -> tablib.Dataset:
    """The numbers behind a round's result charts, one row per question, option and measure:
    labelled columns, the value, then the codes."""
    measures = _measure_labels()
    kinds = dict(QuestionType.choices)
    data = tablib.Dataset(
        headers=[_("Question"), _("Type"), _("Option"), _("Measure"), _("Value"), *RESULT_CODES],
        title=results["round"].code,
    )

    options = _option_labels(item["question"] for item in results["questions"])

    def add(question, option_code: str, measure: str, value):
        data.append(
            [
                question.label,
                str(kinds.get(question.kind, question.kind)),
                options[question.pk].get(option_code, option_code) if option_code else "",
                measures.get(measure, measure),
                value,
                question.code,
                question.kind,
                option_code,
                measure,
            ]
        )

    for item in results["questions"]:
        question = item["question"]
        add(question, "", "respondents", item["n"])
        for row in item.get("ranking", []):
            for measure in ("rank", "score", "average", "first_places"):
                add(question, row["code"], measure, row[measure])
        for row in item.get("shares", []):
            add(question, row["code"], "count", row["count"])
            add(question, row["code"], "share", row["share"])
        for measure, value in (item.get("numbers") or {}).items():
            if measure != "n":
                add(question, "", measure, value)
    gap = results.get("gap")
    for row in gap["rows"] if gap else []:
        line = row["product_line"]
        for measure in ("demand", "supply", "gap"):
            data.append(
                [
                    _("Demand against supply"),
                    "",
                    str(line),
                    measures[measure],
                    row[measure],
                    "gap",
                    "",
                    line.code,
                    measure,
                ]
            )
    return data


def trend_dataset(*, trend: dict) -> tablib.Dataset:
    """The numbers behind the trend chart: each option's rank and average points per round,
    labelled, then the codes."""
    data = tablib.Dataset(
        headers=[_("Option"), _("Round"), _("Respondents"), _("Rank"), _("Average points"), "option", "round"],
        title=trend["code"][:31],
    )
    for line in trend["lines"]:
        for item, point in zip(trend["rounds"], line["points"], strict=True):
            data.append(
                [
                    str(line["label"]),
                    f"{item['round'].year} · {item['round'].get_semester_display()}",
                    item["n"],
                    point["rank"] if point else "",
                    point["average"] if point else "",
                    line["code"],
                    item["round"].code,
                ]
            )
    return data


def non_respondents_dataset(*, survey_round: Round) -> tablib.Dataset:
    """Who has not submitted a round yet, by institution: what staff need to chase them (the
    contact e-mail, how far they got, when they last saved, how many reminders they got);
    labelled columns, then the codes."""
    data = tablib.Dataset(
        headers=[
            _("Institution"),
            _("Country"),
            _("Institution type"),
            _("Contact e-mail"),
            _("Status"),
            _("Last saved"),
            _("Reminders sent"),
            "country",
            "institution_type",
            "status",
        ],
        title=survey_round.code,
    )
    for invitation in non_respondents(survey_round=survey_round):
        institution = invitation.institution
        data.append(
            [
                institution.name,
                _country(str(institution.country)),
                _institution_type(institution.institution_type),
                institution.contact_email,
                str(invitation.get_status_display()),
                timezone.localtime(invitation.updated_at) if invitation.updated_at else None,
                invitation.reminder_count,
                str(institution.country),
                institution.institution_type,
                invitation.status,
            ]
        )
    return data
