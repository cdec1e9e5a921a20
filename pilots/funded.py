"""What a donor reads first: the innovations its funder pays for ("Innovations you fund").

The landing is one selector, `funded_landing`, so that its headline is made from its
cards: the innovations the viewer may see (`Innovation.objects.visible_to`) towards which
the funder has made a contribution, each with its stored progress (`pilots.progress`) and
its health with its freshness (`selectors.innovation_health`: the date of its latest figure,
what is overdue).

- *Reach*: actuals against current targets added up only where they count the same thing
  (`selectors.reach`: clients with clients, MFIs with MFIs).
- *By status*: how many of the cards stand in each state of health; the counts are the
  cards' own, so that the headline and the cards never disagree.
- *Latest news*: what was recorded in the latest semester in which anything happened to
  these innovations — figures dated in it, stage decisions taken in it, milestones done in
  it — and the date of the latest of them. On old data this says so plainly (RFR on the
  demo: the first half of 2011, nothing since 31 March 2011) rather than "nothing new".

Everything is read in a fixed number of queries, whatever the number of innovations.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet
from django.utils.functional import cached_property

from portal.accounts.models import Funder

from .cycle import Stage, stage_number
from .models import (
    Contribution,
    Innovation,
    Measurement,
    Milestone,
    MilestoneStatus,
    PeriodReport,
    StageChange,
    Status,
)
from .models.delivery import OPEN_MILESTONE
from .reports import semester_of
from .selectors import Health, Progress, innovation_health, reach, stored_progress, with_stored_progress


def funded_by(queryset: QuerySet[Innovation], funder: Funder) -> QuerySet[Innovation]:
    """The innovations of `queryset` towards which `funder` has made a contribution (a
    subquery: no join, so counts over it stay counts of innovations)."""
    return queryset.filter(Exists(Contribution.objects.filter(innovation=OuterRef("pk"), funder=funder)))


@dataclass
class FundedCard:
    """One funded innovation as its card shows it."""

    innovation: Innovation
    health: Health  # its stored health, with the date of its latest figure and what is overdue
    figures: list[Progress]  # its indicators with a target, as stored
    stages_funded: list[Stage]  # the stages the funder contributes to
    next_milestone: Milestone | None  # the first open milestone by planned date
    next_milestone_late: bool

    @property
    def stage_number(self) -> int:
        return stage_number(self.innovation.stage)


@dataclass
class News:
    """What was recorded for the funded innovations in the latest semester in which anything was."""

    period: PeriodReport | None  # the semester (unsaved: year and semester); None when nothing was ever recorded
    latest: datetime.date | None  # the latest date of a figure, a stage decision or a milestone done
    figures: list[tuple[Innovation, int]] = field(default_factory=list)  # new figures per innovation
    stage_changes: list[StageChange] = field(default_factory=list)
    milestones_done: list[Milestone] = field(default_factory=list)

    @property
    def figure_count(self) -> int:
        return sum(count for _innovation, count in self.figures)


@dataclass
class Landing:
    funder: Funder
    cards: list[FundedCard]
    reach: list[dict]
    news: News

    @cached_property
    def by_status(self) -> list[dict]:
        """How many cards stand in each state of health, worst first; only the states some card is in."""
        counts = Counter(card.health.status for card in self.cards)
        order = [*Status.ORDER, *sorted(set(counts) - set(Status.ORDER))]
        return [
            {"status": status, "label": str(Status.LABELS.get(status, status)), "count": counts[status]}
            for status in order
            if counts[status]
        ]

    @property
    def as_of(self) -> datetime.date | None:
        """The date of the latest figure of any card."""
        return max((card.health.actual_date for card in self.cards if card.health.actual_date), default=None)


def _next_milestone(milestones: list[Milestone]) -> Milestone | None:
    return next((m for m in milestones if m.status in OPEN_MILESTONE), None)


def _news(innovations: list[Innovation]) -> News:
    """The latest semester's news, from the cards' prefetched stage decisions and milestones
    and two queries over their measurements."""
    ids = [innovation.pk for innovation in innovations]
    measurements = Measurement.objects.filter(indicator__innovation_id__in=ids)
    changes = [change for innovation in innovations for change in innovation.stage_changes.all()]
    done = [
        m
        for innovation in innovations
        for m in innovation.milestones.all()
        if m.status == MilestoneStatus.DONE and m.actual_date
    ]
    dates = [
        measurements.aggregate(latest=Max("measured_on"))["latest"],
        *(change.decided_on for change in changes),
        *(m.actual_date for m in done),
    ]
    latest = max(filter(None, dates), default=None)
    if latest is None:
        return News(period=None, latest=None)
    period = semester_of(latest)

    def within(day: datetime.date) -> bool:
        return period.starts_on <= day <= period.ends_on

    by_innovation = {innovation.pk: innovation for innovation in innovations}
    counts = (
        measurements.filter(measured_on__range=(period.starts_on, period.ends_on))
        .order_by()
        .values_list("indicator__innovation_id")
        .annotate(n=Count("pk"))
    )
    figures = sorted(((by_innovation[pk], n) for pk, n in counts), key=lambda row: (row[0].display_title, row[0].pk))
    return News(
        period=period,
        latest=latest,
        figures=figures,
        stage_changes=sorted((c for c in changes if within(c.decided_on)), key=lambda c: (c.decided_on, c.pk)),
        milestones_done=sorted((m for m in done if within(m.actual_date)), key=lambda m: (m.actual_date, m.pk)),
    )


def funded_landing(*, visible: QuerySet[Innovation], funder: Funder, today: datetime.date) -> Landing:
    """The landing of `funder`'s donors over the innovations they may see (`visible`, from
    `visible_to`): its headline and one card per funded innovation, by title."""
    funded = funded_by(visible, funder)
    innovations = list(
        with_stored_progress(funded)
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "id")),
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("decided_on", "created_at")),
        )
        .order_by("title", "pk")
    )
    cards = []
    for innovation in innovations:
        progress = [stored_progress(indicator) for indicator in innovation.indicators.all()]
        milestone = _next_milestone(list(innovation.milestones.all()))
        cards.append(
            FundedCard(
                innovation=innovation,
                health=innovation_health(progress, as_of=today),
                figures=[p for p in progress if p.target is not None],
                stages_funded=sorted(
                    {Stage(c.stage) for c in innovation.contributions.all() if c.funder_id == funder.pk},
                    key=lambda stage: stage_number(stage),
                ),
                next_milestone=milestone,
                next_milestone_late=milestone is not None and milestone.is_late(today),
            )
        )
    return Landing(
        funder=funder,
        cards=cards,
        reach=reach(Innovation.objects.filter(pk__in=[innovation.pk for innovation in innovations])),
        news=_news(innovations),
    )
