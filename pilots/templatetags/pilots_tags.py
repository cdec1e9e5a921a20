"""Formatting of indicator values in the reader's language (51.000 / 51,000)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def in_unit(value, indicator):
    """A value with its unit: 51,000 · 87 % · 5 days · USD 10,000,000."""
    if value is None or value == "":
        return "—"
    number = floatformat(value, "-1g")
    unit = indicator.unit
    if unit == "percent":
        return f"{number} %"
    if unit == "days":
        return _("%(n)s days") % {"n": number}
    if unit == "money":
        return f"{indicator.currency} {floatformat(value, '0g')}"
    return floatformat(value, "-2g")


@register.filter
def percent(value):
    if value is None:
        return "—"
    return f"{floatformat(value, '0g')} %"
