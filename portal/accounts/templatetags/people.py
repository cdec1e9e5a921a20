"""`{{ report.submitted_by|person }}`: who did something, as `portal.accounts.people` names them."""

from django import template

from ..people import display_person

register = template.Library()


@register.filter
def person(user) -> str:
    """Full name, else username; "former user" for a deleted account (see `display_person`)."""
    return display_person(user)
