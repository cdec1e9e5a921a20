"""Who may write MFI reports, and what day it is, for the reporting services."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import is_staff

from ...models import Participation


def local_today() -> datetime.date:
    return timezone.localdate()


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Only association staff can review MFI reports."))


def can_report(user, participation: Participation) -> bool:
    """A member user reports for its own institution only."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_member
        and user.institution_id == participation.institution_id
    )


def require_reporter(user, participation: Participation) -> None:
    if not can_report(user, participation):
        raise PermissionDenied(_("Only users of this MFI can fill in its reports."))
