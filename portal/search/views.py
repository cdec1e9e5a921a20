"""The search page and its JSON twin: thin views over `selectors.site_search`."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from .selectors import site_search


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
    return render(request, "research/search.html", {"result": result, "querystring": base})


@require_GET
def search_json(request):
    result = site_search(params=request.GET, user=request.user, language=_language())
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})
