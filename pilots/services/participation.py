"""Who takes part in an innovation and who pays for it: member MFIs' participation and
funders' contributions."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Contribution, Innovation, Participation
from .common import require_staff, today


@transaction.atomic
def participation_add(
    *, innovation: Innovation, institution, since: datetime.date, stage: str, user, criteria: Iterable = ()
) -> Participation:
    """A member MFI joins the innovation (or its record is updated)."""
    require_staff(user)
    if since > today():
        raise ValidationError({"since": _("A participation cannot start in the future.")})
    participation = Participation.objects.filter(innovation=innovation, institution=institution).first()
    participation = participation or Participation(innovation=innovation, institution=institution)
    participation.since = since
    participation.stage = stage
    participation.full_clean(validate_unique=False)
    participation.save()
    participation.criteria.set(list(criteria))
    return participation


def _check_contribution(contribution: Contribution) -> None:
    if contribution.amount is not None and contribution.amount < 0:
        raise ValidationError({"amount": _("A contribution cannot be negative.")})
    contribution.description_en = contribution.description_en or ""
    contribution.full_clean()


@transaction.atomic
def contribution_record(
    *,
    innovation: Innovation,
    funder,
    stage: str,
    user,
    amount: Decimal | None = None,
    currency: str = "USD",
    description: str = "",
    description_en: str = "",
) -> Contribution:
    require_staff(user)
    contribution = Contribution(
        innovation=innovation,
        funder=funder,
        stage=stage,
        amount=amount,
        currency=currency,
        description=description,
        description_en=description_en or "",
    )
    _check_contribution(contribution)
    contribution.save()
    return contribution


@transaction.atomic
def contribution_update(*, contribution: Contribution, user, **changes) -> Contribution:
    """Correct a funder's contribution: the same rules as recording it."""
    require_staff(user)
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    for field, value in changes.items():
        setattr(contribution, field, value)
    _check_contribution(contribution)
    contribution.save()
    return contribution
