"""The site search as plain data: the user's access, labelled facets, hit links, suggestions.

Results and suggestions are kept in the cache per viewer scope, language and parameters
(`portal.cache.cached`), keyed by the versions of what they show: the viewer's portfolio (a
write to an innovation it sees, its lessons or product terms) and the `portal` namespace
(research and Wagtail's pages, privacy, the network); `rebuild_knowledge_index` retires them
all. A repeated search reads one cache entry instead of working out access and querying."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from portal.cache import cached

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


def named_kind_label(named, kinds: dict[str, str]) -> str:
    """ "Lesson learned", or a research study's type ("Case study")."""
    kind = registry.kinds.get(named.kind)
    if named.subtype and kind and kind.subtype_labels:
        return str(kind.subtype_labels().get(named.subtype, named.subtype))
    return kinds.get(named.kind, named.kind)


def access_for(user) -> dict:
    """What the user may find of each registered kind (checked inside every query)."""
    return {kind.name: kind.access(user) for kind in registry.ordered()}


def parse_query(params, *, language: str, user, per_page: int = PER_PAGE) -> SearchQuery:
    try:
        page = max(int(params.get("page", 1)), 1)
    except (TypeError, ValueError):
        page = 1
    # a value is at most 100 characters and has no NUL byte (PostgreSQL refuses one in a
    # parameter); a longer or stranger value matches nothing anyway
    filters = {
        name: list(
            dict.fromkeys(clean for v in params.getlist(name) if (clean := v.replace("\x00", "").strip()[:100]))
        )[:20]
        for name in FACETS
        if hasattr(params, "getlist")
    }
    sort = params.get("sort") if params.get("sort") in ("relevance", "date") else "relevance"
    return SearchQuery(
        nested=registry.nested(),
        read_kinds=params.get("kinds") != "any",
        q=params.get("q", "").replace("\x00", "").strip()[:200],
        language=language,
        access=access_for(user),
        filters=filters,
        sort=sort,
        page=min(page, 10_000),
        per_page=per_page,
    )


def _hit(hit, kinds: dict) -> dict:
    more = hit.more_children
    return {
        "children": [_hit(child, kinds) for child in hit.children],
        "more_children": more,
        "more_children_label": (
            ngettext("%(count)s more lesson", "%(count)s more lessons", more) % {"count": more} if more else ""
        ),
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


def _cache_params(params) -> list:
    """What the results depend on of the request's parameters, in a stable order."""
    known = (*FACETS, "q", "sort", "page", "kinds")
    values = params.getlist if hasattr(params, "getlist") else lambda key: [params[key]]
    return sorted((key, values(key)) for key in params if key in known)


def site_search(*, params, user, language: str) -> dict:
    """Run the search for a request's parameters; plain data for the page and the JSON endpoint."""
    return cached(
        "search",
        user=user,
        params=[language, *_cache_params(params)],
        compute=lambda: _site_search(params=params, user=user, language=language),
    )


def _site_search(*, params, user, language: str) -> dict:
    query = parse_query(params, language=language, user=user)
    engine = get_engine()
    response = engine.search(query)
    last_page = max(1, -(-response.total // query.per_page))
    if query.page > last_page:  # a page past the end (an old link, a typed number): the last one
        query.page = last_page
        response = engine.search(query)
    label = _labeller(response.facets)
    kinds = kind_labels()
    named = [named_kind_label(named, kinds) for named in response.named_kinds]
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
        # the kinds the words named ("lecciones aprendidas"): only these are shown
        "named_kinds": named,
    }


def suggestions(*, params, user, language: str) -> list[dict]:
    """Titles for search as you type (the last word is a prefix), only what the user may find."""
    if len(params.get("q", "").strip()) < 2:
        return []
    return cached(
        "suggest",
        user=user,
        params=[language, params.get("q", "").strip()[:200]],
        compute=lambda: _suggestions(params=params, user=user, language=language),
    )


def _suggestions(*, params, user, language: str) -> list[dict]:
    query = parse_query(params, language=language, user=user, per_page=8)
    kinds = kind_labels()
    return [
        {"title": hit.title, "url": hit.url, "kind": hit.kind, "kind_label": kinds.get(hit.kind, hit.kind)}
        for hit in get_engine().suggest(query)
    ]
