"""The tracker's lines of staff's "Para hoy" (`portal.today`): MFI reports to review, periods
overdue by MFI, late milestones."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.today import ITEMS_SHOWN, Item, Line

from .models import Innovation
from .models.reporting import period_label
from .reporting.selectors import awaiting_review, overdue_periods
from .selectors import overdue_milestones


def _date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def lines(user, today: datetime.date) -> list[Line]:
    queue = reverse("pilots:mfi_reports")
    waiting = awaiting_review()
    overdue = overdue_periods(today=today)
    late = overdue_milestones(Innovation.objects.visible_to(user), today)
    waiting_count, late_count = waiting.count(), late.count()
    return [
        Line(
            key="reports-to-review",
            label=ngettext("MFI report awaiting review", "MFI reports awaiting review", waiting_count),
            count=waiting_count,
            url=queue,
            items=[
                Item(
                    f"{r.participation.institution.name} · {r.participation.innovation.display_title} · {period_label(r.period_start, r.period_end)}",
                    reverse("pilots:mfi_report_review", args=[r.pk]),
                    _("submitted %(date)s") % {"date": _date(timezone.localdate(r.submitted_at))}
                    if r.submitted_at
                    else "",
                )
                for r in waiting[:ITEMS_SHOWN]
            ],
            order=10,
        ),
        Line(
            key="periods-overdue",
            label=ngettext("Reporting period overdue", "Reporting periods overdue", len(overdue)),
            count=len(overdue),
            url=f"{queue}#due",
            items=[
                Item(
                    f"{row['institution'].name} · {row['innovation'].display_title} · {row['period'].label}",
                    row["url"],
                    _("due since %(date)s") % {"date": _date(row["due_on"])},
                )
                for row in overdue[:ITEMS_SHOWN]
            ],
            order=20,
        ),
        Line(
            key="late-milestones",
            label=ngettext("Late milestone", "Late milestones", late_count),
            count=late_count,
            url=reverse("pilots:dashboard") + "#late-h",
            items=[
                Item(
                    f"{m.innovation.display_title} · {m.display_title}",
                    m.innovation.get_absolute_url(),
                    _("planned for %(date)s") % {"date": _date(m.planned_date)},
                )
                for m in late[:ITEMS_SHOWN]
            ],
            order=30,
        ),
    ]
