"""The portal's URLs plus `/bench/floor/`: the cheapest page Django can serve here.

The floor goes through the same middleware as every page (sessions, CSRF, locale,
security headers, axes) but touches no database and renders no template, so the
ratio page ÷ floor says what the page itself costs.
"""

from django.http import JsonResponse
from django.urls import path

from portal.urls import handler500  # noqa: F401 - the portal's own 500 page
from portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *portal_urlpatterns]
