"""Reads for the period reports (one innovation's, and the portfolio's): which semester to
open, the filters applied in words, and the association's letterhead they are printed on."""

import base64
import datetime
import mimetypes
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site

from portal.models import AssociationSettings

from .models import Innovation, Measurement, Milestone, PeriodReport, StageChange

LOGO_RENDITION = "max-600x160"  # twice the size it is printed at, for a sharp print


def semester_of(day: datetime.date) -> PeriodReport:
    return PeriodReport(year=day.year, semester=1 if day.month <= 6 else 2)


def semester_to_open(days: Iterable[datetime.date | None], today: datetime.date) -> PeriodReport | None:
    """The semester a report opens on, given the days on which something happened (a
    measurement taken, a milestone done, a stage decided, a narrative's semester begun): the
    latest semester with one of them; while that is the current, unfinished semester, the one
    before it if something happened then too (a whole semester rather than half of one).
    None when nothing has happened yet. Plans are not data: a milestone due but not done does
    not count.

    RFR's demo figures end in March 2011 and its 2011-S1 narrative was written: its report
    opens on 2011-S1 (its milestone due on 31/12/2011 was never done), not on the last
    semester before today, which is empty."""
    days = [day for day in days if day and day <= today]
    if not days:
        return None
    current, latest = semester_of(today), semester_of(max(days))
    if latest.starts_on < current.starts_on:
        return latest
    previous = semester_of(current.starts_on - datetime.timedelta(days=1))
    return previous if any(previous.starts_on <= day < current.starts_on for day in days) else current


def latest_period_with_data(innovations: QuerySet[Innovation], today: datetime.date) -> PeriodReport | None:
    """`semester_to_open` for these innovations, from the latest day in each table."""
    before = semester_of(today).starts_on
    days = []
    for queryset, field in (
        (Measurement.objects.filter(indicator__innovation__in=innovations), "measured_on"),
        (Milestone.objects.filter(innovation__in=innovations), "actual_date"),
        (StageChange.objects.filter(innovation__in=innovations), "decided_on"),
    ):
        # The latest before the current semester and the latest to date: all the rule reads.
        days += queryset.aggregate(
            ended=Max(field, filter=Q(**{f"{field}__lt": before})), now=Max(field, filter=Q(**{f"{field}__lte": today}))
        ).values()
    narratives = PeriodReport.objects.filter(innovation__in=innovations).order_by("-year", "-semester")
    days += [report.starts_on for report in narratives.filter(year__lte=today.year).only("year", "semester")[:3]]
    return semester_to_open(days, today)


def innovation_semester_to_open(
    innovation: Innovation,
    reports: list[PeriodReport],
    today: datetime.date,
    *,
    measured_on: Iterable[datetime.date] | None = None,
):
    """`semester_to_open` for one innovation, from its prefetched page data (`with_page_data`);
    `measured_on`, the days its measurements were taken, when they are not prefetched."""
    if measured_on is None:
        measured_on = [m.measured_on for indicator in innovation.indicators.all() for m in indicator.measurements.all()]
    days = list(measured_on)
    days += [milestone.actual_date for milestone in innovation.milestones.all()]
    days += [change.decided_on for change in innovation.stage_changes.all()]
    return semester_to_open(days + [report.starts_on for report in reports], today)


def filters_in_words(filterset) -> list[tuple[str, str]]:
    """The filters a report was asked with, as (label, value) in the reader's language:
    [("Product line", "Micro-insurance"), ("Country", "Ecuador")]. Empty when none narrows it."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    applied = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if hasattr(value, "pk"):
            text = getattr(value, "display_name", None) or str(value)
        elif getattr(field, "choices", None):
            text = str(dict(field.choices).get(value, value))
        else:
            text = f"«{value}»"
        applied.append((str(field.label), text))
    return applied


def letterhead(request, *, inline_logo: bool = False) -> dict:
    """Who the report comes from, from the site's settings (Settings › Association in the
    admin): the association's name — the site's name while none is set —, its website and
    its logo. A PDF carries the logo inside it (`inline_logo`: a data: URL), so that
    WeasyPrint never has to fetch it from the portal over the network."""
    site = Site.find_for_request(request)
    association = AssociationSettings.for_site(site) if site else None
    name = association.display_name if association else ""
    head = {
        "name": name or (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME,
        "website": association.website if association else "",
        "logo": None,
    }
    if association and association.logo:
        try:
            rendition = association.logo.get_rendition(LOGO_RENDITION)
        except SourceImageIOError:  # the file is gone from storage: the name alone
            return head
        head["logo"] = {
            "src": _data_url(rendition) if inline_logo else rendition.url,
            "alt": _("Logo of %(name)s") % head,
        }
    return head


def _data_url(rendition) -> str:
    content_type = mimetypes.guess_type(rendition.file.name)[0] or "image/png"
    with rendition.file.open("rb") as image:
        return f"data:{content_type};base64,{base64.b64encode(image.read()).decode()}"
