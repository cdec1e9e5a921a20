"""Numbers in the Wagtail admin read and written like everywhere else (`portal.numbers`).

`register_number_fields` (called from `PortalConfig.ready`) makes every decimal and integer
column of an admin form a `NumberField`/`WholeNumberField`, whether the form is built from
panels (Wagtail's registry) or from a viewset's `form_fields` (`NumberFieldsMixin`).
"""

from django.db import models
from wagtail.admin.forms.models import formfield_for_dbfield, register_form_field_override

from .numbers import NumberField, WholeNumberField


def register_number_fields() -> None:
    register_form_field_override(models.DecimalField, override={"form_class": NumberField})
    register_form_field_override(models.IntegerField, override={"form_class": WholeNumberField})


class NumberFieldsMixin:
    """For a ModelViewSet whose form comes from `form_fields`: the same fields as the panels get."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        return formfield_for_dbfield(db_field, **kwargs)
