"""Generated junk posted to every form and endpoint, as every role: never a server error.

Property-based (hypothesis): random Unicode text with NUL bytes and control
characters, huge and odd numbers, empty values, lists where one value is
expected, unknown field names and garbled versions go to the forms and JSON
endpoints of the surveys and pilots apps, the sign-in form, and the query
strings of the search, the research list and the pilot lists, as an anonymous
visitor, a member, a donor and association staff. The property is only "no
5xx"; what a refusal says and that nothing typed is lost are tested with the
app (tests/surveys/test_hostile_input.py).

Run it on PostgreSQL too, which refuses NUL in text where SQLite stores it:
    DATABASE_URL=postgres://... pytest tests/test_hostile_input.py
"""

import datetime
import os
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilots.cycle import ACTION_CHOICES, Stage
from pilots.models import MilestoneStatus, Visibility
from surveys.models import QuestionType
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    TargetFactory,
)
from tests.research.fixtures import home, locales, make_report, research_index  # noqa: F401
from tests.surveys.factories import InvitationFactory, QuestionFactory, RoundFactory, choice_question

ROLES = ["anonymous", "member", "donor", "staff"]

# A deeper hunt multiplies every example count: HOSTILE_INPUT_SCALE=10 pytest tests/test_hostile_input.py
SCALE = int(os.environ.get("HOSTILE_INPUT_SCALE", "1"))


def examples(count: int) -> int:
    return count * SCALE


# Each test is one endpoint (as one role, or a role drawn per example); data is built once
# per test, not per example, so the function-scoped fixtures are shared by the examples on purpose.
JUNK = settings(
    max_examples=examples(30),
    deadline=None,
    database=None,  # no .hypothesis directory in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- What junk looks like ---------------------------------------------------------------------

ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 20,
    "\r\n",
    "\t",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "-1",
    "0",
    "1.5",
    "1e999999",
    "-1e999999",
    "NaN",
    "inf",
    "-Infinity",
    "0x1F",
    "1_000",
    "٣",
    "²",
    "9" * 30,
    "9" * 400,
    "1" + "0" * 5000,
    str(2**31),
    str(2**63),
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "-0001-01-01",
    "x" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "https://evil.example/\x00",
    "javascript:alert(1)",
    "00000000-0000-0000-0000-000000000000",
]

text = st.text(st.characters(codec="utf-8"), max_size=40)  # any Unicode a request can carry
controls = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=8)
numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(str),
    st.decimals().map(str),
)
scalar = st.one_of(st.sampled_from(ODD), text, controls, numbers, st.dates().map(datetime.date.isoformat))
value = st.one_of(scalar, st.lists(scalar, max_size=4))
junk_name = st.one_of(
    st.sampled_from(["q-", "q-0", "q--1", "q-abc", "q-" + "9" * 30, "q-1\x00", "csrfmiddlewaretoken", "page"]),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
)


def form_data(fields: list[str]):
    """A post: mostly the form's own fields with junk values, sometimes unknown names."""
    return st.dictionaries(st.one_of(st.sampled_from(fields), junk_name), value, max_size=len(fields) + 3)


encodings = st.sampled_from(["urlencoded", "multipart"])


def post(client: Client, url: str, data: dict, encoding: str):
    if encoding == "urlencoded":  # what a browser's form sends
        return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)  # what FormData (the survey's autosave) sends


def assert_no_server_error(response, method: str, url: str, data) -> None:
    assert response.status_code < 500, f"{method} {url} {data!r} -> {response.status_code}"


# --- The world the junk is thrown at ----------------------------------------------------------


@pytest.fixture
def world(db):
    """One of everything the endpoints need: an open survey, a submitted one, an innovation with data."""
    institution = MemberInstitutionFactory()
    users = {
        "member": MemberUserFactory(institution=institution),
        "donor": DonorFactory(),
        "staff": StaffFactory(),
    }
    survey_round = RoundFactory()
    choice_question(survey_round, "rank", QuestionType.RANKING, ["a", "b", "c"], position=1)
    choice_question(survey_round, "offer", QuestionType.MULTIPLE, ["a", "b", "c"], position=2, max_choices=2)
    plans = choice_question(survey_round, "plans", QuestionType.SINGLE, ["yes", "no"], position=3)
    choice_question(
        survey_round, "which", QuestionType.SINGLE, ["a", "b"], position=4, show_if_question=plans, show_if_option="yes"
    )
    QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER, position=5, min_value=0)
    QuestionFactory(round=survey_round, code="women", kind=QuestionType.PERCENTAGE, position=6)
    QuestionFactory(round=survey_round, code="interest", kind=QuestionType.SCALE, position=7)
    QuestionFactory(round=survey_round, code="comments", kind=QuestionType.TEXT, position=8, required=False)
    invitation = InvitationFactory(round=survey_round, institution=institution)
    other = InvitationFactory(round=survey_round, status="submitted", submitted_at=timezone.now())

    innovation = InnovationFactory(stage=Stage.PILOT)
    indicator = IndicatorFactory(innovation=innovation)
    TargetFactory(indicator=indicator)
    MeasurementFactory(indicator=indicator)
    ParticipationFactory(innovation=innovation, institution=institution)
    milestone = MilestoneFactory(innovation=innovation)
    InnovationFactory(visibility=Visibility.STAFF, countries=["PE"])
    InnovationFactory(visibility=Visibility.DONORS, countries=["BO"])
    return {
        "users": users,
        "round": survey_round,
        "invitation": invitation,
        "other": other,
        "fields": [question.field_name for question in survey_round.questions.all()],
        "innovation": innovation,
        "indicator": indicator,
        "milestone": milestone,
    }


def signed_in(client: Client, world: dict, role: str) -> Client:
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """One client per role, signed in once; tests that draw the role from these stay fast."""
    return {role: signed_in(Client(), world, role) for role in ROLES}


some_role = st.sampled_from(ROLES)


# --- Surveys: the questionnaire and its autosave -----------------------------------------------


def _answer_urls(world) -> dict[str, str]:
    invitation, pk = world["invitation"], world["round"].pk
    return {
        "token page": reverse("surveys:respond", kwargs={"token": invitation.token}),
        "token autosave": reverse("surveys:autosave", kwargs={"token": invitation.token}),
        "member page": reverse("surveys:member_answer", kwargs={"pk": pk}),
        "member autosave": reverse("surveys:member_autosave", kwargs={"pk": pk}),
        "another institution's token page": reverse("surveys:respond", kwargs={"token": world["other"].token}),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "door", ["token page", "token autosave", "member page", "member autosave", "another institution's token page"]
)
@settings(JUNK, max_examples=examples(15))
@given(data=st.data(), encoding=encodings)
def test_survey_answers(client, world, role, door, data, encoding):
    url = _answer_urls(world)[door]
    fields = [*world["fields"], "version", "action"]
    posted = data.draw(form_data(fields))
    response = post(signed_in(client, world, role), url, posted, encoding)
    assert_no_server_error(response, "POST", url, posted)


@settings(JUNK)
@given(token=st.one_of(text, controls, st.sampled_from(ODD)), suffix=st.sampled_from(["", "autosave/"]))
def test_survey_token_in_the_url(client, world, token, suffix):
    url = f"/surveys/respond/{quote(token, safe='')}/{suffix}"
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert_no_server_error(response, method.upper(), url, None)


# --- Surveys: the staff pages -----------------------------------------------------------------


def _staff_survey_requests(world) -> dict[str, tuple[str, str, list[str]]]:
    pk = world["round"].pk
    return {
        "status": ("GET", reverse("surveys:status", kwargs={"pk": pk}), ["status", "country", "institution_type"]),
        "remind": ("POST", reverse("surveys:remind", kwargs={"pk": pk}), ["invitation"]),
        "invite": ("POST", reverse("surveys:invite", kwargs={"pk": pk}), []),
        "reopen": ("POST", reverse("surveys:invitation", kwargs={"pk": world["other"].pk}), ["reason"]),
        "results": ("POST", reverse("surveys:results", kwargs={"pk": pk}), ["innovation", "question", "note"]),
        "results csv": ("GET", reverse("surveys:results", kwargs={"pk": pk}), ["format"]),
        "trends": ("GET", reverse("surveys:trends"), ["code", "format"]),
        "export": ("GET", reverse("surveys:export", kwargs={"pk": pk, "fmt": "csv"}), ["anonymised"]),
        "home": ("GET", reverse("surveys:home"), ["page"]),
        "compare": ("GET", reverse("surveys:compare", kwargs={"pk": pk}), []),
    }


@pytest.mark.parametrize(
    "page", ["status", "remind", "invite", "reopen", "results", "results csv", "trends", "export", "home", "compare"]
)
@settings(JUNK, max_examples=examples(16))
@given(data=st.data(), encoding=encodings)
def test_survey_pages(clients, world, page, data, encoding):
    """Staff pages (and the member's comparison) as a role drawn per example: most are refused early."""
    role = data.draw(st.sampled_from(["staff", "staff", *ROLES]))
    method, url, fields = _staff_survey_requests(world)[page]
    sent = data.draw(form_data(fields or ["x"]))
    if page == "remind" and data.draw(st.booleans()):
        sent["invitation"] = [str(world["other"].pk), *data.draw(st.lists(scalar, max_size=2))]
    client = clients[role]
    response = post(client, url, sent, encoding) if method == "POST" else client.get(url, sent)
    assert_no_server_error(response, method, url, sent)


@pytest.mark.parametrize("role", ["member", "staff"])
@settings(JUNK, max_examples=examples(8))
@given(pk=st.one_of(st.integers(min_value=0), st.sampled_from([2**31, 2**63, 10**30])))
def test_survey_round_numbers(client, world, role, pk):
    """Huge or missing round numbers in the URL: 404, never an overflow."""
    client = signed_in(client, world, role)
    for name in ("member_answer", "member_autosave", "compare", "status", "results", "invitation"):
        url = reverse(f"surveys:{name}", kwargs={"pk": pk})
        assert_no_server_error(client.get(url), "GET", url, None)
        assert_no_server_error(client.post(url, {"version": "0"}), "POST", url, None)


# --- Pilots: the staff quick forms and the lists' filters -------------------------------------

PILOT_FORMS = {
    "log_measurement": [
        "measurement-indicator",
        "measurement-measured_on",
        "measurement-value",
        "measurement-source",
        "measurement-participation",
        "measurement-submission_key",
    ],
    "record_milestone": [
        "milestone-title",
        "milestone-stage",
        "milestone-planned_start",
        "milestone-planned_date",
        "milestone-actual_date",
        "milestone-status",
        "milestone-notes",
    ],
    "complete_milestone": ["actual_date", "milestone"],
    "advance_stage": ["stage-to_stage", "stage-decided_on", "stage-rationale", "stage-expected_stage"],
    "tick_checklist": ["action", "done_on", "evidence_url"],
}


def _plausible(world) -> dict[str, list[str]]:
    """Valid-looking values mixed into the junk, so that the forms also reach the services."""
    return {
        "measurement-indicator": [str(world["indicator"].pk)],
        "milestone": [str(world["milestone"].pk)],
        "milestone-stage": list(Stage.values),
        "stage-to_stage": list(Stage.values),
        "stage-expected_stage": [world["innovation"].stage],
        "milestone-status": list(MilestoneStatus.values),
        "action": [code for code, _label in ACTION_CHOICES],
    }


def _pilot_form_post(world, form: str, data) -> dict:
    fields = PILOT_FORMS[form]
    plausible = _plausible(world)
    posted = data.draw(form_data(fields))
    for name in fields:  # sometimes a real value, so that junk in the other fields reaches the service
        if name in plausible and name not in posted and data.draw(st.booleans()):
            posted[name] = data.draw(st.sampled_from(plausible[name]))
        elif name.endswith(("_on", "_date", "_start")) and name not in posted and data.draw(st.booleans()):
            posted[name] = data.draw(st.dates().map(datetime.date.isoformat))
    return posted


@pytest.mark.parametrize("form", list(PILOT_FORMS))
@settings(JUNK, max_examples=examples(20))
@given(data=st.data(), encoding=encodings)
def test_pilot_staff_forms(client, world, form, data, encoding):
    """As staff, who reach the forms and the services behind them."""
    posted = _pilot_form_post(world, form, data)
    url = reverse(f"pilots:{form}", kwargs={"slug": world["innovation"].slug})
    response = post(signed_in(client, world, "staff"), url, posted, encoding)
    assert_no_server_error(response, "POST", url, posted)


@pytest.mark.parametrize("form", list(PILOT_FORMS))
@settings(JUNK, max_examples=examples(10))
@given(data=st.data(), encoding=encodings)
def test_pilot_staff_forms_refused_to_others(clients, world, form, data, encoding):
    role = data.draw(st.sampled_from(["anonymous", "member", "donor"]))
    posted = _pilot_form_post(world, form, data)
    url = reverse(f"pilots:{form}", kwargs={"slug": world["innovation"].slug})
    response = post(clients[role], url, posted, encoding)
    assert_no_server_error(response, "POST", url, posted)
    assert response.status_code in (302, 403)


PILOT_LIST_FIELDS = ["q", "stage", "product_line", "country", "funder", "status", "progress", "page", "format"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "dashboard"])
@settings(JUNK, max_examples=examples(12))
@given(data=st.data())
def test_pilot_lists_filters(client, world, role, page, data):
    url = reverse(f"pilots:{page}")
    query = data.draw(form_data(PILOT_LIST_FIELDS))
    response = signed_in(client, world, role).get(url, query)
    assert_no_server_error(response, "GET", url, query)


@pytest.mark.parametrize("page", ["detail", "indicators_csv"])
@settings(JUNK, max_examples=examples(12))
@given(data=st.data())
def test_pilot_page_query_strings(clients, world, page, data):
    role = data.draw(some_role)
    url = reverse(f"pilots:{page}", kwargs={"slug": world["innovation"].slug})
    query = data.draw(form_data(PILOT_LIST_FIELDS))
    response = clients[role].get(url, query)
    assert_no_server_error(response, "GET", url, query)


# --- Sign-in ------------------------------------------------------------------------------------


@settings(JUNK)
@given(data=st.data(), encoding=encodings)
def test_login_form(client, world, data, encoding):
    posted = data.draw(form_data(["username", "password", "next"]))
    url = reverse("login")
    response = post(client, url, posted, encoding)
    assert_no_server_error(response, "POST", url, posted)
    next_url = data.draw(scalar)
    response = client.get(url, {"next": next_url})
    assert_no_server_error(response, "GET", url, {"next": next_url})


# --- Search and the research list ---------------------------------------------------------------

SEARCH_FIELDS = ["q", "page", "sort", "kind", "country", "product_line", "stage", "year", "type"]


@pytest.fixture
def library(research_index):  # noqa: F811
    make_report(research_index, title="Microseguros en la sierra", summary="Demanda de microseguros.")
    return research_index


@pytest.mark.parametrize("url", ["/search/", "/search/json/", "/research/", "/en/search/json/", "/en/research/"])
@settings(JUNK, max_examples=examples(25))
@given(data=st.data())
def test_search_and_research_query_strings(clients, library, url, data):
    role = data.draw(some_role)
    query = data.draw(form_data(SEARCH_FIELDS))
    response = clients[role].get(url, query)
    assert_no_server_error(response, "GET", url, query)
