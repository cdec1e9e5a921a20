"""An attachment kept across a refused post of the MFI report form.

Browsers forget the chosen file when a form comes back refused (a negative figure, a
missing one on submit, a colleague's save in between). Rather than asking for it again,
the portal keeps a file that passed its checks (`services.check_attachment`) in private
storage, as `pending/<yyyymmdd>-<random>-<name>`, and gives the form a signed token that
names the file, the user and the report (MFI and period): only that user, on that report,
can use it, for a day. The next post attaches it unless a new file is chosen.

Cleanup: a kept file is deleted once it is attached to the report; every time a file is
kept, the pending files of the days before yesterday are deleted, so an abandoned one
stays at most two days (its token has expired after one).
"""

import datetime
import os
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Participation
from ..models.reporting import private_storage

PREFIX = "pending"
KEEP_FOR = datetime.timedelta(days=1)
_SALT = "pilots.reporting.kept-attachment"


@dataclass(frozen=True)
class Kept:
    """A file kept for a report's next post: its `token` (for the form's hidden field), the
    `name` the person gave it (shown, and kept as the attachment's name), where it is stored."""

    token: str
    name: str
    path: str

    def open(self) -> File:
        """The kept file, named as the person named it, ready to attach."""
        return File(private_storage().open(self.path, "rb"), name=self.name)


def _owner(user, participation: Participation, period_start: datetime.date) -> dict:
    return {"user": user.pk, "mfi": participation.pk, "period": period_start.isoformat()}


def attachment_keep(*, upload, user, participation: Participation, period_start: datetime.date) -> Kept:
    """Keep an uploaded (and already checked) file for the same user's next post of the same report."""
    storage = private_storage()
    today = timezone.localdate()
    _purge(storage, before=today - datetime.timedelta(days=1))
    name = os.path.basename(upload.name or "attachment")[-200:]
    upload.seek(0)
    path = storage.save(f"{PREFIX}/{today:%Y%m%d}-{secrets.token_urlsafe(12)}-{name}", upload)
    upload.seek(0)
    token = signing.dumps({**_owner(user, participation, period_start), "path": path, "name": name}, salt=_SALT)
    return Kept(token=token, name=name, path=path)


def attachment_claim(*, token: str, user, participation: Participation, period_start: datetime.date) -> Kept:
    """The file kept under `token`, if it was kept for this user and this report and is still
    there; otherwise a refusal on the attachment field (choose the file again)."""
    refused = ValidationError(
        {"attachment": _("The file kept from your last attempt is no longer available. Choose it again.")},
        code="kept_expired",
    )
    try:
        data = signing.loads(token, salt=_SALT, max_age=KEEP_FOR)
    except signing.BadSignature as bad:  # tampered with, or expired
        raise refused from bad
    if {key: data.get(key) for key in ("user", "mfi", "period")} != _owner(user, participation, period_start):
        raise refused
    if not private_storage().exists(data["path"]):
        raise refused
    return Kept(token=token, name=data["name"], path=data["path"])


def attachment_discard(kept: Kept) -> None:
    """Delete a kept file (it has been attached: the report holds its own copy)."""
    private_storage().delete(kept.path)


def _purge(storage, *, before: datetime.date) -> None:
    """Delete the pending files kept on days before `before`."""
    try:
        _dirs, files = storage.listdir(PREFIX)
    except (FileNotFoundError, NotADirectoryError):
        return
    limit = f"{before:%Y%m%d}"
    for name in files:
        day = name.split("-", 1)[0]
        if len(day) == 8 and day.isdigit() and day < limit:
            storage.delete(f"{PREFIX}/{name}")
