"""What the semester reports show: one innovation's (`report_context`) and the filtered
portfolio's (`portfolio_report_context`), the semesters one can ask for, and the HTML the
PDFs are printed from (`report_pdf_html`, called by the task worker in `pilots.report_files`).

The views in `pilots.views.reports` only read the request and render these.
"""

import datetime
import re
from collections import Counter

from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.links import absolute_url
from portal.permissions import is_staff

from . import services
from .cycle import Stage
from .forms import PeriodReportForm
from .models import Innovation, PeriodReport
from .report_charts import bar_chart, indicator_chart
from .reports import filters_in_words, latest_period_with_data, letterhead
from .selectors import Status, innovation_health, overall_status, progress_as_of, stage_on, with_page_data
from .viewing import innovation_filter, visible_innovation

PORTFOLIO_REPORT_LIMIT = 50  # innovations in one portfolio report; the filters narrow it


def period(year: int, semester: int) -> PeriodReport:
    """The semester `year`-S`semester` (not saved); a 404 for one that cannot be."""
    if semester not in (1, 2) or not datetime.MINYEAR < year < datetime.MAXYEAR:
        raise Http404(_("No such period."))
    return PeriodReport(year=year, semester=semester)


def semesters(today, first: datetime.date | None = None) -> list[PeriodReport]:
    """The semesters a report can be asked for, newest first: from `first` (by default the
    earliest start of an innovation) to the current one."""
    first = first or Innovation.objects.order_by("started_on").values_list("started_on", flat=True).first() or today
    every = [period(year, semester) for year in range(today.year, first.year - 1, -1) for semester in (2, 1)]
    return [p for p in every if p.starts_on <= today and p.ends_on >= first]


def last_complete_semester(today) -> PeriodReport:
    return period(today.year - 1, 2) if today.month <= 6 else period(today.year, 1)


def _default_semester(innovations, today) -> PeriodReport:
    """The semester a report opens on: the latest with data (`latest_period_with_data`), or the
    last complete one when nothing happened yet."""
    return latest_period_with_data(innovations, today) or last_complete_semester(today)


def chosen_period(request, innovations: QuerySet[Innovation]) -> PeriodReport:
    """The period of `?period=2011-S1`; when missing or not a period, the latest semester with
    data for `innovations`."""
    match = re.fullmatch(r"(\d{4})-S([12])", request.GET.get("period", ""))
    return period(int(match[1]), int(match[2])) if match else _default_semester(innovations, timezone.localdate())


def _report_section(innovation: Innovation, period: PeriodReport, report: PeriodReport | None) -> dict:
    """One innovation's part of a semester's report: the figures as they stood at its end and
    their charts, its milestones due and done in it, the narrative."""
    milestones = list(innovation.milestones.all())
    progress = progress_as_of(innovation, period.ends_on)
    figures = [p for p in progress if p.target is not None or p.actual is not None]
    return {
        "innovation": innovation,
        "report": report,
        "stage": Stage(stage_on(innovation, period.ends_on)),
        "health": (health := overall_status(progress)),
        "health_label": Status.LABELS[health],
        "state": innovation_health(progress, as_of=period.ends_on),  # the health with its freshness
        "figures": figures,
        "charts": [chart for p in figures if (chart := indicator_chart(p))],
        "due": (due := [m for m in milestones if period.starts_on <= m.planned_date <= period.ends_on]),
        "done": (
            done := [m for m in milestones if m.actual_date and period.starts_on <= m.actual_date <= period.ends_on]
        ),
        "has_milestones_in_period": bool(due or done),
    }


def report_context(request, innovation: Innovation, year: int, semester: int, form=None) -> dict:
    """A semester's report of one innovation, and for staff the form to write its narrative."""
    chosen = period(year, semester)
    report = innovation.period_reports.filter(year=year, semester=semester).first()
    staff = is_staff(request.user)
    if staff and form is None:
        initial = {"expected_updated_at": report.updated_at} if report else {}
        if report:
            initial |= {name: getattr(report, name) for name in services.REPORT_TEXTS}
        form = PeriodReportForm(initial=initial)
    page = reverse("pilots:period_report", kwargs={"slug": innovation.slug, "year": year, "semester": semester})
    return {
        **_report_section(innovation, chosen, report),
        "period": chosen,
        "is_staff": staff,
        "form": form,
        "writes_narrative": staff and form is not None,
        "letterhead": letterhead(request),
        "page_url": absolute_url(page),
    }


def portfolio_report_context(request, year: int, semester: int) -> dict:
    """The report of a semester for the innovations the viewer may see that had begun by its
    end, narrowed by the dashboard's filters: a summary row and a section per innovation (at most
    `PORTFOLIO_REPORT_LIMIT`, by title)."""
    chosen = period(year, semester)
    filterset = innovation_filter(request)
    selected = filterset.qs.filter(started_on__lte=chosen.ends_on)  # begun by the period's end
    total = selected.count()
    innovations = list(with_page_data(selected.order_by("title", "pk"))[:PORTFOLIO_REPORT_LIMIT])
    reports = {
        r.innovation_id: r
        for r in PeriodReport.objects.filter(innovation__in=[i.pk for i in innovations], year=year, semester=semester)
    }
    query = request.GET.copy()
    query.pop("period", None)
    sections = [_report_section(i, chosen, reports.get(i.pk)) for i in innovations]
    page = reverse("pilots:portfolio_report", kwargs={"year": year, "semester": semester})
    return {
        "period": chosen,
        "filter": filterset,
        "filters_applied": filters_in_words(filterset),
        "query": query.urlencode(),
        "filters_open": bool(query.urlencode() or filterset.errors),
        "sections": sections,
        "charts": _portfolio_charts(sections) if sections else [],
        "total": total,
        "limit": PORTFOLIO_REPORT_LIMIT,
        "semesters": semesters(timezone.localdate()),
        "is_staff": is_staff(request.user),
        "letterhead": letterhead(request),
        "page_url": absolute_url(f"{page}?{query.urlencode()}" if query else page),
    }


def _portfolio_charts(sections: list[dict]) -> list[dict]:
    """The report's innovations by stage and by health at the period's end, as the dashboard
    counts them today (`stage_figure`, the health table)."""
    stages = Counter(s["stage"] for s in sections)
    health = Counter(s["health"] for s in sections)
    return [
        bar_chart(
            _("Innovations by stage at the end of the period"),
            [{"label": stage.label, "count": stages[stage]} for stage in Stage],
        ),
        bar_chart(
            _("Innovations by health at the end of the period"),
            [{"label": Status.LABELS[key], "count": health[key], "status": key} for key in Status.ORDER if health[key]],
        ),
    ]


def report_pdf_html(request, *, kind: str, year: int, semester: int, slug: str = "") -> str:
    """The HTML that WeasyPrint prints, for `request`'s viewer (`pilots.report_files` renders it
    in the task worker, with the request the viewer made)."""
    if kind == "period":
        innovation = visible_innovation(request, slug)
        context = report_context(request, innovation, year, semester) | {"form": None, "writes_narrative": False}
        template = "pilots/period_report_pdf.html"
    else:
        context = portfolio_report_context(request, year, semester)
        template = "pilots/portfolio_report_pdf.html"
    context["letterhead"] = letterhead(request, inline_logo=True)
    return render_to_string(template, context, request=request)
