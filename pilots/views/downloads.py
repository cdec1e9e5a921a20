"""The pages' files: an innovation's indicators (CSV) and series (CSV, XLSX), and the
dashboard's targets or one of its breakdowns (CSV, XLSX). The tables are `pilots.exports`'."""

from django.http import HttpResponse
from django.utils import timezone

from portal.cache import cached
from portal.downloads import download
from portal.permissions import is_staff

from ..exports import SUMMARY_TABLES, indicators_table, series_table, summary_table, targets_table
from ..progress import ensure_current
from ..selectors import portfolio_targets
from ..viewing import dashboard_selection, query_key, visible_innovation


def indicators_csv(request, slug: str):
    """The numbers of the page's charts, one row per indicator, as CSV."""
    innovation = visible_innovation(request, slug)
    return download(indicators_table(innovation), filename=f"{innovation.slug}-indicators", fmt="csv")


def series_download(request, slug: str, fmt: str):
    """Every measurement and every target of every indicator, one row each, as CSV or XLSX."""
    innovation = visible_innovation(request, slug)
    data = series_table(innovation, staff=is_staff(request.user))
    return download(data, filename=f"{innovation.slug}-series", fmt=fmt)


def dashboard_download(request, fmt: str) -> HttpResponse:
    """The dashboard's targets (or one of its breakdowns: `table`) as CSV or XLSX, with its
    filters. The file is kept in the cache like the page's body, per viewer scope, language,
    day, query and the versions of the viewer's portfolio: a write to one of its innovations
    makes the next download new."""

    def build() -> dict:
        ensure_current()
        filterset, query, summary = dashboard_selection(request)
        table = request.GET.get("table")
        if table in SUMMARY_TABLES:
            response = download(summary_table(summary, table), filename=f"portfolio-{table}", fmt=fmt)
        else:
            response = download(targets_table(portfolio_targets(filterset.qs)), filename="portfolio-targets", fmt=fmt)
        return {"content": response.content, "headers": dict(response.items())}

    kept = cached(
        "dashboard-download",
        user=request.user,
        params={"day": timezone.localdate(), "query": query_key(request)},
        compute=build,
    )
    response = HttpResponse(kept["content"])
    for header, value in kept["headers"].items():
        response[header] = value
    return response
