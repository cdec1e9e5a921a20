from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Innovations")

    def ready(self) -> None:
        from portal import api, cache, demo_loaders, home, jobs, today
        from portal.accounts import landing

        from . import caching, documents, progress
        from . import today as today_lines

        cache.watch("pilots", derived=("innovationprogress", "indicatorprogress"))  # progress is rebuilt
        jobs.register("send_report_reminders", every="remind")  # once per period closed without a report
        jobs.register("send_benchmarking_reminders", every="remind")  # once per semester without a financial report
        jobs.register("refresh_progress", every="progress")  # stored progress out of date
        demo_loaders.register("pilots.demo")  # the five cases of DESIGN.md
        progress.connect()
        caching.register()  # each innovation's own version in the page cache
        documents.register()  # its innovations and lessons in the site search
        home.register(home_stages)
        home.register(home_to_report)
        landing.register(donor_landing)
        today.register(today_lines.lines)  # reports to review, overdue periods, late milestones

        from .benchmarking import emails as benchmarking_emails
        from .benchmarking import reminders as benchmarking_reminders
        from .reporting.emails import register_emails

        register_emails()  # the report reminder and return, for staff to edit
        benchmarking_emails.register_emails()  # the financial report's reminder and return, likewise
        today.register(benchmarking_reminders.today_lines)  # financial reports to review

        from .api import InnovationViewSet
        from .benchmarking.api import BenchmarkingViewSet

        api.register("innovations", InnovationViewSet, basename="innovation")
        api.register("benchmarking", BenchmarkingViewSet, basename="benchmarking")  # the peer bulletin


def home_stages(request, page) -> dict:
    """The home page's cycle: how many innovations the reader may see are in each stage."""
    from django.db.models import Count

    from .cycle import Stage
    from .models import Innovation

    counts = dict(Innovation.objects.visible_to(request.user).order_by().values_list("stage").annotate(n=Count("pk")))
    return {"stages": [{"stage": stage, "count": counts.get(stage.value, 0)} for stage in Stage]}


def home_to_report(request, page) -> dict:
    """A member MFI's user sees on the home page the periods its institution still has to report."""
    from django.utils import timezone

    from .reporting.selectors import to_report

    return {"to_report": to_report(user=request.user, today=timezone.localdate())}


def donor_landing(user) -> str | None:
    """Donors land on "Innovations you fund" when they sign in."""
    from django.urls import reverse

    return reverse("pilots:funded") if getattr(user, "is_donor", False) else None
