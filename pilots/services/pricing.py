"""An innovation's product terms (the variants whose cost `pilots.pricing` compares)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Innovation, ProductTerms
from ..pricing.cost import Terms
from ..pricing.cost import validate as validate_terms
from .common import require_staff

PRODUCT_TERMS_FIELDS = (
    "name",
    "name_en",
    "position",
    "illustrative",
    "country",
    "size_band",
    "currency",
    "note",
    "note_en",
    *Terms.names(),
)


@transaction.atomic
def product_terms_save(*, innovation: Innovation, user, instance: ProductTerms | None = None, **values) -> ProductTerms:
    """Add or change a variant of an innovation's product. Refuses terms that cannot be a
    product (`pilots.pricing.cost.validate`: a non-positive amount, no instalment, a rate
    beyond any plausible bound, savings larger than the loan, ...) with a message per field."""
    require_staff(user)
    unknown = set(values) - set(PRODUCT_TERMS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product terms fields: {sorted(unknown)}")
    variant = instance or ProductTerms(innovation=innovation)
    if variant.pk and variant.innovation_id != innovation.pk:
        raise ValidationError(_("These terms belong to another innovation."))
    for name, value in values.items():
        if value is not None or name not in Terms.names():
            setattr(variant, name, value)
    missing = {name: _("This field is required.") for name in ("amount", "term") if getattr(variant, name) is None}
    if missing:
        raise ValidationError(missing)
    validate_terms(variant.terms)
    variant.full_clean()
    variant.save()
    return variant
