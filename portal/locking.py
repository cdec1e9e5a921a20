"""Two people editing the same record at once: the later save is refused, never silently
overwriting the earlier one, and the person keeps what they typed (the form is shown again
with the refusal)."""

from django.core.exceptions import ValidationError


def refuse_if_changed(record, loaded, message, *, token: str = "updated_at", strict: bool = False) -> None:
    """The portal's one optimistic lock: a form carries the `token` of the record as the person
    loaded it (a field that changes on every save), the service compares it with the stored one
    (the record locked with `select_for_update`) and refuses a save over someone else's newer one
    with `message` (a text, or a callable making it), while the form keeps the person's input.

    `token` is `updated_at` for records edited in one form (an innovation, a semester's report)
    and `version` for what is saved again and again as it is typed (an MFI's report, a survey
    response), which counts its saves. A form that loaded no token
    (None) is not checked, unless `strict`: an MFI's report posted as new when it already exists."""
    if record.pk is None or (loaded is None and not strict):
        return
    if getattr(record, token) != loaded:
        raise ValidationError(message() if callable(message) else message, code="conflict")
