from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "portal.background"
    label = "background"
    verbose_name = _("Background work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import jobs, today

        from . import today as today_lines

        today.register(today_lines.lines)  # tasks that failed
        jobs.register("tasks_status", every="requeue", requeue_stale=True, verbosity=0)  # a dead worker's tasks
