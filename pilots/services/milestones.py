"""An innovation's milestones: planned, then done on a date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Innovation, Milestone, MilestoneStatus
from .common import require_staff, today


def _check_milestone(milestone: Milestone) -> None:
    if milestone.planned_start and milestone.planned_start > milestone.planned_date:
        raise ValidationError({"planned_start": _("The planned start must be on or before the planned date.")})
    if milestone.actual_date:
        if milestone.actual_date > today():
            raise ValidationError({"actual_date": _("A milestone cannot be completed in the future.")})
        if milestone.planned_start and milestone.actual_date < milestone.planned_start:
            raise ValidationError(
                {
                    "actual_date": _("A milestone cannot be completed before it was planned to start (%(date)s).")
                    % {"date": milestone.planned_start.isoformat()}
                }
            )
    if milestone.status == MilestoneStatus.DONE and not milestone.actual_date:
        raise ValidationError({"actual_date": _("Give the date the milestone was completed.")})
    if milestone.actual_date and milestone.status not in (MilestoneStatus.DONE,):
        milestone.status = MilestoneStatus.DONE
    milestone.full_clean()


@transaction.atomic
def milestone_record(
    *,
    innovation: Innovation,
    user,
    title: str,
    stage: str,
    planned_date: datetime.date,
    planned_start: datetime.date | None = None,
    actual_date: datetime.date | None = None,
    status: str = MilestoneStatus.PLANNED,
    notes: str = "",
    title_en: str = "",
) -> Milestone:
    """Add a milestone; giving an actual date records it as done."""
    require_staff(user)
    milestone = Milestone(
        innovation=innovation,
        title=title,
        title_en=(title_en or "").strip(),
        stage=stage,
        planned_start=planned_start,
        planned_date=planned_date,
        actual_date=actual_date,
        status=status,
        notes=notes,
    )
    _check_milestone(milestone)
    milestone._history_user = user  # who, in the change history (pilots.history)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, user, **changes) -> Milestone:
    """Change a milestone (e.g. mark it done with its actual date)."""
    require_staff(user)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    for field, value in changes.items():
        setattr(milestone, field, value)
    _check_milestone(milestone)
    milestone._history_user = user  # who, in the change history (pilots.history)
    milestone.save()
    return milestone
