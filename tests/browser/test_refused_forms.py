"""What a person sees when a form is refused: the page lands on the refused form, whose error summary
(count and links) is on screen and has the focus; a link of the summary moves to its field. And a
ranking question offers each option for one place only."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from surveys.models import QuestionType
from tests.browser.conftest import login
from tests.factories import StaffFactory
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    TargetFactory,
)
from tests.surveys.factories import InvitationFactory, QuestionFactory, RoundFactory, choice_question


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight; }""",
        selector,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_refused_measurement_lands_on_its_summary_with_the_focus(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    StaffFactory(username="ana")
    innovation = InnovationFactory(slug="microseguro", started_on=datetime.date(2008, 9, 1))
    share = IndicatorFactory(innovation=innovation, name="Mujeres aseguradas", unit="percent")
    for order in range(4):  # a page long enough that the quick form is far below the top
        indicator = IndicatorFactory(innovation=innovation, name=f"Indicador {order}", order=order)
        TargetFactory(indicator=indicator, value=Decimal(100), due_date=datetime.date(2011, 12, 31))
        MeasurementFactory(indicator=indicator, value=Decimal(50), measured_on=datetime.date(2011, 3, 31))

    login(page, "ana")
    page.goto("/en/pilots/microseguro/")
    page.locator("details.staff-form:has(#measurement-form) summary").click()
    page.select_option("#id_measurement-indicator", str(share.pk))
    page.fill("#id_measurement-value", "140")
    page.fill("#id_measurement-source", "Encuesta")
    page.click("#measurement-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    summary = page.locator("#measurement-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert in_viewport(page, "#measurement-error-summary")
    assert page.evaluate("window.scrollY") > 500  # the page moved down to the refused form
    assert "There is 1 problem to fix" in summary.inner_text()
    assert page.input_value("#id_measurement-value") == "140"  # what was typed is kept
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    summary.locator("a[href='#id_measurement-value']").click()
    expect(page.locator("#id_measurement-value")).to_be_focused()
    assert in_viewport(page, "#id_measurement-value")


@pytest.mark.django_db(transaction=True)
def test_a_refused_quick_action_shows_its_message_with_the_focus(page, live_server):
    StaffFactory(username="ana")
    milestone = MilestoneFactory(innovation=InnovationFactory(slug="microseguro"), title="Manual de reclamos")
    login(page, "ana")
    page.goto("/en/pilots/microseguro/#milestones")
    page.fill(f"form:has(input[name=milestone][value='{milestone.pk}']) input[name=actual_date]", "2099-01-01")
    page.click(f"form:has(input[name=milestone][value='{milestone.pk}']) button[type=submit]")
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages .msg-error")
    expect(message).to_have_text("A milestone cannot be completed in the future.")
    expect(message).to_be_focused()
    assert in_viewport(page, ".messages .msg-error")


@pytest.fixture
def ranking_survey(transactional_db):
    survey_round = RoundFactory(year=2026, semester=2)
    rank = choice_question(
        survey_round, "demand-ranking", QuestionType.RANKING, ["savings", "insurance", "credit"], position=1
    )
    women = QuestionFactory(round=survey_round, code="women", kind=QuestionType.PERCENTAGE, position=2)
    return {"invitation": InvitationFactory(round=survey_round), "rank": rank, "women": women}


def test_a_ranked_option_cannot_take_a_second_place(page, live_server, ranking_survey):
    page.goto(f"/en/surveys/respond/{ranking_survey['invitation'].token}/")
    name = ranking_survey["rank"].field_name
    first, second, third = (f"#{name}", f"#{name}-2", f"#{name}-3")

    def disabled(select: str) -> list[str]:
        return page.eval_on_selector_all(
            f"{select} option", "options => options.filter(o => o.disabled).map(o => o.value)"
        )

    assert disabled(second) == []
    page.select_option(first, "savings")
    assert disabled(second) == ["savings"] and disabled(third) == ["savings"]
    assert disabled(first) == []  # a place's own choice stays enabled (and is posted)
    page.select_option(second, "credit")
    assert disabled(first) == ["credit"] and sorted(disabled(third)) == ["credit", "savings"]
    page.select_option(first, "insurance")  # changing place 1 gives "savings" back to the others
    assert disabled(second) == ["insurance"] and sorted(disabled(third)) == ["credit", "insurance"]
    # Let the autosave the choices started finish before the test's data is flushed.
    page.wait_for_selector("#autosave-status:has-text('Draft saved at')")
    page.wait_for_load_state("networkidle")


def test_a_refused_survey_focuses_its_summary_and_its_links_lead_to_the_answer(page, live_server, ranking_survey):
    page.goto(f"/en/surveys/respond/{ranking_survey['invitation'].token}/")
    name = ranking_survey["rank"].field_name
    page.select_option(f"#{name}", "savings")
    page.select_option(f"#{name}-2", "credit")
    page.select_option(f"#{name}-3", "insurance")
    women = ranking_survey["women"].field_name
    page.fill(f"#{women}", "140")
    page.click("#survey-submit")
    page.wait_for_load_state("networkidle")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert "There is a problem: 1 answer needs your attention" in summary.inner_text()
    summary.locator(f"a[href='#{women}']").click()
    expect(page.locator(f"#{women}")).to_be_focused()
