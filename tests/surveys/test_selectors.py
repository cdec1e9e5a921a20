"""Aggregations checked against worked examples computed by hand (surveys.selectors)."""

import pytest

from surveys import selectors
from surveys.models import QuestionType
from tests.factories import MemberInstitutionFactory, ProductLineFactory

from .factories import InvitationFactory, OptionFactory, QuestionFactory, RoundFactory, submitted_response


class TestBorda:
    def test_the_worked_example_of_the_docstring(self):
        rows = selectors.borda_ranking([["A", "B", "C"], ["B", "A", "C"], ["A", "C", "B"]], ["A", "B", "C"])
        # A = 3+2+3 = 8, B = 2+3+1 = 6, C = 1+1+2 = 4
        assert [(r["code"], r["score"], r["rank"], r["first_places"]) for r in rows] == [
            ("A", 8, 1, 2),
            ("B", 6, 2, 1),
            ("C", 4, 3, 0),
        ]
        assert [r["average"] for r in rows] == [2.67, 2.0, 1.33]

    def test_partial_rankings_give_unranked_options_nothing(self):
        # K = 2 places among 4 options: place 1 = 2 points, place 2 = 1 point.
        rows = selectors.borda_ranking([["D", "A"], ["A", "B"], ["D", "C"]], ["A", "B", "C", "D"], positions=2)
        scores = {r["code"]: r["score"] for r in rows}
        assert scores == {"A": 3, "B": 1, "C": 1, "D": 4}
        assert [r["code"] for r in rows] == ["D", "A", "B", "C"]
        assert [r["rank"] for r in rows] == [1, 2, 3, 3]  # B and C tie and share rank 3

    def test_equal_scores_share_a_rank(self):
        # K = 2: A = 1+2+1+2 = 6 and B = 2+1+2+1 = 6, two first places each.
        rows = selectors.borda_ranking([["B", "A"], ["A", "B"], ["B", "A"], ["A", "B"]], ["A", "B"])
        assert [r["rank"] for r in rows] == [1, 1]

    def test_no_answers(self):
        assert [r["score"] for r in selectors.borda_ranking([], ["A", "B"])] == [0, 0]


def test_choice_shares_worked_example():
    rows = selectors.choice_shares([["a", "b"], ["a"], ["c", "a"], ["b"]], ["a", "b", "c"])
    assert rows == [
        {"code": "a", "count": 3, "share": 75.0},
        {"code": "b", "count": 2, "share": 50.0},
        {"code": "c", "count": 1, "share": 25.0},
    ]


class TestNumberSummary:
    def test_quartiles_on_an_odd_count(self):
        # [1, 2, 3, 4, 10]: Q1 at position 1 of 0..4 → 2, median 3, Q3 at position 3 → 4.
        summary = selectors.number_summary([10, 3, 1, 4, 2])
        assert summary == {"n": 5, "min": 1, "q1": 2, "median": 3, "q3": 4, "max": 10, "mean": 4}

    def test_quartiles_interpolate_on_an_even_count(self):
        # [10, 20, 30, 40]: Q1 at 0.75 → 17.5; median 25; Q3 at 2.25 → 32.5 (like QUARTILE.INC).
        summary = selectors.number_summary([40, 10, 30, 20])
        assert (summary["q1"], summary["median"], summary["q3"]) == (17.5, 25, 32.5)

    def test_one_value_and_none(self):
        assert selectors.number_summary([7])["q1"] == 7
        assert selectors.number_summary([])["median"] is None


@pytest.fixture
def results_round(db):
    """4 submitted answers (3 from Ecuador, 1 from Peru), 1 draft and 1 not started."""
    survey_round = RoundFactory()
    rank = QuestionFactory(round=survey_round, code="rank", kind=QuestionType.RANKING, position=1)
    pick = QuestionFactory(round=survey_round, code="pick", kind=QuestionType.SINGLE, position=2)
    QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER, position=3)
    for question in (rank, pick):
        for position, code in enumerate(["A", "B", "C"]):
            OptionFactory(question=question, code=code, position=position)
    ecuador = [MemberInstitutionFactory(country="EC", institution_type="ngo") for _ in range(3)]
    peru = MemberInstitutionFactory(country="PE", institution_type="bank")
    submitted_response(survey_round, {"rank": ["A", "B", "C"], "pick": "A", "clients": 100}, ecuador[0])
    submitted_response(survey_round, {"rank": ["B", "A", "C"], "pick": "A", "clients": 300}, ecuador[1])
    submitted_response(survey_round, {"rank": ["A", "C", "B"], "pick": "B", "clients": 200}, ecuador[2])
    submitted_response(survey_round, {"rank": ["C", "B", "A"], "pick": "C", "clients": 1000}, peru)
    submitted_response(survey_round, {"rank": ["C", "C", "C"], "pick": "C", "clients": 5}, status="draft")
    InvitationFactory(round=survey_round)
    return survey_round


class TestRoundResults:
    def test_response_rate(self, results_round):
        assert selectors.response_rate(survey_round=results_round) == {
            "invited": 6,
            "not_started": 1,
            "draft": 1,
            "submitted": 4,
            "rate": 66.7,
        }

    def test_only_submitted_answers_count(self, results_round):
        results = {
            item["question"].code: item for item in selectors.round_results(survey_round=results_round)["questions"]
        }
        # Borda, K = 3: A = 3+2+3+1 = 9, B = 2+3+1+2 = 8, C = 1+1+2+3 = 7
        assert [(r["code"], r["score"]) for r in results["rank"]["ranking"]] == [("A", 9), ("B", 8), ("C", 7)]
        assert [(s["code"], s["share"]) for s in results["pick"]["shares"]] == [("A", 50.0), ("B", 25.0), ("C", 25.0)]
        # [100, 200, 300, 1000]: median 250, Q1 = 100 + 0.75*100 = 175, Q3 = 300 + 0.25*700 = 475
        numbers = results["clients"]["numbers"]
        assert (numbers["n"], numbers["q1"], numbers["median"], numbers["q3"]) == (4, 175, 250, 475)

    def test_groups_of_fewer_than_three_are_hidden_and_so_is_the_group_that_would_give_them_away(self, results_round):
        results = {
            item["question"].code: item for item in selectors.round_results(survey_round=results_round)["questions"]
        }
        by_country = {group["key"]: group for group in results["pick"]["by_country"]}
        assert by_country["PE"]["suppressed"] and by_country["PE"]["small"]
        assert "shares" not in by_country["PE"]  # the single Peruvian answer never leaves the selector
        # Ecuador's 3 answers shown next to the total of 4 would give Peru's away: hidden too.
        assert by_country["EC"]["suppressed"] and not by_country["EC"]["small"] and "shares" not in by_country["EC"]
        by_type = {group["key"]: group for group in results["clients"]["by_type"]}
        assert by_type["bank"]["suppressed"] and by_type["ngo"]["suppressed"] and "numbers" not in by_type["ngo"]

    def test_complementary_suppression_worked_example(self, db):
        """Ecuador 4, Guatemala 3, Peru 1 answer "yes" or "no". Peru is hidden (1 < 3); total minus
        Ecuador minus Guatemala would give Peru's answer, so Guatemala (the smallest shown group) is
        hidden as well. Subtraction now gives Guatemala and Peru together: 4 respondents, never one."""
        survey_round = RoundFactory()
        question = QuestionFactory(round=survey_round, code="yes", kind=QuestionType.SINGLE, position=1)
        for position, code in enumerate(["yes", "no"]):
            OptionFactory(question=question, code=code, position=position)
        answers = [("EC", "yes"), ("EC", "yes"), ("EC", "no"), ("EC", "no"), ("GT", "yes"), ("GT", "no")]
        answers += [("GT", "no"), ("PE", "yes")]
        for country, answer in answers:
            submitted_response(survey_round, {"yes": answer}, MemberInstitutionFactory(country=country))
        (result,) = selectors.round_results(survey_round=survey_round)["questions"]
        groups = {group["key"]: group for group in result["by_country"]}
        assert [(s["code"], s["count"]) for s in result["shares"]] == [("yes", 4), ("no", 4)]
        assert [(s["code"], s["count"]) for s in groups["EC"]["shares"]] == [("yes", 2), ("no", 2)]
        assert groups["GT"]["suppressed"] and groups["PE"]["suppressed"]
        assert "shares" not in groups["GT"] and "shares" not in groups["PE"]
        # What a reader can work out: Guatemala and Peru together said yes 4 - 2 = 2 times out of 4.
        shown_yes = sum(
            s["count"] for g in groups.values() if not g["suppressed"] for s in g["shares"] if s["code"] == "yes"
        )
        hidden_n = sum(g["n"] for g in groups.values() if g["suppressed"])
        assert (4 - shown_yes, hidden_n) == (2, 4)

    def test_status_breakdown_by_country_and_type(self, results_round):
        breakdown = selectors.status_breakdown(survey_round=results_round)
        ecuador = next(row for row in breakdown["by_country"] if row["key"] == "EC")
        # 3 submitted + the draft and the not-started factory members (Ecuador by default)
        assert (ecuador["invited"], ecuador["submitted"], ecuador["draft"], ecuador["not_started"]) == (5, 3, 1, 1)
        assert ecuador["rate"] == 60.0


def test_demand_supply_gap_worked_example(db):
    survey_round = RoundFactory()
    lines = {code: ProductLineFactory(code=f"line-{code}") for code in "ABCD"}
    demand = QuestionFactory(round=survey_round, code="demand", kind=QuestionType.RANKING, measures="demand")
    supply = QuestionFactory(round=survey_round, code="supply", kind=QuestionType.MULTIPLE, measures="supply")
    for question in (demand, supply):
        for position, code in enumerate("ABCD"):
            OptionFactory(question=question, code=code, position=position, product_line=lines[code])
    for ranking, offered in [
        (["A", "B", "C", "D"], ["A"]),
        (["B", "A", "D", "C"], ["A", "B"]),
        (["A", "D", "B", "C"], ["A"]),
        (["C", "A", "B", "D"], ["A", "C"]),
    ]:
        submitted_response(survey_round, {"demand": ranking, "supply": offered})
    gap = selectors.round_results(survey_round=survey_round)["gap"]
    # Top 3 demand: A 4/4, B 4/4, C 2/4, D 2/4; offered: A 4/4, B 1/4, C 1/4, D 0/4.
    assert [(row["product_line"].code, row["demand"], row["supply"], row["gap"]) for row in gap["rows"]] == [
        ("line-B", 100.0, 25.0, 75.0),
        ("line-D", 50.0, 0.0, 50.0),
        ("line-C", 50.0, 25.0, 25.0),
        ("line-A", 100.0, 100.0, 0.0),
    ]


def test_no_gap_without_a_demand_and_a_supply_question(results_round):
    assert selectors.round_results(survey_round=results_round)["gap"] is None


def test_trend_of_ranks_across_rounds(db):
    rounds = [RoundFactory(year=2025, semester=1), RoundFactory(year=2025, semester=2)]
    answers = [
        [["A", "B", "C"], ["A", "C", "B"], ["B", "A", "C"]],  # A 8, B 6, C 4
        [["C", "A", "B"], ["C", "B", "A"], ["A", "C", "B"]],  # A 6, B 4, C 8
    ]
    for survey_round, rankings in zip(rounds, answers, strict=True):
        question = QuestionFactory(round=survey_round, code="demand-ranking", kind=QuestionType.RANKING)
        for position, code in enumerate("ABC"):
            OptionFactory(question=question, code=code, position=position)
        for ranking in rankings:
            submitted_response(survey_round, {"demand-ranking": ranking})
    trend = selectors.demand_trend(code="demand-ranking")
    assert [item["round"].code for item in trend["rounds"]] == ["2025-S1", "2025-S2"]
    ranks = {line["code"]: [point["rank"] for point in line["points"]] for line in trend["lines"]}
    assert ranks == {"A": [1, 2], "B": [2, 3], "C": [3, 1]}


def test_exact_figures_become_bands_in_the_anonymised_export():
    from surveys.exports import band

    assert [band(v, QuestionType.NUMBER) for v in (0, 99, 100, 27_973, 1_000_000, None)] == [
        "0–99",
        "0–99",
        "100–499",
        "10000–49999",
        "1000000+",
        "",
    ]
    assert [band(v, QuestionType.PERCENTAGE) for v in (0, 65.5, 99.9, 100)] == ["0–9", "60–69", "90–99", "100"]
