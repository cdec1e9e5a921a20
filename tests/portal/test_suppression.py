"""Small-group suppression (portal.suppression), and the survey's results still hiding the
same groups now that they call it."""

import pytest

from portal.suppression import MIN_GROUP_SIZE, hidden_groups
from surveys import selectors
from surveys.models import QuestionType
from surveys.selectors.aggregations import MIN_GROUP_SIZE as SURVEY_MIN_GROUP_SIZE
from tests.factories import MemberInstitutionFactory
from tests.surveys.factories import OptionFactory, QuestionFactory, RoundFactory, submitted_response


def test_a_group_of_fewer_than_three_is_hidden_and_the_smallest_shown_one_with_it():
    # The docstring's worked example: Peru 1 < 3 is hidden; 8 − 4 − 3 would give Peru's one
    # member, so Guatemala (3, the smallest shown) is hidden too: subtraction now gives 4.
    assert hidden_groups({"EC": 4, "GT": 3, "PE": 1}) == {"GT", "PE"}


def test_two_small_groups_that_together_reach_three_need_no_complement():
    assert hidden_groups({"EC": 4, "PE": 2, "BO": 2}) == {"PE", "BO"}  # together 4


def test_a_small_group_next_to_one_other_hides_both():
    assert hidden_groups({"EC": 3, "PE": 1}) == {"EC", "PE"}
    assert hidden_groups({"ngo": 3, "bank": 2}) == {"ngo", "bank"}  # 5 − 3 would give the 2 banks


def test_complementary_suppression_picks_the_smallest_then_the_first_in_text_order():
    assert hidden_groups({"EC": 5, "GT": 4, "PE": 1}) == {"GT", "PE"}
    assert hidden_groups({"SV": 4, "GT": 4, "EC": 9, "PE": 1}) == {"GT", "PE"}  # GT before SV


def test_without_a_shown_total_only_small_groups_are_hidden():
    assert hidden_groups({"EC": 4, "GT": 3, "PE": 1}, total_shown=False) == {"PE"}


def test_groups_hidden_elsewhere_count_as_hidden():
    # Guatemala is hidden in another table sharing this total: 4 − ... gives GT + PE = 4.
    assert hidden_groups({"EC": 4, "GT": 3, "PE": 1}, already_hidden={"GT"}) == {"GT", "PE"}
    assert hidden_groups({"EC": 4, "GT": 3, "PE": 2}, already_hidden={"GT"}) == {"GT", "PE"}
    assert hidden_groups({"EC": 4, "GT": 3}, already_hidden={"XX"}) == set()  # not one of these groups


def test_nothing_to_hide_and_everything_small():
    assert hidden_groups({"EC": 3, "PE": 3}) == set()
    assert hidden_groups({"EC": 1, "PE": 1}) == {"EC", "PE"}
    assert hidden_groups({"all": 2}) == {"all"}
    assert hidden_groups({}) == set()


def test_the_threshold_is_three_and_the_survey_still_imports_it_where_it_did():
    assert MIN_GROUP_SIZE == SURVEY_MIN_GROUP_SIZE == selectors.MIN_GROUP_SIZE == 3


@pytest.mark.parametrize(
    ("respondents", "hidden"),
    [
        ({"EC": 4, "GT": 3, "PE": 1}, {"GT", "PE"}),
        ({"EC": 4, "PE": 2, "BO": 2}, {"PE", "BO"}),
        ({"EC": 3, "PE": 3}, set()),
    ],
)
def test_the_surveys_country_breakdown_hides_the_same_groups(db, respondents, hidden):
    survey_round = RoundFactory()
    question = QuestionFactory(round=survey_round, code="yes", kind=QuestionType.SINGLE, position=1)
    for position, code in enumerate(["yes", "no"]):
        OptionFactory(question=question, code=code, position=position)
    for country, count in respondents.items():
        for _ in range(count):
            submitted_response(survey_round, {"yes": "yes"}, MemberInstitutionFactory(country=country))
    (result,) = selectors.round_results(survey_round=survey_round)["questions"]
    groups = {group["key"]: group for group in result["by_country"]}
    assert {key for key, group in groups.items() if group["suppressed"]} == hidden
    assert all("shares" not in groups[key] for key in hidden)
    assert all("shares" in group for key, group in groups.items() if key not in hidden)
