"""What an innovation's page shows (`innovation_page`): its indicators with their progress,
figures and sources, the stage timeline and checklist, milestones, lessons, funding,
pricing, reports, the studies about it (`pilots.related`) and, for staff, its history and
the reports waiting for review.

The view (`pilots.views.innovation`) only reads the request, adds the staff's forms and
renders this; the template presents what is decided here (which step is current, which
milestone staff may mark done, which badges show).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from portal.permissions import is_staff as is_staff_user

from . import history
from .charts import indicator_figure, participants_figure
from .cycle import ACTIONS, Stage, stage_number
from .models import Innovation, LessonKind, MilestoneStatus
from .models.delivery import OPEN_MILESTONE
from .pricing.breakdown import breakdown_of
from .pricing.charts import breakdown_figure
from .pricing.signs import pricing_of
from .related import related_research
from .report_pages import last_complete_semester, semesters
from .reporting.selectors import pending_for, sources_of, to_report
from .reports import innovation_semester_to_open, semester_of
from .selectors import (
    PAGE_MEASUREMENTS,
    Status,
    funding_by_stage,
    innovation_health,
    innovation_progress,
    overall_status,
    page_measurements,
    participants_over_time,
)

HISTORY_SHOWN = 30  # the latest changes on the innovation page; the admin lists more


def innovation_page(*, innovation: Innovation, user, language_code: str, today: datetime.date | None = None) -> dict:
    """Everything the innovation's page shows to `user`, as of `today` (by default today)."""
    today = today or timezone.localdate()
    staff = is_staff_user(user)
    measured = page_measurements(innovation)  # every value as a tuple; as models, only those shown
    progress = innovation_progress(innovation, today=today, rows={pk: m.rows for pk, m in measured.items()})
    changes = list(innovation.stage_changes.all())
    milestones = [
        {"milestone": m, "late": m.is_late(today), "can_complete": staff and m.status in OPEN_MILESTONE}
        for m in innovation.milestones.all()
    ]
    reports = list(innovation.period_reports.all())
    joined = participants_over_time(innovation, today)
    indicators = [_indicator(p, measured[p.indicator.pk], innovation) for p in progress]
    pricing = pricing_of([innovation])[innovation.pk]
    reporting_plan = getattr(innovation, "reporting_plan", None)
    return {
        "innovation": innovation,
        "indicators": indicators,
        "shows_measurement_form": staff and bool(indicators),
        "health": overall_status(progress),
        "health_label": Status.LABELS[overall_status(progress)],
        "freshness": innovation_health(progress, as_of=today),
        "timeline": _timeline(innovation, changes),
        "stage_changes": sorted(changes, key=lambda c: (c.decided_on, c.created_at), reverse=True),
        "checklist": _checklist(innovation),
        "milestones": milestones,
        "late_count": sum(1 for m in milestones if m["late"] and m["milestone"].status != MilestoneStatus.DONE),
        "participants": list(innovation.participations.all()),
        "pricing": pricing,
        "priced_variants": _priced_variants(pricing["variants"]),
        "shows_pricing": bool(pricing["variants"] or pricing["signs"]) or staff,
        "history": history.changes(innovation=innovation, limit=HISTORY_SHOWN) if staff else [],
        "participants_figure": participants_figure(joined) if joined else None,
        "funding": funding_by_stage(innovation),
        "reports": reports,
        "this_period": semester_of(today),
        "semesters": semesters(today, innovation.started_on),
        # The period chooser opens on the latest semester with data, not on an empty one.
        "report_semester": innovation_semester_to_open(
            innovation, reports, today, measured_on=[row[0] for m in measured.values() for row in m.rows]
        )
        or last_complete_semester(today),
        "lessons": _lessons(innovation),
        "evaluation": list(innovation.evaluation_answers.all()),
        "is_staff": staff,
        "research": related_research(innovation=innovation, language_code=language_code),
        "to_report": to_report(user=user, today=today, innovation=innovation),
        "pending_reports": pending_for(innovation) if staff else [],
        "reporting_plan": reporting_plan,
        "shows_pending_reports": staff and reporting_plan is not None,
    }


def _indicator(p, shown, innovation: Innovation) -> dict:
    """One indicator's part of the page: its progress, chart, latest measurements and sources."""
    return {
        "progress": p,
        "figure_id": f"figure-{p.indicator.pk}",
        "figure": indicator_figure(p),
        "measurements": shown,
        "latest_series": p.series[::-1][:PAGE_MEASUREMENTS],  # the latest points, newest first
        "all_url": reverse("pilots:indicator_measurements", args=[innovation.slug, p.indicator.pk]),
        "by_participant": shown.by_participant,
        "sources": sources_of(shown.behind, rule=p.rule),
    }


def _priced_variants(variants) -> list[dict]:
    """Each priced product variant with what its APR is made of, and the chart of it (no query:
    the breakdown is computed from the terms already read)."""
    rows = []
    for item in variants:
        split = breakdown_of(item)
        rows.append({"item": item, "breakdown": split, "figure": breakdown_figure(split) if split else None})
    return rows


def _timeline(innovation: Innovation, changes) -> list[dict]:
    """The five stages, each done, current or to do, with the day it was reached."""
    reached = {c.to_stage: c.decided_on for c in changes}
    current = stage_number(innovation.stage)
    return [
        {
            "stage": stage,
            "number": stage_number(stage),
            "state": "current" if stage == innovation.stage else ("done" if stage_number(stage) < current else "todo"),
            "is_current": stage == innovation.stage,
            "reached_on": reached.get(stage.value),
        }
        for stage in Stage
    ]


def _checklist(innovation: Innovation) -> list[dict]:
    ticked = {item.action: item for item in innovation.checklist.all()}
    return [
        {
            "stage": stage,
            "actions": [{"code": code, "label": label, "item": ticked.get(code)} for code, label in actions],
        }
        for stage, actions in ACTIONS.items()
    ]


def _lessons(innovation: Innovation) -> list[dict]:
    """The lessons learnt, per stage in the cycle's order: what worked and what did not."""
    lessons = {}
    for lesson in innovation.lessons.all():
        lessons.setdefault(lesson.stage, {"stage": Stage(lesson.stage), "worked": [], "did_not_work": []})
        key = "worked" if lesson.kind == LessonKind.WORKED else "did_not_work"
        lessons[lesson.stage][key].append(lesson)
    return [lessons[s] for s in Stage.values if s in lessons]
