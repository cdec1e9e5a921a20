"""Signing in: where a person lands, the lockout page of sign-in throttling (django-axes), and the
account name failures count against."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.shortcuts import render, resolve_url
from django.utils import timezone

from .landing import home_paths, landing_for


def locked_out(request, original_response=None, credentials=None):
    """429 with when to try again; used for the portal's sign-in and the Wagtail admin's."""
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"retry_at": retry_at, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def throttled_username(request, credentials=None) -> str:
    """The account name django-axes counts failures against, as the database can store it.

    Django's sign-in form does not enforce the username's length, and axes stores it in a
    255-character column (PostgreSQL refuses longer text, and any NUL). No account name is
    longer than the user model allows, so cutting there changes no real account's count.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or getattr(request, "data", request.POST)).get(field)
    limit = get_user_model()._meta.get_field("username").max_length
    return str(username or "").replace("\x00", "")[:limit]


class PortalLoginView(LoginView):
    """The portal's sign-in. Back to the page the person came from (`next`); from the home page,
    or with nowhere to go back to, to their role's landing page (`portal.accounts.landing`)."""

    def get_success_url(self) -> str:
        url = self.get_redirect_url()  # `next`, when it is a safe address of this site
        if url and urlsplit(url).path not in home_paths():
            return url
        return landing_for(self.request.user) or url or resolve_url(settings.LOGIN_REDIRECT_URL)
