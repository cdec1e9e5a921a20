"""`/healthz/` for the load balancer: 200 when the database and the cache answer, 503 otherwise.

A middleware at the top of the stack rather than a view: the balancer calls it by IP
address over plain HTTP, so it must answer before the host check and the HTTPS redirect.
It says which dependency failed, never why (no connection strings in a public answer).
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz/"


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    cache.set("healthz", "ok", 10)
    return cache.get("healthz") == "ok"


CHECKS = {"database": _database, "cache": _cache}


def health() -> tuple[int, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception:  # noqa: BLE001 - any failure means unhealthy; logged for the operator
            logger.exception("Health check %s failed", name)
            results[name] = "failing"
    status = 200 if all(value == "ok" for value in results.values()) else 503
    return status, results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH and request.method in ("GET", "HEAD"):
            status, results = health()
            response = JsonResponse({"status": "ok" if status == 200 else "failing", "checks": results}, status=status)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
