from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import cache, today
        from .accounts import landing
        from .admin_forms import register_number_fields

        cache.connect()
        register_number_fields()
        today.register(today.page_lines)  # Wagtail's pages in moderation or scheduled
        landing.register(staff_landing)


def staff_landing(user) -> str | None:
    """The association's staff land on "Para hoy" when they sign in."""
    from django.urls import reverse

    from .today import is_staff

    return reverse("today") if is_staff(user) else None
