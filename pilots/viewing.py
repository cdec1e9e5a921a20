"""What a request may see of the tracker: the innovations visible to its viewer, narrowed by
the list's filters, and one visible innovation by its slug (else a 404).

Every page, download and report goes through these, so that visibility
(`Innovation.objects.visible_to`) and the filters (`InnovationFilter`) mean the same
everywhere.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cache import cached

from .charts import stage_figure
from .filters import InnovationFilter
from .models import Innovation
from .selectors import innovation_for_page, portfolio_summary


def innovation_filter(request) -> InnovationFilter:
    """The innovations the viewer may see, narrowed by the list's filters (list, dashboard, reports)."""
    return InnovationFilter(request.GET or None, queryset=Innovation.objects.visible_to(request.user), request=request)


def query_key(request) -> list:
    """The query string as part of a cache key (order of parameters kept out of it)."""
    return sorted(request.GET.lists())


def visible_innovation(request, slug: str, *, load=innovation_for_page) -> Innovation:
    """The innovation if the viewer may see it (else a 404), loaded by `load` (what the page reads)."""
    try:
        return load(Innovation.objects.visible_to(request.user), slug)
    except Innovation.DoesNotExist as missing:
        raise Http404(_("No innovation found.")) from missing


def dashboard_selection(request):
    """The viewer's innovations narrowed by the filters, the query string without paging or
    format, and the portfolio's aggregates over them (cached per scope and filters): what the
    dashboard and its downloads show."""
    filterset = innovation_filter(request)
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
