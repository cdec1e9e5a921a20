"""Innovation pages: the public list and page, and the staff quick forms.

Views are thin: visibility comes from `Innovation.objects.visible_to`, numbers
from `pilots.selectors`, writes from `pilots.services`.
"""

import datetime
import re
import time
import uuid
from collections import Counter
from functools import wraps

import tablib
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts.models import Funder
from portal.accounts.people import display_person
from portal.cache import CSRF_PLACEHOLDER, cached, render_cached
from portal.cache import subject as cache_subject
from portal.downloads import CONTENT_TYPES, download
from portal.links import absolute_url
from research.selectors import research_for_innovation

from . import history, report_files, services
from .charts import indicator_figure, participants_figure, progress_figure, stage_figure
from .cycle import ACTIONS, Stage, stage_number
from .filters import InnovationFilter
from .forms import (
    AdvanceStageForm,
    ChecklistTickForm,
    MeasurementForm,
    MilestoneDoneForm,
    MilestoneForm,
    PeriodReportForm,
    add_service_errors,
)
from .funded import funded_landing
from .models import Innovation, LessonKind, Milestone, PeriodReport
from .pricing.signs import pricing_of, warning_signs_of
from .progress import ensure_current
from .report_charts import bar_chart, indicator_chart
from .reporting.selectors import pending_for, sources_by_indicator, sources_of, to_report
from .reports import filters_in_words, innovation_semester_to_open, latest_period_with_data, letterhead, semester_of
from .selectors import (
    PAGE_MEASUREMENTS,
    Status,
    funding_by_stage,
    innovation_for_detail,
    innovation_for_page,
    innovation_health,
    innovation_progress,
    measurements_newest_first,
    overall_status,
    overdue_milestones,
    page_measurements,
    participants_over_time,
    portfolio_summary,
    portfolio_targets,
    progress_as_of,
    stage_on,
    stored_progress,
    target_row,
    with_page_data,
    with_stored_progress,
)

PAGE_SIZE = 20
DASHBOARD_PAGE_SIZE = 30
LATE_MILESTONES_SHOWN = 20

# The dashboard's breakdowns as downloads (`?table=<name>&format=csv|xlsx`): each one's
# title, its rows in `portfolio_summary`, and its columns (header, key).
SUMMARY_TABLES = {
    "stages": (
        gettext_lazy("Innovations by stage"),
        "by_stage",
        [(gettext_lazy("Stage"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "health": (
        gettext_lazy("Health of the portfolio"),
        "health",
        [(gettext_lazy("Status"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "reach": (
        gettext_lazy("Reach against targets"),
        "reach",
        [
            (gettext_lazy("What is counted"), "label"),
            (gettext_lazy("Actual"), "actual"),
            (gettext_lazy("Target"), "target"),
            (gettext_lazy("Progress (%)"), "percent"),
            (gettext_lazy("Indicators"), "indicators"),
            (gettext_lazy("Indicators with data"), "reporting"),
            (gettext_lazy("Innovations"), "innovations"),
        ],
    ),
    "countries": (
        gettext_lazy("Innovations by country"),
        "by_country",
        [(gettext_lazy("Country"), "label"), (gettext_lazy("Code"), "code"), (gettext_lazy("Innovations"), "count")],
    ),
    "product-lines": (
        gettext_lazy("Innovations by product line"),
        "by_product_line",
        [(gettext_lazy("Product line"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "funding": (
        gettext_lazy("Disclosed funding"),
        "funding",
        [
            (gettext_lazy("Funder"), "funder"),
            (gettext_lazy("Currency"), "currency"),
            (gettext_lazy("Amount"), "amount"),
        ],
    ),
    "funding-by-stage": (
        gettext_lazy("Disclosed funding by stage"),
        "funding_by_stage",
        [
            (gettext_lazy("Stage"), "label"),
            (gettext_lazy("Funder"), "funder"),
            (gettext_lazy("Currency"), "currency"),
            (gettext_lazy("Amount"), "amount"),
            (gettext_lazy("Share (%)"), "share"),
        ],
    ),
}


def _is_staff(request) -> bool:
    return getattr(request.user, "is_association_staff", False)  # anonymous users have no role


HISTORY_SHOWN = 30  # the latest changes on the innovation page; the admin lists more


def _innovation_filter(request) -> InnovationFilter:
    """The innovations the viewer may see, narrowed by the list's filters (list, dashboard, reports)."""
    return InnovationFilter(request.GET or None, queryset=Innovation.objects.visible_to(request.user), request=request)


def _query_key(request) -> list:
    """The query string as part of a cache key (order of parameters kept out of it)."""
    return sorted(request.GET.lists())


def innovation_list(request):
    return render_cached(
        request,
        name="innovation-list",
        page_template="pilots/innovation_list.html",
        body_template="pilots/includes/list_body.html",
        params=_query_key(request),
        context=lambda: _list_context(request),
    )


def _list_context(request) -> dict:
    ensure_current()  # only when the body is computed: a cached body was computed from current progress
    filterset = _innovation_filter(request)
    page = Paginator(with_stored_progress(filterset.qs), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for innovation in page.object_list:
        progress = [stored_progress(indicator) for indicator in innovation.indicators.all()]
        headline = next((p for p in progress if p.target is not None), progress[0] if progress else None)
        rows.append(
            {
                "innovation": innovation,
                "stage_number": stage_number(innovation.stage),
                "headline": headline,
                "funders": sorted({c.funder.display_name for c in innovation.contributions.all()}),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "rows": rows, "query": query.urlencode()}


def _get_visible(request, slug: str, *, load=innovation_for_page) -> Innovation:
    """The innovation if the viewer may see it (else a 404), loaded by `load` (what the page reads)."""
    try:
        return load(Innovation.objects.visible_to(request.user), slug)
    except Innovation.DoesNotExist as missing:
        raise Http404(_("No innovation found.")) from missing


def _detail_context(request, innovation: Innovation, **forms) -> dict:
    today = timezone.localdate()
    measured = page_measurements(innovation)  # every value as a tuple; as models, only those shown
    progress = innovation_progress(innovation, today=today, rows={pk: m.rows for pk, m in measured.items()})
    indicators = [
        {
            "progress": p,
            "figure_id": f"figure-{p.indicator.pk}",
            "figure": indicator_figure(p),
            "measurements": (shown := measured[p.indicator.pk]),
            "latest_series": p.series[::-1][:PAGE_MEASUREMENTS],  # the latest points, newest first
            "all_url": reverse("pilots:indicator_measurements", args=[innovation.slug, p.indicator.pk]),
            "by_participant": shown.by_participant,
            "sources": sources_of(shown.behind, rule=p.rule),
        }
        for p in progress
    ]
    changes = list(innovation.stage_changes.all())
    reached = {c.to_stage: c.decided_on for c in changes}
    current = stage_number(innovation.stage)
    timeline = [
        {
            "stage": stage,
            "number": stage_number(stage),
            "state": "current" if stage == innovation.stage else ("done" if stage_number(stage) < current else "todo"),
            "reached_on": reached.get(stage.value),
        }
        for stage in Stage
    ]
    ticked = {item.action: item for item in innovation.checklist.all()}
    checklist = [
        {
            "stage": stage,
            "actions": [{"code": code, "label": label, "item": ticked.get(code)} for code, label in actions],
        }
        for stage, actions in ACTIONS.items()
    ]
    milestones = [{"milestone": m, "late": m.is_late(today)} for m in innovation.milestones.all()]
    lessons = {}
    for lesson in innovation.lessons.all():
        lessons.setdefault(lesson.stage, {"stage": Stage(lesson.stage), "worked": [], "did_not_work": []})
        key = "worked" if lesson.kind == LessonKind.WORKED else "did_not_work"
        lessons[lesson.stage][key].append(lesson)
    is_staff = _is_staff(request)
    context = {
        "innovation": innovation,
        "indicators": indicators,
        "health": overall_status(progress),
        "health_label": Status.LABELS[overall_status(progress)],
        "freshness": innovation_health(progress, as_of=today),
        "timeline": timeline,
        "stage_changes": sorted(changes, key=lambda c: (c.decided_on, c.created_at), reverse=True),
        "checklist": checklist,
        "milestones": milestones,
        "late_count": sum(1 for m in milestones if m["late"] and m["milestone"].status != "done"),
        "participants": list(innovation.participations.all()),
        "pricing": pricing_of([innovation])[innovation.pk],
        "history": history.changes(innovation=innovation, limit=HISTORY_SHOWN) if is_staff else [],
        "participants_figure": participants_figure(joined)
        if (joined := participants_over_time(innovation, today))
        else None,
        "funding": funding_by_stage(innovation),
        "reports": (reports := list(innovation.period_reports.all())),
        "this_period": semester_of(today),
        "semesters": _semesters(today, innovation.started_on),
        # The period chooser opens on the latest semester with data, not on an empty one.
        "report_semester": innovation_semester_to_open(
            innovation, reports, today, measured_on=[row[0] for m in measured.values() for row in m.rows]
        )
        or last_complete_semester(today),
        "lessons": [lessons[s] for s in Stage.values if s in lessons],
        "evaluation": list(innovation.evaluation_answers.all()),
        "is_staff": is_staff,
        "research": _research_for(innovation, request),
        "to_report": to_report(user=request.user, today=today, innovation=innovation),
        "pending_reports": pending_for(innovation) if is_staff else [],
        "reporting_plan": getattr(innovation, "reporting_plan", None),
    }
    if is_staff:
        context["measurement_form"] = forms.get("measurement_form") or MeasurementForm(innovation=innovation)
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm(innovation=innovation)
        context["stage_form"] = forms.get("stage_form") or AdvanceStageForm(innovation=innovation)
        context["open_form"] = forms.get("open_form", "")
    return context


def _research_for(innovation: Innovation, request) -> list:
    return research_for_innovation(innovation=innovation, language_code=request.LANGUAGE_CODE)


# Stands for the measurement form's one-time submission key in a cached staff page.
SUBMISSION_PLACEHOLDER = uuid.UUID("00000000-0000-4000-8000-00000000cafe")


def innovation_detail(request, slug: str):
    """The innovation's page. Its body is cached per viewer scope (see `render_cached`); staff
    pages carry forms, whose CSRF token and one-time submission key are filled in per request."""
    staff = _is_staff(request)

    def context() -> dict:
        innovation = _get_visible(request, slug, load=innovation_for_detail)  # a 404 is raised, not cached
        forms = {}
        if staff:
            forms["measurement_form"] = MeasurementForm(
                innovation=innovation, initial={"submission_key": SUBMISSION_PLACEHOLDER}
            )
        return {
            **_detail_context(request, innovation, **forms),
            "title": innovation.display_title,
            **({"csrf_token": CSRF_PLACEHOLDER} if staff else {}),
        }

    fill = {
        CSRF_PLACEHOLDER: lambda: get_token(request),
        str(SUBMISSION_PLACEHOLDER): lambda: str(uuid.uuid4()),
    }
    pk = Innovation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404(_("No innovation found."))
    return render_cached(
        request,
        name="innovation-page",
        depends=[cache_subject("innovation", pk)],  # this innovation's version: writes to others keep it
        page_template="pilots/innovation_detail.html",
        body_template="pilots/includes/innovation_body.html",
        params={"slug": slug},
        context=context,
        keep=("title",),
        fill=fill if staff else None,
    )


MEASUREMENTS_PAGE_SIZE = 50


def indicator_measurements(request, slug: str, pk: int):
    """Every measurement of one indicator, newest first, a page at a time: the innovation's page
    shows the latest few and links here. Seen by whoever may see the innovation."""
    innovation = _get_visible(request, slug, load=lambda visible, slug: visible.get(slug=slug))
    indicator = get_object_or_404(innovation.indicators, pk=pk)
    paginator = Paginator(measurements_newest_first(indicator), MEASUREMENTS_PAGE_SIZE)
    context = {
        "innovation": innovation,
        "indicator": indicator,
        "page": paginator.get_page(request.GET.get("page")),
        "is_staff": _is_staff(request),
    }
    return render(request, "pilots/indicator_measurements.html", context)


def staff_action(view):
    """Staff-only POST endpoint: anonymous users go to the login page, others get 403."""

    @require_POST
    @wraps(view)
    def wrapper(request, slug):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_association_staff:
            raise PermissionDenied(_("Only association staff can change innovations."))
        return view(request, get_object_or_404(Innovation, slug=slug))

    return wrapper


def _rerender(request, innovation: Innovation, form_name: str, form) -> HttpResponse:
    """Show the page again with the person's input and the reasons it was refused."""
    innovation = innovation_for_detail(Innovation.objects.all(), innovation.slug)
    context = _detail_context(request, innovation, **{form_name: form, "open_form": form_name})
    return render(request, "pilots/innovation_detail.html", context, status=400)


@staff_action
def log_measurement(request, innovation: Innovation):
    form = MeasurementForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            data = form.cleaned_data
            measurement = services.measurement_record(
                indicator=data["indicator"],
                measured_on=data["measured_on"],
                value=data["value"],
                source=data["source"],
                participation=data["participation"],
                submission_key=data["submission_key"],
                user=request.user,
                confirm_override=form.override_confirmed,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Measurement logged: %(indicator)s = %(value)s on %(date)s.")
                % {
                    "indicator": measurement.indicator.display_name,
                    "value": measurement.value,
                    "date": measurement.measured_on,
                },
            )
            return redirect(innovation.get_absolute_url() + "#indicators")
    return _rerender(request, innovation, "measurement_form", form)


@staff_action
def record_milestone(request, innovation: Innovation):
    form = MilestoneForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            milestone = services.milestone_record(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Milestone recorded: %(title)s.") % {"title": milestone.display_title})
            return redirect(innovation.get_absolute_url() + "#milestones")
    return _rerender(request, innovation, "milestone_form", form)


@staff_action
def complete_milestone(request, innovation: Innovation):
    form = MilestoneDoneForm(request.POST)
    form.fields["milestone"].queryset = Milestone.objects.filter(innovation=innovation)
    anchor = ""  # refused: the page's top, where the message is (static/js/error_summary.js focuses it)
    if form.is_valid():
        try:
            milestone = services.milestone_update(
                milestone=form.cleaned_data["milestone"],
                user=request.user,
                actual_date=form.cleaned_data["actual_date"],
                status="done",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Milestone marked as done: %(title)s.") % {"title": milestone.display_title})
            anchor = "#milestones"
    else:
        messages.error(request, _("Give the date the milestone was completed."))
    return redirect(innovation.get_absolute_url() + anchor)


@staff_action
def tick_checklist(request, innovation: Innovation):
    form = ChecklistTickForm(request.POST)
    anchor = ""  # refused: the page's top, where the message is (static/js/error_summary.js focuses it)
    if form.is_valid():
        try:
            item = services.checklist_tick(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ticked: %(action)s.") % {"action": item.get_action_display()})
            anchor = "#checklist"
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(innovation.get_absolute_url() + anchor)


@staff_action
def advance_stage(request, innovation: Innovation):
    form = AdvanceStageForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            change = services.innovation_advance_stage(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stage changed to %(stage)s.") % {"stage": Stage(change.to_stage).label})
            return redirect(innovation.get_absolute_url() + "#stage")
    return _rerender(request, innovation, "stage_form", form)


def _progress_headers() -> list[str]:
    return [
        _("Target"),
        _("Due date"),
        _("Actual"),
        _("Actual date"),
        _("Progress (%)"),
        _("Status"),
        _("At this pace, by the due date"),
        _("At this pace, target reached on"),
        _("Report overdue since"),
        _("MFIs with reports overdue"),
    ]


def _progress_cells(p) -> list:
    """The progress columns shared by both downloads: target, due date, actual, its "as of"
    date, %, status, the projection (the value on the due date, the day the target is met) and
    what is overdue (since when, from which MFIs).
    Numbers and dates stay themselves: `portal.downloads` writes them for the reader."""
    course, overdue = p.projection, p.overdue
    return [
        p.target.value if p.target else None,
        p.target.due_date if p.target else None,
        p.actual,
        p.actual_date,
        p.percent,
        p.status_label,
        course.at_due if course else None,
        course.reached_on if course else None,
        overdue.since if overdue else None,
        ", ".join(overdue.institutions) if overdue else "",
    ]


def indicators_csv(request, slug: str):
    """The numbers of the page's charts, one row per indicator, as CSV."""
    innovation = _get_visible(request, slug)
    data = tablib.Dataset(headers=[_("Indicator"), _("Unit"), _("Target stage"), *_progress_headers()])
    for p in innovation_progress(innovation):
        data.append(
            [
                p.indicator.display_name,
                p.indicator.get_unit_display(),
                p.target.get_stage_display() if p.target else "",
                *_progress_cells(p),
            ]
        )
    return download(data, filename=f"{innovation.slug}-indicators", fmt="csv")


def series_download(request, slug: str, fmt: str):
    """Every measurement (date, value, source, participant MFI; for staff, who logged it) and
    every target of every indicator, one row each, as CSV or XLSX."""
    innovation = _get_visible(request, slug)
    staff = _is_staff(request)
    headers = [_("Indicator"), _("Row"), _("Date"), _("Value"), _("Unit"), _("Stage"), _("Source"), _("Institution")]
    data = tablib.Dataset(headers=[*headers, _("Logged by")] if staff else headers)
    for indicator in innovation.indicators.all():
        unit = indicator.get_unit_display()
        for target in sorted(indicator.targets.all(), key=lambda t: t.due_date):
            row = [indicator.display_name, _("Target"), target.due_date, target.value, unit]
            data.append([*row, target.get_stage_display(), "", ""] + ([""] if staff else []))
        for m in indicator.measurements.all():
            row = [indicator.display_name, _("Actual"), m.measured_on, m.value, unit]
            row += ["", m.source, _institution(m)]
            data.append(row + ([display_person(m.logged_by)] if staff else []))
    data.title = innovation.slug[:31]  # the sheet's name
    return download(data, filename=f"{innovation.slug}-series", fmt=fmt)


def _institution(measurement) -> str:
    return measurement.participation.institution.name if measurement.participation_id else _("Network-wide")


def dashboard(request):
    """Donors and staff follow the portfolio: stages, health, every target against its actual,
    for the innovations they may see, narrowed by the list's filters (the same `InnovationFilter`).

    Everything comes from the stored progress (`pilots.progress`): the aggregates are
    computed by the database and cached per viewer scope; the table reads one page of
    stored rows; the CSV streams them all. The rendered page is cached per viewer scope and
    query: it holds no form of the viewer's own (the filters are a GET form), staff's too."""
    fmt = request.GET.get("format")
    if fmt in CONTENT_TYPES:
        return _dashboard_download(request, fmt)

    def context() -> dict:
        ensure_current()  # only when the body is computed: a cached body was computed from current progress
        filterset, query, summary = _dashboard_selection(request)
        selected = filterset.qs
        # The table (and its chart) show one page of targets; the CSV has them all.
        page = Paginator(portfolio_targets(selected), DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = [target_row(row) for row in page.object_list]
        sources = sources_by_indicator([row["progress"] for row in page.object_list])
        for row in page.object_list:
            row["sources"] = sources[row["progress"].indicator.pk]
        overdue = overdue_milestones(selected, timezone.localdate())
        return {
            "warning_signs": warning_signs_of(selected.order_by("title")),  # stored with the progress
            "filter": filterset,
            "summary": summary,
            "page": page,
            "query": query.urlencode(),
            "stage_figure": summary["stage_figure"],
            "overdue": overdue[:LATE_MILESTONES_SHOWN],
            "overdue_count": overdue.count(),
            "progress_figure": progress_figure(page.object_list),
        }

    return render_cached(
        request,
        name="dashboard",
        page_template="pilots/dashboard.html",
        body_template="pilots/includes/dashboard_body.html",
        params=_query_key(request),
        context=context,
    )


def _dashboard_selection(request):
    """The viewer's innovations narrowed by the filters, the query string without paging or
    format, and the portfolio's aggregates over them (cached per scope and filters)."""
    filterset = _innovation_filter(request)
    selected = filterset.qs  # what the viewer may see, narrowed by the filters
    query = request.GET.copy()
    for key in ("page", "format", "table"):
        query.pop(key, None)

    def summary_and_figure() -> dict:
        summary = portfolio_summary(selected)
        return {**summary, "stage_figure": stage_figure(summary["by_stage"])}

    summary = cached(
        "portfolio-summary",
        user=request.user,
        params={"today": timezone.localdate(), "filters": sorted(query.lists())},
        compute=summary_and_figure,
    )
    return filterset, query, summary


def _dashboard_download(request, fmt: str) -> HttpResponse:
    """The dashboard's targets (or one of its breakdowns: `table`) as CSV or XLSX, with its
    filters. The file is kept in the cache like the page's body, per viewer scope, language,
    day, query and the versions of the viewer's portfolio: a write to one of its innovations
    makes the next download new."""

    def build() -> dict:
        ensure_current()
        filterset, query, summary = _dashboard_selection(request)
        if request.GET.get("table") in SUMMARY_TABLES:
            response = _summary_download(summary, request.GET["table"], fmt)
        else:
            response = _targets_download(portfolio_targets(filterset.qs), fmt)
        return {"content": response.content, "headers": dict(response.items())}

    kept = cached(
        "dashboard-download",
        user=request.user,
        params={"day": timezone.localdate(), "query": _query_key(request)},
        compute=build,
    )
    response = HttpResponse(kept["content"])
    for header, value in kept["headers"].items():
        response[header] = value
    return response


def _summary_download(summary: dict, table: str, fmt: str) -> HttpResponse:
    """One of the dashboard's breakdowns, with the same filters, as CSV or XLSX."""
    title, key, columns = SUMMARY_TABLES[table]
    data = tablib.Dataset(headers=[str(header) for header, _key in columns], title=str(title)[:31])
    for row in summary[key]:
        data.append([row[name] for _header, name in columns])
    return download(data, filename=f"portfolio-{table}", fmt=fmt)


def _targets_download(targets, fmt: str) -> HttpResponse:
    data = tablib.Dataset(headers=[_("Innovation"), _("Stage"), _("Indicator"), *_progress_headers()])
    for stored in targets.iterator(chunk_size=500):
        row = target_row(stored)
        p = row["progress"]
        data.append(
            [row["innovation"].display_title, row["innovation"].get_stage_display(), p.indicator.display_name]
            + _progress_cells(p)
        )
    return download(data, filename="portfolio-targets", fmt=fmt)


def funded(request):
    """Where a donor lands on signing in: "Innovations you fund" (`pilots.funded`). A donor sees
    its funder's innovations; staff choose a funder (`?funder=<id>`) and see all its innovations,
    the staff-only ones too; anyone else is refused."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    staff = _is_staff(request)
    if not (user.is_donor or staff):
        raise PermissionDenied(_("Only donors and association staff can see what a funder pays for."))
    funders = list(Funder.objects.order_by("name")) if staff else []
    if user.is_donor:
        funder = user.funder
    else:
        funder = next((f for f in funders if str(f.pk) == request.GET.get("funder")), None)
    landing = None
    if funder is not None:
        ensure_current()
        today = timezone.localdate()
        landing = funded_landing(visible=Innovation.objects.visible_to(user), funder=funder, today=today)
    return render(request, "pilots/funded.html", {"landing": landing, "funders": funders, "is_staff": staff})


def _period(year: int, semester: int) -> PeriodReport:
    if semester not in (1, 2) or not datetime.MINYEAR < year < datetime.MAXYEAR:
        raise Http404(_("No such period."))
    return PeriodReport(year=year, semester=semester)


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
        "due": [m for m in milestones if period.starts_on <= m.planned_date <= period.ends_on],
        "done": [m for m in milestones if m.actual_date and period.starts_on <= m.actual_date <= period.ends_on],
    }


def _report_context(request, innovation: Innovation, year: int, semester: int, form=None) -> dict:
    """A semester's report of one innovation, and for staff the form to write its narrative."""
    period = _period(year, semester)
    report = innovation.period_reports.filter(year=year, semester=semester).first()
    is_staff = _is_staff(request)
    if is_staff and form is None:
        initial = {"expected_updated_at": report.updated_at} if report else {}
        if report:
            initial |= {name: getattr(report, name) for name in services.REPORT_TEXTS}
        form = PeriodReportForm(initial=initial)
    page = reverse("pilots:period_report", kwargs={"slug": innovation.slug, "year": year, "semester": semester})
    return {
        **_report_section(innovation, period, report),
        "period": period,
        "is_staff": is_staff,
        "form": form,
        "letterhead": letterhead(request),
        "page_url": absolute_url(page),
    }


def period_report(request, slug: str, year: int, semester: int):
    """The printable report of one semester (GET), and staff writing its narrative (POST)."""
    innovation = _get_visible(request, slug)
    form = None
    if request.method == "POST":
        if not _is_staff(request):
            raise PermissionDenied
        form = PeriodReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.period_report_save(
                    innovation=innovation,
                    year=year,
                    semester=semester,
                    user=request.user,
                    expected_updated_at=data["expected_updated_at"],
                    **{name: data[name] for name in services.REPORT_TEXTS},
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Report saved."))
                return redirect("pilots:period_report", slug=slug, year=year, semester=semester)
    context = _report_context(request, innovation, year, semester, form)
    status = 400 if form is not None and form.errors else 200
    return render(request, "pilots/period_report.html", context, status=status)


def _pdf(request, *, kind: str, year: int, semester: int, slug: str = "", filename: str, depends=None) -> HttpResponse:
    """A report's PDF, from its file rendered once per viewer scope, filters and data version by
    the task worker (`pilots.report_files`). Until it is ready, a page that says so and reloads
    itself; when the render failed, the message and a button to try again (POST). The caller
    has checked that the viewer may see the report: it is checked on every request. `depends`:
    the versions the report shows (`portal.cache.cache_key`; by default the viewer's portfolio)."""
    query = request.GET.copy()
    waited = query.pop("wait", None) is not None  # from the waiting page: show "ready" with a link
    job = report_files.report_job(request, kind=kind, year=year, semester=semester, slug=slug, query=query.urlencode())
    report = report_files.report_file(job, user=request.user, letterhead=letterhead(request), depends=depends)
    state = report_files.report_request(report, job=job, retry=request.method == "POST")
    file_url = f"{request.path}?{query.urlencode()}" if query else request.path
    query["wait"] = "1"
    wait_url = f"{request.path}?{query.urlencode()}"
    if request.method == "POST":
        return redirect(wait_url)
    if state.status == report_files.READY and not waited:
        pdf = report_files.report_content(report)
        if pdf is not None:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
            return response
        state = report_files.report_request(report, job=job)  # deleted as old meanwhile: render it again
    context = {
        "state": state.status,
        "file_url": file_url,
        "wait_url": wait_url,
        "filename": f"{filename}.pdf",
        # Longer than the longest render: the worker is busy with others, or not running.
        "slow": state.status == report_files.RENDERING and time.time() - state.since > report_files.SLOW_AFTER,
    }
    status = {report_files.READY: 200, report_files.RENDERING: 202}.get(state.status, 503)
    return render(request, "pilots/report_pdf_status.html", context, status=status)


def report_pdf_html(request, *, kind: str, year: int, semester: int, slug: str = "") -> str:
    """The HTML that WeasyPrint prints, for `request`'s viewer (`pilots.report_files` renders it
    in the task worker, with the request the viewer made)."""
    if kind == "period":
        innovation = _get_visible(request, slug)
        context = _report_context(request, innovation, year, semester) | {"form": None}
        template = "pilots/period_report_pdf.html"
    else:
        context = _portfolio_report_context(request, year, semester)
        template = "pilots/portfolio_report_pdf.html"
    context["letterhead"] = letterhead(request, inline_logo=True)
    return render_to_string(template, context, request=request)


def period_report_pdf(request, slug: str, year: int, semester: int):
    """The same report as a PDF (WeasyPrint), with the same visibility as the page."""
    innovation = Innovation.objects.visible_to(request.user).filter(slug=slug).only("slug").first()
    if innovation is None:  # checked on every request; the data is read only to render the file
        raise Http404(_("No innovation found."))
    _period(year, semester)
    name = f"{innovation.slug}-{year}-S{semester}"
    return _pdf(
        request,
        kind="period",
        year=year,
        semester=semester,
        slug=innovation.slug,
        filename=name,
        depends=[cache_subject("innovation", innovation.pk)],  # a write to another innovation keeps its file
    )


PORTFOLIO_REPORT_LIMIT = 50  # innovations in one portfolio report; the filters narrow it


def _semesters(today, first: datetime.date | None = None) -> list[PeriodReport]:
    """The semesters a report can be asked for, newest first: from `first` (by default the
    earliest start of an innovation) to the current one."""
    first = first or Innovation.objects.order_by("started_on").values_list("started_on", flat=True).first() or today
    every = [_period(year, semester) for year in range(today.year, first.year - 1, -1) for semester in (2, 1)]
    return [period for period in every if period.starts_on <= today and period.ends_on >= first]


def last_complete_semester(today) -> PeriodReport:
    return _period(today.year - 1, 2) if today.month <= 6 else _period(today.year, 1)


def _default_semester(innovations, today) -> PeriodReport:
    """The semester a report opens on: the latest with data (`latest_period_with_data`), or the
    last complete one when nothing happened yet."""
    return latest_period_with_data(innovations, today) or last_complete_semester(today)


def _chosen_period(request, innovations: QuerySet[Innovation]) -> PeriodReport:
    """The period of `?period=2011-S1`; when missing or not a period, the latest semester with
    data for `innovations`."""
    match = re.fullmatch(r"(\d{4})-S([12])", request.GET.get("period", ""))
    return _period(int(match[1]), int(match[2])) if match else _default_semester(innovations, timezone.localdate())


def period_report_choose(request, slug: str):
    """The innovation page's period chooser: `?period=2011-S1` leads to that semester's report;
    without it, to the latest semester with data."""
    period = _chosen_period(request, Innovation.objects.visible_to(request.user).filter(slug=slug))
    return redirect("pilots:period_report", slug=slug, year=period.year, semester=period.semester)


def portfolio_report_choose(request):
    """The period chooser: `?period=2011-S1` plus the dashboard's filters leads to that report;
    without a period, to the latest semester with data for the innovations they select."""
    period = _chosen_period(request, _innovation_filter(request).qs)
    query = request.GET.copy()
    query.pop("period", None)
    url = reverse("pilots:portfolio_report", kwargs={"year": period.year, "semester": period.semester})
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _portfolio_report_context(request, year: int, semester: int) -> dict:
    """The report of a semester for the innovations the viewer may see that had begun by its
    end, narrowed by the dashboard's filters: a summary row and a section per innovation (at most
    `PORTFOLIO_REPORT_LIMIT`, by title)."""
    period = _period(year, semester)
    filterset = _innovation_filter(request)
    selected = filterset.qs.filter(started_on__lte=period.ends_on)  # begun by the period's end
    total = selected.count()
    innovations = list(with_page_data(selected.order_by("title", "pk"))[:PORTFOLIO_REPORT_LIMIT])
    reports = {
        r.innovation_id: r
        for r in PeriodReport.objects.filter(innovation__in=[i.pk for i in innovations], year=year, semester=semester)
    }
    query = request.GET.copy()
    query.pop("period", None)
    sections = [_report_section(i, period, reports.get(i.pk)) for i in innovations]
    page = reverse("pilots:portfolio_report", kwargs={"year": year, "semester": semester})
    return {
        "period": period,
        "filter": filterset,
        "filters_applied": filters_in_words(filterset),
        "query": query.urlencode(),
        "sections": sections,
        "charts": _portfolio_charts(sections) if sections else [],
        "total": total,
        "limit": PORTFOLIO_REPORT_LIMIT,
        "semesters": _semesters(timezone.localdate()),
        "is_staff": _is_staff(request),
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


def portfolio_report(request, year: int, semester: int):
    """A semester's report of the (filtered) portfolio, as a printable page."""
    return render(request, "pilots/portfolio_report.html", _portfolio_report_context(request, year, semester))


def portfolio_report_pdf(request, year: int, semester: int):
    """The same report as a PDF, with the same visibility and filters as the page."""
    _period(year, semester)
    if _innovation_filter(request).errors:  # the page explains what is wrong with the filters
        return render(request, "pilots/portfolio_report.html", _portfolio_report_context(request, year, semester))
    return _pdf(request, kind="portfolio", year=year, semester=semester, filename=f"portfolio-{year}-S{semester}")
