"""The site search as plain data: the user's access, labelled facets, hit links, suggestions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from . import SearchQuery, get_engine
from .base import FACETS
from .registry import registry

PER_PAGE = 20


def facet_titles() -> dict[str, str]:
    return {
        "kind": _("Content type"),
        "country": _("Country"),
        "product_line": _("Product line"),
        "stage": _("Stage"),
        "year": _("Year"),
        "topic": _("Topic"),
    }


def kind_labels() -> dict[str, str]:
    return {kind.name: kind.label() for kind in registry.ordered()}


def _labeller(facets: dict[str, dict[str, int]]):
    """Labels of the facet values counted: product lines and each app's labels read once."""
    from portal.accounts.models import ProductLine

    lines = {line.code: str(line) for line in ProductLine.objects.all()}
    kinds = kind_labels()
    read = {
        facet: labeller(sorted(facets.get(facet, {})))
        for facet, labeller in registry.facet_value_labels.items()
        if facets.get(facet)
    }

    def label(facet: str, value: str) -> str:
        if facet in read:
            return read[facet].get(value, value)
        if facet == "kind":
            return kinds.get(value, value)
        if facet == "country":
            return str(countries.name(value)) or value
        if facet == "product_line":
            return lines.get(value, value)
        if facet in registry.facet_labels:
            return registry.facet_labels[facet](value)
        return value

    return label


def access_for(user) -> dict:
    """What the user may find of each registered kind (checked inside every query)."""
    return {kind.name: kind.access(user) for kind in registry.ordered()}


def parse_query(params, *, language: str, user, per_page: int = PER_PAGE) -> SearchQuery:
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
        access=access_for(user),
        filters=filters,
        sort=sort,
        page=min(page, 10_000),
        per_page=per_page,
    )


def _hit(hit, kinds: dict) -> dict:
    return {
        "kind": hit.kind,
        "kind_label": kinds.get(hit.kind, hit.kind),
        "title": hit.title,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "url": hit.url,
        "language": hit.language,
        "date": hit.date.isoformat() if hit.date else None,
        "year": hit.year,
        "countries": hit.countries,
        "product_lines": hit.product_lines,
        "stage": hit.stage,
        "topics": hit.topics,
    }


def site_search(*, params, user, language: str) -> dict:
    """Run the search for a request's parameters; plain data for the page and the JSON endpoint."""
    query = parse_query(params, language=language, user=user)
    engine = get_engine()
    response = engine.search(query)
    last_page = max(1, -(-response.total // query.per_page))
    if query.page > last_page:  # a page past the end (an old link, a typed number): the last one
        query.page = last_page
        response = engine.search(query)
    label = _labeller(response.facets)
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
    return {
        "q": query.q,
        "corrected": response.corrected,
        "only_stop_words": query.only_stop_words,
        "filters": query.filters,
        "sort": query.sort,
        "total": response.total,
        "page": query.page,
        "num_pages": max(1, -(-response.total // query.per_page)),
        "hits": [_hit(hit, kinds) for hit in response.hits],
        "facets": facets,
        "engine": response.engine,
    }


def suggestions(*, params, user, language: str) -> list[dict]:
    """Titles for search as you type (the last word is a prefix), only what the user may find."""
    query = parse_query(params, language=language, user=user, per_page=8)
    if len(query.q) < 2:
        return []
    kinds = kind_labels()
    return [
        {"title": hit.title, "url": hit.url, "kind": hit.kind, "kind_label": kinds.get(hit.kind, hit.kind)}
        for hit in get_engine().suggest(query)
    ]
