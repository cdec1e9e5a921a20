"""How long a figure stays recent: the limit past which the progress rule will not judge by it
(see *Freshness* in `status`)."""

import datetime

from django.conf import settings


def recent_data_months() -> int:
    """How many months a latest figure stays recent: the `PILOTS_RECENT_DATA_MONTHS` setting (12)."""
    return settings.PILOTS_RECENT_DATA_MONTHS


def recent_since(day: datetime.date) -> datetime.date:
    """The oldest date a figure may have and still count as recent on `day`: `recent_data_months`
    months before it (the same day of the month, or that month's last day)."""
    months = day.year * 12 + day.month - 1 - recent_data_months()
    year, month = divmod(months, 12)
    for last in (day.day, 30, 29, 28):  # the same day of that month, or its last day
        try:
            return datetime.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")
