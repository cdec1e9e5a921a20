"""What an MFI types for each indicator, and the file it attaches: each checked on its own."""

import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import Indicator, Unit
from ...selectors.actual import percent_from_parts
from ...services.figures import figure_errors

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf": "PDF", ".xlsx": "XLSX"}


@dataclass(frozen=True)
class Entry:
    """What was typed for one indicator (None where nothing was)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def field_names(indicator: Indicator) -> dict[str, str]:
    """The form's names for an indicator's inputs; errors are keyed by them."""
    return {"value": f"value-{indicator.pk}", "numerator": f"num-{indicator.pk}", "denominator": f"den-{indicator.pk}"}


def check_entry(indicator: Indicator, entry: Entry, errors: dict) -> Entry:
    """Each value on its own: the same rules as staff measurements (`figure_errors`), and counts
    are whole. A percentage given as a numerator and denominator gets its value from them."""
    names = field_names(indicator)
    from_parts = indicator.unit == Unit.PERCENT and entry.numerator is not None and entry.denominator is not None
    found = figure_errors(
        unit=indicator.unit,
        value=None if from_parts else entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
    )
    if indicator.unit == Unit.COUNT and entry.value is not None and entry.value != entry.value.to_integral_value():
        found["value"] = _("A count is a whole number.")
    errors.update({names[part]: message for part, message in found.items()})
    if from_parts and not found:
        value = percent_from_parts(entry.numerator, entry.denominator)
        return Entry(value=value, numerator=entry.numerator, denominator=entry.denominator)
    return entry


def check_attachment(upload) -> None:
    """PDF or XLSX, up to 10 MB, and really what its name says (read from its first bytes)."""
    name = (upload.name or "").lower()
    kind = next((k for k in ATTACHMENT_TYPES if name.endswith(k)), None)
    if kind is None:
        raise ValidationError({"attachment": _("Attach a PDF or an Excel (XLSX) file.")})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("The file is larger than 10 MB. Attach a smaller one.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if kind == ".pdf":
        genuine = head.startswith(b"%PDF-")
    else:
        try:
            genuine = head.startswith(b"PK") and "[Content_Types].xml" in zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            genuine = False
        upload.seek(0)
    if not genuine:
        raise ValidationError(
            {"attachment": _("This file is not a valid %(kind)s file.") % {"kind": ATTACHMENT_TYPES[kind]}}
        )
