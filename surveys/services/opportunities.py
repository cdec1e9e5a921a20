"""Linking an innovation to the question of a round that revealed its opportunity."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Opportunity,
    Question,
)
from .common import require_staff


@transaction.atomic
def opportunity_link(*, innovation, question: Question, user, note: str = "") -> Opportunity:
    """Record that `question` of a round revealed the opportunity behind `innovation`."""
    require_staff(user)
    if Opportunity.objects.filter(innovation=innovation, question=question).exists():
        raise ValidationError(_("This innovation is already linked to that question."), code="duplicate")
    opportunity = Opportunity(innovation=innovation, question=question, note=note.strip(), linked_by=user)
    opportunity.full_clean()
    opportunity.save()
    return opportunity
