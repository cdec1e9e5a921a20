"""Absolute links for what leaves the site (e-mails, feeds): always on `settings.SITE_URL`.

A link built from the request would carry whatever host the request came in on (an
internal address behind the proxy, or a worker with no request at all); production
requires SITE_URL instead, so members never receive a link to 127.0.0.1.
"""

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """`/research/x/` → `https://portal.example.org/research/x/`; absolute URLs are kept."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + "/" + path_or_url.lstrip("/")
