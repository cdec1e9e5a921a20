"""Where a person lands after signing in: the page their role's app registered, or the home page.

The site shell knows no app: an app registers, from its `AppConfig.ready()`, a function
that gives a user's landing page or None (the tracker sends donors to "Innovations you
fund"). The sign-in (`views.PortalLoginView`) uses it when there is no page to go back to,
or when that page is the home page — the "Log in" link of every page asks to come back.
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

Landing = Callable[[object], str | None]  # user -> the address of their landing page, or None

_landings: list[Landing] = []


def register(landing: Landing) -> None:
    if landing not in _landings:
        _landings.append(landing)


def landing_for(user) -> str | None:
    """The first landing page registered for `user`, or None (then the home page)."""
    for landing in _landings:
        if url := landing(user):
            return url
    return None


def home_paths() -> set[str]:
    """The home page's address in each language ("/" and "/en/")."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.add(reverse("wagtail_serve", args=[""]))
    return paths
