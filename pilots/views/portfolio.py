"""The portfolio's pages: the innovation list, the dashboard, and "Innovations you fund"."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Funder
from portal.cache import render_cached
from portal.downloads import CONTENT_TYPES
from portal.permissions import is_donor, is_staff

from ..charts import progress_figure
from ..cycle import stage_number
from ..funded import funded_landing
from ..models import Innovation
from ..pricing.signs import warning_signs_of
from ..progress import ensure_current
from ..reporting.selectors import sources_by_indicator
from ..selectors import overdue_milestones, portfolio_targets, stored_progress, target_row, with_stored_progress
from ..viewing import dashboard_selection, innovation_filter, query_key
from .downloads import dashboard_download

PAGE_SIZE = 20
DASHBOARD_PAGE_SIZE = 30
LATE_MILESTONES_SHOWN = 20


def innovation_list(request):
    return render_cached(
        request,
        name="innovation-list",
        page_template="pilots/innovation_list.html",
        body_template="pilots/includes/list_body.html",
        params=query_key(request),
        context=lambda: _list_context(request),
    )


def _list_context(request) -> dict:
    ensure_current()  # only when the body is computed: a cached body was computed from current progress
    filterset = innovation_filter(request)
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


def dashboard(request):
    """Donors and staff follow the portfolio: stages, health, every target against its actual,
    for the innovations they may see, narrowed by the list's filters (the same `InnovationFilter`).

    Everything comes from the stored progress (`pilots.progress`): the aggregates are
    computed by the database and cached per viewer scope; the table reads one page of
    stored rows; the CSV streams them all. The rendered page is cached per viewer scope and
    query: it holds no form of the viewer's own (the filters are a GET form), staff's too."""
    fmt = request.GET.get("format")
    if fmt in CONTENT_TYPES:
        return dashboard_download(request, fmt)

    def context() -> dict:
        ensure_current()  # only when the body is computed: a cached body was computed from current progress
        filterset, query, summary = dashboard_selection(request)
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
        params=query_key(request),
        context=context,
    )


def funded(request):
    """Where a donor lands on signing in: "Innovations you fund" (`pilots.funded`). A donor sees
    its funder's innovations; staff choose a funder (`?funder=<id>`) and see all its innovations,
    the staff-only ones too; anyone else is refused."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    staff = is_staff(user)
    donor = is_donor(user)
    if not (donor or staff):
        raise PermissionDenied(_("Only donors and association staff can see what a funder pays for."))
    funders = list(Funder.objects.order_by("name")) if staff else []
    chosen = request.GET.get("funder")  # staff's choice; a donor sees its own funder's
    funder = user.funder if donor else next((f for f in funders if str(f.pk) == chosen), None)
    landing = None
    if funder is not None:
        ensure_current()
        today = timezone.localdate()
        landing = funded_landing(visible=Innovation.objects.visible_to(user), funder=funder, today=today)
    choices = [{"funder": f, "selected": landing is not None and landing.funder.pk == f.pk} for f in funders]
    context = {"landing": landing, "funders": funders, "funder_choices": choices, "is_staff": staff}
    return render(request, "pilots/funded.html", context)
