"""Checks on files attached to research reports: PDF only, and not too large."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_document_bytes() -> int:
    return getattr(settings, "RESEARCH_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def validate_research_pdf(document) -> None:
    """Refuse anything that is not a PDF (by extension and by its first bytes) or is too big."""
    file = document.file
    name = (file.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("Attach PDF documents only."), code="not_pdf")
    try:
        size = document.file_size or file.size
    except (OSError, ValueError):
        size = 0
    if size and size > max_document_bytes():
        raise ValidationError(
            _("The document is too large: %(size)d MB at most.") % {"size": max_document_bytes() // (1024 * 1024)},
            code="too_large",
        )
    try:
        file.open("rb")
        head = file.read(5)
        file.seek(0)
    except (OSError, ValueError):
        head = b""
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a valid PDF document."), code="not_pdf")
