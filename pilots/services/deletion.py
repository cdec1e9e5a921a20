"""Deleting a tracker record from the admin: staff only, and who deleted it is kept in the
change history (`pilots.history`). A measurement is not deleted here: deleting a value that
counts needs a reason (`pilots.reporting.services.measurement_delete`)."""

from django.db import models, transaction

from .common import require_staff


@transaction.atomic
def record_delete(*, record: models.Model, user) -> None:
    """Delete one of the tracker's records (an innovation, a milestone, a target, ...)."""
    require_staff(user)
    record._history_user = user  # who, in the change history (pilots.history)
    record.delete()
