"""Site-wide views of the shell: staff's "Para hoy", the 500 page and the icon."""

import logging
import sys

from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import today as today_lines
from portal.permissions import is_staff
from portal.unavailable import database_unreachable, unavailable_response

logger = logging.getLogger(__name__)


def server_error(request):
    """The portal's 500 page with its navigation, in the page's language.

    Django's default renders 500.html without the request, so the site header cannot be
    drawn. Here the full page is tried first; if that fails too (the database is down, say),
    a bilingual page that needs nothing is served. When the error is that the database cannot
    be reached (raised in a middleware, where DatabaseUnavailableMiddleware cannot catch it),
    the answer is its 503 "temporarily unavailable" instead (see portal.unavailable).
    """
    error = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if database_unreachable(error):
        return unavailable_response(error)
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:  # noqa: BLE001 - an error page must never fail
        logger.exception("The 500 page itself failed; serving the plain one")
        return HttpResponseServerError(loader.render_to_string("errors/500_plain.html"))


def today(request):
    """Staff's "Para hoy": what needs them today, each line linked to the work (`portal.today`).
    Anonymous visitors are asked to sign in; anyone but the association's staff is refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff(request.user):
        raise PermissionDenied(_("Only association staff see what needs them today."))
    lines = today_lines.lines_for(request.user, timezone.localdate())
    return render(request, "portal/today.html", {"lines": lines, "title": _("For today")})


def favicon(request):
    """`/favicon.ico`: the portal's icon (the pages name it in a `<link>`)."""
    return redirect(staticfiles_storage.url("favicon.svg"), permanent=True)
