"""A member answers the demand survey through its personal link; staff see the result.

Opens the link, answers part, closes the page, reopens the link and finds its
answers (saved on the server as it typed), submits with one error, fixes it,
submits, sees the receipt; then staff see the response rate rise and the
result chart include the answer.
"""

import json

import pytest
from playwright.sync_api import expect

from surveys.models import QuestionType
from tests.factories import MemberInstitutionFactory, StaffFactory
from tests.surveys.factories import (
    InvitationFactory,
    OptionFactory,
    QuestionFactory,
    RoundFactory,
    choice_question,
    submitted_response,
)

from .conftest import login


@pytest.fixture
def survey(transactional_db):
    survey_round = RoundFactory(year=2026, semester=2)
    q = {
        "rank": choice_question(
            survey_round, "demand-ranking", QuestionType.RANKING, ["savings", "insurance", "credit"], position=1
        ),
        "plans": choice_question(survey_round, "plans", QuestionType.SINGLE, ["yes", "no"], position=2),
        "women": QuestionFactory(round=survey_round, code="women", kind=QuestionType.PERCENTAGE, position=4),
    }
    q["which"] = QuestionFactory(
        round=survey_round,
        code="which",
        kind=QuestionType.SINGLE,
        position=3,
        show_if_question=q["plans"],
        show_if_option="yes",
        label_en="In which product line?",
    )
    OptionFactory(question=q["which"], code="insurance", label_en="Micro-insurance")
    OptionFactory(question=q["which"], code="housing", label_en="Housing")
    for women in (40, 60):
        submitted_response(
            survey_round,
            {"demand-ranking": ["savings", "credit", "insurance"], "plans": "no", "women": women},
        )
    invitation = InvitationFactory(round=survey_round, institution=MemberInstitutionFactory(name="Cooperativa Prueba"))
    StaffFactory(username="staff")
    return {"round": survey_round, "q": q, "invitation": invitation}


def field(question) -> str:
    return f"q-{question.pk}"


def staff_rate(page, survey_round) -> str:
    page.goto(f"/en/surveys/rounds/{survey_round.pk}/status/")
    return page.get_attribute("#response-rate [data-rate]", "data-rate")


def test_member_answers_through_its_link_and_staff_see_it(page, browser, live_server, survey):
    staff = page
    login(staff, "staff")
    assert staff_rate(staff, survey["round"]) == "66.7"
    # The member uses its own browser (no shared cookies with staff).
    member = browser.new_context(base_url=live_server.url, locale="es-EC")
    try:
        member_journey(member, survey)
    finally:
        member.close()
    staff_sees_the_answer(staff, survey)


def member_journey(member, survey):
    q = survey["q"]
    link = f"/en/surveys/respond/{survey['invitation'].token}/"
    # Answer part of the survey, then close the page once the draft is saved.
    page = member.new_page()
    page.set_default_timeout(15_000)
    page.goto(link)
    assert page.is_visible("text=Cooperativa Prueba")
    places = page.locator(f"select[name='{field(q['rank'])}']")
    places.nth(0).select_option("insurance")
    places.nth(1).select_option("savings")
    places.nth(2).select_option("credit")
    assert page.is_hidden(f"#wrap-{field(q['which'])}")

    def numbers() -> list[str]:
        """The numbers the member sees before each visible question."""
        return page.locator(".survey-q:not([hidden]) .survey-qnumber").all_text_contents()

    assert numbers() == ["1.", "2.", "3."]  # the hidden question takes no number: 1, 2, 3
    assert "demand-ranking" not in page.locator("#survey-form").inner_text()  # no technical codes shown
    page.check(f"input[name='{field(q['plans'])}'][value='yes']")
    assert page.is_visible(f"#wrap-{field(q['which'])}")  # the conditional question appears
    assert numbers() == ["1.", "2.", "3.", "4."]
    # A share of 150 % is flagged as it is typed (and kept); 60 % clears the flag.
    share = page.locator(f"input[name='{field(q['women'])}']")
    share.fill("150")
    expect(page.locator(f"#range-{field(q['women'])}")).to_be_visible()
    assert share.get_attribute("aria-invalid") == "true"
    share.fill("60")
    expect(page.locator(f"#range-{field(q['women'])}")).to_be_hidden()
    expect(page.locator("#survey-version")).not_to_have_value("0")  # no string eval: the CSP forbids it
    page.wait_for_selector("#autosave-status:has-text('Draft saved at')")
    page.close()

    # Reopen the link (a new page, as after closing the tab): the answers are there.
    page = member.new_page()
    page.set_default_timeout(15_000)
    page.goto(link)
    places = page.locator(f"select[name='{field(q['rank'])}']")
    assert [places.nth(i).input_value() for i in range(3)] == ["insurance", "savings", "credit"]
    assert page.is_checked(f"input[name='{field(q['plans'])}'][value='yes']")
    assert page.is_visible(f"#wrap-{field(q['which'])}")

    # Submit with one error: a percentage above 100.
    page.check(f"input[name='{field(q['which'])}'][value='insurance']")
    page.fill(f"input[name='{field(q['women'])}']", "140")
    page.click("#survey-submit")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist")
    assert errors.count() == 1
    assert page.locator(f"#wrap-{field(q['women'])} .errorlist").inner_text() == "Enter a number of at most 100."
    assert page.input_value(f"input[name='{field(q['women'])}']") == "140"

    # Fix it and submit: the receipt is shown and the answers are read-only.
    page.fill(f"input[name='{field(q['women'])}']", "80")
    page.click("#survey-submit")
    page.wait_for_selector("#receipt")
    survey["invitation"].refresh_from_db()
    assert survey["invitation"].receipt_number in page.inner_text("#receipt")
    assert page.locator("#survey-form").count() == 0
    assert "Micro-insurance" in page.inner_text("table.survey-answers")


def staff_sees_the_answer(staff, survey):
    """Staff see the response rate rise and the result chart include the answer."""
    survey_round = survey["round"]
    assert staff_rate(staff, survey_round) == "100.0"
    staff.goto(f"/en/surveys/rounds/{survey_round.pk}/results/")
    staff.wait_for_selector("[data-figure='fig-women'][data-rendered='true']")
    figure = json.loads(staff.text_content("script#fig-women"))
    assert figure["data"][0]["upperfence"] == [80.0]
    assert figure["data"][0]["median"] == [60.0]
    table = staff.inner_text("#result-women table.survey-table")
    assert "80" in table and "3" in table
    plotted = staff.evaluate("document.querySelector(\"[data-figure='fig-women']\").data[0].upperfence")
    assert plotted == [80]
