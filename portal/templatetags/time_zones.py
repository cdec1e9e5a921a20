"""The time zone the site reads and shows dates in, next to every go-live time.

{% load time_zones %}
{% time_zone_label %}   "America/Guayaquil (UTC-05:00)"
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext_noop

# The sentences of the two Wagtail admin templates this project overrides (templates/wagtailadmin/),
# which `make messages` leaves out so that Wagtail's own strings stay in Wagtail's catalogue.
OVERRIDE_MESSAGES = (
    gettext_noop("Times in %(zone)s."),
    gettext_noop("Dates and times are in the %(zone)s time zone."),
)

register = template.Library()


@register.simple_tag
def time_zone_label() -> str:
    """The current time zone's name and its offset now (tzdata gives Guayaquil no abbreviation)."""
    now = timezone.localtime()
    offset = now.strftime("%z")  # "-0500"
    return f"{timezone.get_current_timezone_name()} (UTC{offset[:3]}:{offset[3:]})"
