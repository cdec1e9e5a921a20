""" "Para hoy": what needs the association's staff today, on the admin home and the site.

The site shell knows no app: each app registers, from its `AppConfig.ready()`, a function
that gives its lines for a staff user and a day (the tracker its reports to review, overdue
periods and late milestones, the survey its open rounds, the background work its failed
tasks); the shell adds Wagtail's own pages in moderation or scheduled. A line has an exact
count, a link to the work and its oldest few items, each with its own link. Only staff see
it: `lines_for` gives nothing to anyone else, and the page refuses them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .permissions import is_staff

ITEMS_SHOWN = 5  # the oldest items listed under each line; the count says how many there are


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    note: str = ""  # since when, or what it says (a date, a rate)


@dataclass(frozen=True)
class Line:
    key: str  # stable, for tests and anchors ("reports-to-review")
    label: str
    count: int
    url: str
    items: list[Item] = field(default_factory=list)
    order: int = 100


Lines = Callable[[object, datetime.date], list[Line]]  # (staff user, today) -> lines

_sources: list[Lines] = []


def register(source: Lines) -> None:
    if source not in _sources:
        _sources.append(source)


def lines_for(user, today: datetime.date) -> list[Line]:
    """Every registered line for a staff user, in their order; nothing for anyone else."""
    if not is_staff(user):
        return []
    lines = [line for source in _sources for line in source(user, today)]
    return sorted(lines, key=lambda line: line.order)


def page_lines(user, today: datetime.date) -> list[Line]:
    """Wagtail's part: pages waiting for a moderator, and pages scheduled to go live."""
    from django.urls import reverse
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext
    from wagtail.models import Page, Revision, WorkflowState, get_default_page_content_type

    from portal.templatetags.time_zones import time_zone_label

    page_type = get_default_page_content_type()
    waiting = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=page_type
    ).order_by("created_at", "pk")
    oldest = list(waiting.values_list("object_id", "created_at")[:ITEMS_SHOWN])
    titles = dict(Page.objects.filter(pk__in=[int(pk) for pk, _at in oldest]).values_list("pk", "title"))
    scheduled = (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .order_by("approved_go_live_at", "pk")
        .only("object_id", "object_str", "approved_go_live_at")
    )

    def edit(pk) -> str:
        return reverse("wagtailadmin_pages:edit", args=[int(pk)])

    def when(moment) -> str:
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")

    zone = time_zone_label()

    waiting_count, scheduled_count = waiting.count(), scheduled.count()
    return [
        Line(
            key="pages-in-moderation",
            label=ngettext("Page awaiting moderation", "Pages awaiting moderation", waiting_count),
            count=waiting_count,
            url=reverse("wagtailadmin_reports:workflow"),
            items=[
                Item(titles.get(int(pk), ""), edit(pk), _("since %(date)s") % {"date": when(at)}) for pk, at in oldest
            ],
            order=50,
        ),
        Line(
            key="pages-scheduled",
            label=ngettext("Page scheduled to go live", "Pages scheduled to go live", scheduled_count),
            count=scheduled_count,
            url=reverse("wagtailadmin_explore_root"),
            items=[
                Item(
                    r.object_str,
                    edit(r.object_id),
                    _("goes live %(date)s, %(zone)s time") % {"date": when(r.approved_go_live_at), "zone": zone},
                )
                for r in scheduled[:ITEMS_SHOWN]
            ],
            order=60,
        ),
    ]
