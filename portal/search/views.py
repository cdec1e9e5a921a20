"""The search page, its JSON twin and search-as-you-type suggestions: thin views over
`selectors`."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from .selectors import site_search, suggestions


def _language() -> str:
    return (translation.get_language() or "es").split("-")[0]


@require_GET
def search_page(request):
    result = site_search(params=request.GET, user=request.user, language=_language())
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    for facet in result["facets"]:
        chosen = result["filters"].get(facet["name"], [])
        for item in facet["values"]:
            toggled = request.GET.copy()
            toggled.pop("page", None)
            values = [v for v in chosen if v != item["value"]] if item["selected"] else [*chosen, item["value"]]
            toggled.setlist(facet["name"], values)
            item["querystring"] = toggled.urlencode()
    if result["named_kinds"]:
        every = request.GET.copy()
        every.pop("page", None)
        every["kinds"] = "any"
        result["every_kind_querystring"] = every.urlencode()
    if result["corrected"]:
        corrected = request.GET.copy()
        corrected.pop("page", None)
        corrected["q"] = result["corrected"]
        result["corrected_querystring"] = corrected.urlencode()
    context = {
        "result": result,
        "querystring": base,
        "every_kind_querystring": result.pop("every_kind_querystring", ""),
    }
    return render(request, "search/search.html", context)


@require_GET
def search_json(request):
    result = site_search(params=request.GET, user=request.user, language=_language())
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})


@require_GET
def suggest_json(request):
    """`/search/suggest/?q=micros`: up to 8 titles the reader may open, as they type."""
    found = suggestions(params=request.GET, user=request.user, language=_language())
    return JsonResponse(
        {"q": request.GET.get("q", "")[:200], "suggestions": found}, json_dumps_params={"ensure_ascii": False}
    )
