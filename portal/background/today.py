"""The background work's line of staff's "Para hoy" (`portal.today`): tasks that failed,
the latest first, each with its error (listed on the page itself: no other page shows them)."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from portal.today import ITEMS_SHOWN, Item, Line


def lines(user, today: datetime.date) -> list[Line]:
    failed = DBTaskResult.objects.failed().order_by("-finished_at", "pk")
    here = reverse("today") + "#failed-tasks"
    items = [
        Item(
            row.task_path.rsplit(".", 1)[-1],
            here,
            " · ".join(
                part
                for part in (
                    formats.date_format(timezone.localtime(row.finished_at), "SHORT_DATETIME_FORMAT")
                    if row.finished_at
                    else "",
                    row.exception_class_path.rsplit(".", 1)[-1],
                )
                if part
            ),
        )
        for row in failed.only("id", "task_path", "finished_at", "exception_class_path")[:ITEMS_SHOWN]
    ]
    failed_count = failed.count()
    return [
        Line(
            key="failed-tasks",
            label=ngettext("Background task that failed", "Background tasks that failed", failed_count),
            count=failed_count,
            url=here,
            items=items,
            order=70,
        )
    ]
