"""The survey's demo data: the one test that loads it (with the site shell's demo it builds on)."""

import datetime

from portal import demo as portal_demo
from surveys import demo, selectors
from surveys.models import Invitation, ResponseStatus, Round


def test_the_demo_loads_twice_and_tells_the_micro_insurance_story(db):
    portal_demo.load()
    demo.load()
    demo.load()  # idempotent
    assert [r.code for r in Round.objects.all()] == ["2026-S2", "2026-S1", "2025-S2", "2025-S1"]
    open_round = Round.objects.get(year=2026, semester=2)
    assert open_round.is_open(datetime.date(2026, 11, 22))
    assert open_round.invitations.count() == 40
    assert open_round.invitations.filter(institution__country="EC").count() > 30
    rate = selectors.response_rate(survey_round=open_round)
    assert 0 < rate["submitted"] < 40 and rate["draft"] > 0  # partial responses
    andina = Invitation.objects.get(round=open_round, institution__name="Cooperativa Ilustrativa Andina")
    assert andina.status == ResponseStatus.NOT_STARTED  # left for a newcomer to answer
    assert Invitation.objects.filter(institution=andina.institution, status=ResponseStatus.SUBMITTED).count() == 3
    insurance = next(
        line for line in selectors.demand_trend(code="demand-ranking")["lines"] if line["code"] == "micro-insurance"
    )
    ranks = [point["rank"] for point in insurance["points"]]
    assert ranks[0] > ranks[-1]  # it climbs the demand ranking
    averages = [point["average"] for point in insurance["points"]]
    assert averages == sorted(averages)
