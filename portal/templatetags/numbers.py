"""Numbers in templates, written as the page's language writes them (`portal.numbers`).

{% load numbers %}
{{ 18500|number }}          18.500 / 18,500
{{ 86.666|number:1 }}       86,7 / 86.7  (at most one decimal)
{{ amount|money:"USD" }}    USD 8.600,00 / USD 8,600.00
{{ 62.5|pct }}              62,5 % / 62.5 %
"""

from django import template

from portal.numbers import format_number

register = template.Library()


@register.filter
def number(value, places=None):
    """A count or measure: every decimal it has, or at most `places`; "" when empty."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, places=None if places in (None, "") else int(places))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def shown(bound_field) -> str:
    """What a form's box shows, for a template that writes its own <input>: typed text as it
    was typed, a saved number as the page's language writes it ("8.600", not "8600,00")."""
    text = bound_field.field.widget.format_value(bound_field.value())
    return "" if text is None else text
