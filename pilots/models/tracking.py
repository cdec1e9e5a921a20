"""The change history of the tracked models (read by `pilots.history`).

Who made a change is kept as the account's id, not as a foreign key: a foreign key to the
user would be emptied when the account is deleted, and the change would then read as made
by the system (the demo data, an import). With the id kept, a change by a deleted account
reads "former user" and one by nobody still reads "the system". django-simple-history's
documented `history_user_id_field`; `history_user` still reads the account while it exists.
"""

from django.db import models
from simple_history.models import HistoricalRecords


def change_history(**options) -> HistoricalRecords:
    """`HistoricalRecords` keeping who changed what as a plain id (see the module's docstring)."""
    return HistoricalRecords(
        history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=True), **options
    )
