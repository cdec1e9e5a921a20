"""The semester reports: one innovation's (with staff writing its narrative) and the filtered
portfolio's, as printable pages and as PDFs rendered by the task worker (`pilots.report_files`).
What they show is `pilots.report_pages`'."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.cache import subject as cache_subject
from portal.permissions import is_staff

from .. import report_files, services
from ..forms import PeriodReportForm, add_service_errors
from ..models import Innovation
from ..report_pages import chosen_period, period, portfolio_report_context, report_context
from ..reports import letterhead
from ..viewing import innovation_filter, visible_innovation


def period_report(request, slug: str, year: int, semester: int):
    """The printable report of one semester (GET), and staff writing its narrative (POST)."""
    innovation = visible_innovation(request, slug)
    form = None
    if request.method == "POST":
        if not is_staff(request.user):
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
    context = report_context(request, innovation, year, semester, form)
    status = 400 if form is not None and form.errors else 200
    return render(request, "pilots/period_report.html", context, status=status)


def period_report_pdf(request, slug: str, year: int, semester: int):
    """The same report as a PDF (WeasyPrint), with the same visibility as the page."""
    innovation = Innovation.objects.visible_to(request.user).filter(slug=slug).only("slug").first()
    if innovation is None:  # checked on every request; the data is read only to render the file
        raise Http404(_("No innovation found."))
    period(year, semester)
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


def period_report_choose(request, slug: str):
    """The innovation page's period chooser: `?period=2011-S1` leads to that semester's report;
    without it, to the latest semester with data."""
    chosen = chosen_period(request, Innovation.objects.visible_to(request.user).filter(slug=slug))
    return redirect("pilots:period_report", slug=slug, year=chosen.year, semester=chosen.semester)


def portfolio_report_choose(request):
    """The period chooser: `?period=2011-S1` plus the dashboard's filters leads to that report;
    without a period, to the latest semester with data for the innovations they select."""
    chosen = chosen_period(request, innovation_filter(request).qs)
    query = request.GET.copy()
    query.pop("period", None)
    url = reverse("pilots:portfolio_report", kwargs={"year": chosen.year, "semester": chosen.semester})
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def portfolio_report(request, year: int, semester: int):
    """A semester's report of the (filtered) portfolio, as a printable page."""
    return render(request, "pilots/portfolio_report.html", portfolio_report_context(request, year, semester))


def portfolio_report_pdf(request, year: int, semester: int):
    """The same report as a PDF, with the same visibility and filters as the page."""
    period(year, semester)
    if innovation_filter(request).errors:  # the page explains what is wrong with the filters
        return render(request, "pilots/portfolio_report.html", portfolio_report_context(request, year, semester))
    return _pdf(request, kind="portfolio", year=year, semester=semester, filename=f"portfolio-{year}-S{semester}")


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
        "rendering": state.status == report_files.RENDERING,
        "ready": state.status == report_files.READY,
        "file_url": file_url,
        "wait_url": wait_url,
        "filename": f"{filename}.pdf",
        # Longer than the longest render: the worker is busy with others, or not running.
        "slow": state.status == report_files.RENDERING and time.time() - state.since > report_files.SLOW_AFTER,
    }
    status = {report_files.READY: 200, report_files.RENDERING: 202}.get(state.status, 503)
    return render(request, "pilots/report_pdf_status.html", context, status=status)
