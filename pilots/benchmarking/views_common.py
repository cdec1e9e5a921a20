"""What the benchmarking pages share: semesters as people read and address them, and who is
asking.

A semester is January–June (the first half, "1") or July–December (the second, "2") of a
year. Its address is the year and the half, `2011-1`; its label says the months, in the
reader's language ("January–June 2011", "enero–junio de 2011"), never "this semester": the
demo's figures end in 2011 and a page read years later must still say which one it means.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext as _

from portal.numbers import format_number
from portal.permissions import is_member, is_staff

from .forms import FinancialReportForm, amount_text
from .ratios import RATIOS, ratios_of
from .standing import format_ratio


@dataclass(frozen=True)
class Semester:
    """One half-year: its first and last day."""

    start: datetime.date

    @classmethod
    def of(cls, day: datetime.date) -> Semester:
        """The semester `day` falls in."""
        return cls(datetime.date(day.year, 1 if day.month <= 6 else 7, 1))

    @classmethod
    def from_key(cls, year: int, half: int) -> Semester:
        """The semester of an address (`2011-1`); 404 for a half that is not 1 or 2."""
        if half not in (1, 2) or not 1900 <= year <= 2999:
            raise Http404(_("No such semester: write the year and 1 (January–June) or 2 (July–December)."))
        return cls(datetime.date(year, 1 if half == 1 else 7, 1))

    @property
    def half(self) -> int:
        return 1 if self.start.month == 1 else 2

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.start.year, 6, 30) if self.half == 1 else datetime.date(self.start.year, 12, 31)

    @property
    def key(self) -> str:
        return f"{self.start.year}-{self.half}"

    @property
    def label(self) -> str:
        if self.half == 1:
            return _("January–June %(year)s") % {"year": self.start.year}
        return _("July–December %(year)s") % {"year": self.start.year}

    @property
    def previous(self) -> Semester:
        if self.half == 2:
            return Semester(datetime.date(self.start.year, 1, 1))
        return Semester(datetime.date(self.start.year - 1, 7, 1))

    def can_be_submitted(self, today: datetime.date) -> bool:
        """A semester's report is submitted from its last day on (`services`)."""
        return self.end <= today


def semester_label(start: datetime.date) -> str:
    """The label of the semester starting on `start` (for templates given a date)."""
    return Semester.of(start).label


def semesters_back(today: datetime.date, count: int) -> list[Semester]:
    """The semester `today` falls in and the `count - 1` before it, newest first."""
    semesters = [Semester.of(today)]
    while len(semesters) < count:
        semesters.append(semesters[-1].previous)
    return semesters


def chosen_semester(request, approved: list[Semester]) -> Semester | None:
    """The approved semester a page shows the standing of: the one asked for (`?semester=2011-1`),
    else the latest; None when nothing is approved yet. `approved` is newest first."""
    wanted = request.GET.get("semester")
    return next((s for s in approved if s.key == wanted), approved[0] if approved else None)


def sign_in_first(request):
    """A redirect to the sign-in page for an anonymous visitor (back here after), else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def member_institution(user):
    """The institution a member user reports for, or None (staff, donors, other users)."""
    if is_member(user) and not is_staff(user):
        return user.institution
    return None


def ratio_text(value, unit: str) -> str:
    """A ratio as the reader's language writes it (`standing.format_ratio`: "6,2 %" / "6.2 %",
    "USD 45", "200"); "—" when it cannot be computed (a figure missing, a zero denominator)."""
    return format_ratio(value, unit) or "—"


def standing_rows(standings) -> list[dict]:
    """A member's `standing.Standing`s with their quartiles and trend written out for a table."""
    rows = []
    for standing in standings:
        unit = standing.ratio.unit
        rows.append(
            {
                "standing": standing,
                "q1": ratio_text(standing.q1, unit),
                "median": ratio_text(standing.median, unit),
                "q3": ratio_text(standing.q3, unit),
                "trend": [
                    {"semester": Semester.of(point.period_start), "text": ratio_text(point.value, unit)}
                    for point in standing.trend
                ],
            }
        )
    return rows


def ratio_rows(figures: dict) -> list[dict]:
    """The ten ratios of one report's figures, each with its label, value as text, formula
    and source, in display order (`pilots.benchmarking.ratios`)."""
    values = ratios_of(figures)
    return [
        {
            "key": ratio.key,
            "label": ratio.label,
            "value": values[ratio.key],
            "text": ratio_text(values[ratio.key], ratio.unit),
            "formula": ratio.formula,
            "source": ratio.source,
        }
        for ratio in RATIOS
    ]


def _figure_text(value, is_count: bool) -> str:
    if value is None:
        return "—"
    return format_number(value) if is_count else f"USD {amount_text(value)}"


def figure_rows(report) -> list[dict]:
    """A report's figures with the form's labels, in the form's order, for a table."""
    fields = FinancialReportForm().fields
    return [
        {"label": fields[name].label, "text": _figure_text(value, fields[name].is_count)}
        for name, value in report.figures().items()
    ]
