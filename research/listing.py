"""The research index's list: the filters (django-filter, `filters.ResearchFilter`), text
relevance from the site search engine, sort by date or relevance, pagination.

Kept apart from `selectors` because it builds on the filters, which build on the selectors;
the index page (`models.index`) asks it for its context.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, When
from wagtail.models import Page

from portal.search import SearchQuery, get_engine
from portal.search.registry import Access

from .filters import ResearchFilter
from .selectors import public_reports

PER_PAGE = 10


def research_list(*, index_page: Page, params, user=None) -> dict:
    """The list under `index_page` (a `ResearchIndexPage`) for the query `params`, as template context:
    {"filter", "page_obj", "reports", "sort", "querystring"}."""
    queryset = public_reports().child_of(index_page).prefetch_related("authors", "product_lines", "tags")
    filterset = ResearchFilter(params, queryset=queryset)
    reports = filterset.qs if filterset.is_valid() else queryset.none()
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    words = (cleaned.get("q") or "").strip()
    sort = cleaned.get("sort") or ("relevance" if words else "date")
    if words:
        ranked_ids = _ranked_ids(words, language=index_page.locale.language_code)
        reports = reports.filter(pk__in=ranked_ids)
        if sort == "relevance":
            order = Case(*[When(pk=pk, then=rank) for rank, pk in enumerate(ranked_ids)], output_field=IntegerField())
            reports = reports.order_by(order)
        else:
            reports = reports.order_by("-publication_date", "title")
    else:
        reports = reports.order_by("-publication_date", "title")
    paginator = Paginator(reports, PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page_obj": page_obj,
        "reports": page_obj.object_list,
        "sort": sort,
        "querystring": query.urlencode(),
    }


def _ranked_ids(words: str, *, language: str) -> list[int]:
    """Ids of the research pages matching `words`, best first, from the search engine."""
    response = get_engine().search(
        SearchQuery(
            q=words,
            language=language,
            access={"research": Access.excluding(())},  # the list holds public pages only
            filters={"kind": "research"},
            per_page=1000,
        )
    )
    return [hit.object_id for hit in response.hits]
