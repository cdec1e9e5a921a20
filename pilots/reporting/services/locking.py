"""Writing a report an MFI fills in — its pilot report (`MFIReport`) or its semiannual financial
report (`FinancialReport`) — under the tracker's optimistic lock (`refuse_if_changed`, on the
report's `version`): a save over someone else's newer one is refused with the person's figures
kept in the form."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.people import display_person
from portal.locking import refuse_if_changed

from ...models import FinancialReport, MFIReport


def conflict_message(report: MFIReport | FinancialReport) -> str:
    """Who saved the report meanwhile, and when."""
    current = type(report)._default_manager.select_related("updated_by").get(pk=report.pk)
    who = display_person(current.updated_by)
    return _(
        "%(who)s saved this report at %(when)s while you were editing it. Your figures are still in the form: "
        "open the report in another tab to see theirs, then save again."
    ) % {"who": who, "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")}


def bump(report: MFIReport | FinancialReport, version: int | None, *, user, **changes):
    """Write the report (locked by the caller) if nobody saved it since `version` was read."""
    if report.pk is not None:
        refuse_if_changed(report, version, lambda: conflict_message(report), token="version", strict=True)
        report.version += 1
    for field, value in changes.items():
        setattr(report, field, value)
    report.updated_by = user
    report._history_user = user  # who, in the change history (pilots.history)
    report.full_clean(exclude=["attachment"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as race:
        # Two people of the MFI started the same period's report at the same moment.
        raise ValidationError(
            _(
                "A colleague started this report at the same moment. Your figures are still in the form: "
                "open the report in another tab to see theirs, then save again."
            ),
            code="conflict",
        ) from race
    return report
