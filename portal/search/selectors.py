"""The site search as plain data: the user's visibility, hidden research, labelled facets, hit links."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django_countries import countries

from research.labels import facet_titles, kind_labels

from . import SearchQuery, get_engine
from .base import FACETS
from .documents import LESSON, RESEARCH

PER_PAGE = 20


def _labeller():
    from pilots.cycle import Stage
    from portal.accounts.models import ProductLine

    lines = {line.code: str(line) for line in ProductLine.objects.all()}
    stages = {stage.value: str(stage.label) for stage in Stage}
    kinds = kind_labels()

    def label(facet: str, value: str) -> str:
        if facet == "kind":
            return kinds.get(value, value)
        if facet == "country":
            return str(countries.name(value)) or value
        if facet == "product_line":
            return lines.get(value, value)
        if facet == "stage":
            return stages.get(value, value)
        return value

    return label


def _hit_url(hit) -> str:
    if hit.kind == RESEARCH:
        return hit.url
    try:
        url = reverse("pilots:detail", kwargs={"slug": hit.innovation_slug})
    except NoReverseMatch:
        return ""
    return f"{url}#lesson-{hit.object_id}" if hit.kind == LESSON else url


def visible_innovation_ids(user) -> frozenset[int]:
    from pilots.models import Innovation

    return frozenset(Innovation.objects.visible_to(user).values_list("pk", flat=True))


def hidden_research_ids() -> frozenset[int]:
    """Research pages no search may return, whoever asks: the same rule as the research
    list and feeds (`research.selectors.public_reports`), checked at query time."""
    from research.selectors import hidden_report_ids

    return hidden_report_ids()


def parse_query(params, *, language: str, user) -> SearchQuery:
    try:
        page = max(int(params.get("page", 1)), 1)
    except (TypeError, ValueError):
        page = 1
    filters = {
        name: list(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))[:20]
        for name in FACETS
        if hasattr(params, "getlist")
    }
    sort = params.get("sort") if params.get("sort") in ("relevance", "date") else "relevance"
    return SearchQuery(
        q=params.get("q", "").strip()[:200],
        language=language,
        visible_innovation_ids=visible_innovation_ids(user),
        hidden_research_ids=hidden_research_ids(),
        filters=filters,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
    )


def site_search(*, params, user, language: str) -> dict:
    """Run the search for a request's parameters; plain data for the page and the JSON endpoint."""
    query = parse_query(params, language=language, user=user)
    engine = get_engine()
    response = engine.search(query)
    last_page = max(1, -(-response.total // query.per_page))
    if query.page > last_page:  # a page past the end (an old link, a typed number): the last one
        query.page = last_page
        response = engine.search(query)
    label = _labeller()
    kinds = kind_labels()
    titles = facet_titles()
    facets = []
    for name in FACETS:
        counts = response.facets.get(name, {})
        values = [
            {
                "value": value,
                "label": label(name, value),
                "count": count,
                "selected": value in query.filters.get(name, []),
            }
            for value, count in counts.items()
        ]
        if name == "year":
            values.sort(key=lambda item: item["value"], reverse=True)
        else:
            values.sort(key=lambda item: (-item["count"], item["label"]))
        facets.append({"name": name, "title": titles[name], "values": values})
    hits = [
        {
            "kind": hit.kind,
            "kind_label": kinds.get(hit.kind, hit.kind),
            "title": hit.title,
            "title_html": hit.title_html,
            "snippet_html": hit.snippet_html,
            "url": _hit_url(hit),
            "date": hit.date.isoformat() if hit.date else None,
            "year": hit.year,
            "countries": hit.countries,
            "product_lines": hit.product_lines,
            "stage": hit.stage,
        }
        for hit in response.hits
    ]
    num_pages = max(1, -(-response.total // query.per_page))
    return {
        "q": query.q,
        "filters": query.filters,
        "sort": query.sort,
        "total": response.total,
        "page": query.page,
        "num_pages": num_pages,
        "hits": hits,
        "facets": facets,
        "engine": response.engine,
    }
