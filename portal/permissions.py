"""Who may do what: the roles' predicates and the one decorator every staff-only view uses.

The roles live on the user (`portal.accounts.models.User`: staff, member, donor); these
predicates accept anyone, anonymous visitors included, so that a view or a template never
has to ask whether a user is signed in before asking what it may do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_staff(user) -> bool:
    """Association staff (or a superuser): sees and edits everything."""
    return bool(user is not None and user.is_authenticated and getattr(user, "is_association_staff", False))


def is_member(user) -> bool:
    """A member MFI's user: answers the survey and reports for its own institution."""
    return bool(user is not None and user.is_authenticated and getattr(user, "is_member", False))


def is_donor(user) -> bool:
    """A funder's user: sees what is public and what its funder pays for."""
    return bool(user is not None and user.is_authenticated and getattr(user, "is_donor", False))


def staff_required(view=None, *, refuse: Callable[[HttpRequest], HttpResponse] | None = None):
    """Only association staff reach `view`: an anonymous visitor is sent to sign in (and back
    here after), a signed-in user who is not staff gets `refuse(request)` — by default the
    portal's 403 page.

        @staff_required
        def dashboard(request): ...

        @staff_required(refuse=lambda request: refused(request, _("Only staff…")))
        def status(request, pk): ...
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff(request.user):
                if refuse is not None:
                    return refuse(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
