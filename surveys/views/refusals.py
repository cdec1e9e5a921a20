"""How the survey's pages refuse: its own page with the reason, and the staff-only decorator."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.permissions import staff_required


def refused(request, message: str, status: int = 403) -> HttpResponse:
    """The survey's refusal page, saying why (and what to do instead)."""
    return render(request, "surveys/refused.html", {"message": message}, status=status)


def refused_to_non_staff(request) -> HttpResponse:
    return refused(request, _("Only association staff can see this page."))


staff_only = staff_required(refuse=refused_to_non_staff)
"""Staff pages: an anonymous visitor signs in first, anyone else gets the survey's refusal page."""
