"""A reporting period as people say it. Here, apart from the reporting models, so that a
measurement can name the period of the MFI report it came from without importing them."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def period_label(start: datetime.date, end: datetime.date) -> str:
    """A period as people say it, in the reader's language: "March 2011", "Q2 2011"."""
    if (end.year, end.month) == (start.year, start.month):
        return date_format(start, "YEAR_MONTH_FORMAT")
    return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
