"""Admin views behind the study editor's choosers: search, and an author created on the spot.

Both are Wagtail admin URLs (`wagtail_hooks.register_admin_urls`), so only people who may use
the admin reach them; creating an author also needs the right to add authors (the service checks).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import services
from .forms import AuthorQuickForm
from .selectors import chooser_options


def chooser_search(request, kind: str):
    results = chooser_options(kind=kind, query=request.GET.get("q", ""), user=request.user)
    if results is None:
        raise Http404
    return JsonResponse({"results": results})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def author_create(request):
    """GET: the form (for the chooser without JavaScript); POST: create through the service,
    answering JSON to the chooser ({"id", "label"} or {"errors": {field: [messages]}})."""
    if not request.user.has_perm("research.add_author"):
        if _wants_json(request):  # the chooser shows the reason; Wagtail would answer with a redirect
            return JsonResponse({"errors": {"name": [_("You may not add authors.")]}}, status=403)
        raise PermissionDenied
    form = AuthorQuickForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                author = services.author_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if _wants_json(request):
                    return JsonResponse({"id": author.pk, "label": str(author)}, status=201)
                messages.success(request, _("Author “%(name)s” created.") % {"name": author.name})
                return redirect("wagtailsnippets_research_author:list")
        if _wants_json(request):
            return JsonResponse({"errors": {field: list(errors) for field, errors in form.errors.items()}}, status=400)
    return TemplateResponse(request, "research/admin/author_create.html", {"form": form})
