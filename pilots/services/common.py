"""What every tracker service shares: who may write, what day it is, and texts the portal
writes in both languages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from portal.permissions import is_staff


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Only association staff can change innovations."))


def today() -> datetime.date:
    return timezone.localdate()


def in_both_languages(field: str, message: str) -> dict:
    """A text the portal itself writes (a translatable message), stored as its Spanish text
    with its English one beside it, as staff's texts are."""
    with translation.override("es"):
        spanish = gettext(message)
    with translation.override("en"):
        english = gettext(message)
    return {field: spanish, f"{field}_en": english}
