"""A 503 "temporarily unavailable" page, not a 500, when the database cannot be reached.

Without its database the portal can show nothing, but it can say so properly: a small page
in Spanish and English at once (the page's language may be stored in the database, and the
site's frame needs it), `Retry-After: 30`, `Cache-Control: no-store`, and one warning in
the log per minute of outage with the number of requests turned away, instead of a
traceback per request.

Two ways in. `DatabaseUnavailableMiddleware.process_exception` answers for an exception
raised by a view or its template. An exception raised by another middleware (a session
saved on the way out, say) never reaches this one — Django turns it into a 500 on the spot
— so the 500 handler (`portal.views.server_error`) asks `database_unreachable` too and
answers the same 503.

"Unreachable" is an `OperationalError` or `InterfaceError` on a connection that is gone or
no longer usable (refused, timed out, dropped, the server shutting down). The same errors
on a working connection (a statement timeout, a deadlock) are failures of one request, and
stay 500s with their traceback. `/healthz/` answers before all this (portal.health).
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds, in the Retry-After header
REPORT_EVERY = 60  # seconds between two warnings about the same outage

_lock = threading.Lock()
_last_report = float("-inf")
_turned_away = 0


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` means the database cannot be reached, rather than that one query failed."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if connection.connection is None:  # the connection could not even be opened
        return True
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001 - a connection that cannot even be tested is not usable
        return True


def _report(error: BaseException) -> None:
    global _last_report, _turned_away
    with _lock:
        _turned_away += 1
        now = time.monotonic()
        if now - _last_report < REPORT_EVERY:
            return
        count, _turned_away, _last_report = _turned_away, 0, now
    logger.warning(
        "Database unreachable (%s: %s): %d request(s) answered 503 since the last report",
        type(error).__name__,
        " ".join(str(error).split()),  # psycopg's message spans lines: one line in the log
        count,
    )


def unavailable_response(error: BaseException) -> HttpResponse:
    """The 503 page, rendered from a static template (no request, so no context processor)."""
    _report(error)
    response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # Reported above, once a minute: Django's request logger must not add a line (and a
    # traceback) per request. Django itself reads this attribute (django.utils.log.log_response).
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unreachable(exception):
            return unavailable_response(exception)
        return None
