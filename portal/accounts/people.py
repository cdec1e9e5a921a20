"""How the portal names the person who did something (saved a report, approved a figure,
decided a stage, changed a value): one rule, for every page, download and history.

The links to a person are `on_delete=SET_NULL`: deleting an account keeps what the person
did and empties the link, and the record then reads "former user". A deactivated account
is not a deleted one: it keeps its name and is not marked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def display_person(user, *, kept_name: str = "") -> str:
    """The person's full name, else their username; "former user" when the link is empty
    because the account was deleted, with the name the record kept if it kept one (a stage
    decision keeps who took it: "Ana Ruiz (former user)")."""
    if user is not None:
        return user.get_full_name() or user.username
    if kept_name:
        return _("%(name)s (former user)") % {"name": kept_name}
    return _("former user")
