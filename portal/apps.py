from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import cache, demo_loaders, jobs, today
        from .accounts import landing
        from .admin_forms import register_number_fields

        cache.watch("accounts")  # the network's members, funders and users' roles
        cache.watch("portal")  # the association's settings: reports' letterhead, IATI files' publisher
        cache.watch("wagtailcore", derived=("referenceindex",))  # the page tree, privacy, publication
        jobs.register("publish_scheduled", every="publish")  # pages with a go-live date go live on time
        demo_loaders.register("portal.demo")  # the network's members, funders and the demo logins
        register_number_fields()
        today.register(today.page_lines)  # Wagtail's pages in moderation or scheduled
        landing.register(staff_landing)


def staff_landing(user) -> str | None:
    """The association's staff land on "Para hoy" when they sign in."""
    from django.urls import reverse

    from .permissions import is_staff

    return reverse("today") if is_staff(user) else None
