"""Every write to the e-mail templates, with the rules staff's texts must follow.

A text may use only the placeholders its e-mail offers, written `{name}` (see
`rendering`); the body must keep the placeholders the e-mail cannot do without (an
invitation's personal `{link}`); a block of lines (`{answers}`) cannot go in a subject.
A language is edited whole: a subject without a text (or the reverse) is refused, and
a language left empty, or left exactly as the default text the form starts from, keeps
following the default file template (so later fixes to it reach that language).
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..permissions import is_staff
from . import registry
from .models import EmailTemplate
from .registry import EmailKind
from .rendering import PlaceholderError, default_texts, placeholders_in

FIELDS = {"es": ("subject_es", "body_es"), "en": ("subject_en", "body_en")}


def _require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Only association staff can edit e-mail templates."))


def _placeholder_errors(kind: EmailKind, text: str, *, subject: bool) -> list[str]:
    try:
        names = placeholders_in(text)
    except PlaceholderError as error:
        return [str(error)]
    allowed = ", ".join("{" + name + "}" for name in kind.names)
    for name in names:
        placeholder = kind.placeholder(name)
        if placeholder is None:
            return [
                _("Unknown placeholder {%(name)s}. This e-mail can use: %(allowed)s.")
                % {"name": name, "allowed": allowed}
            ]
        if subject and placeholder.multiline:
            return [_("{%(name)s} has several lines: it can go in the text, not in the subject.") % {"name": name}]
    if subject:
        return []
    return [
        _("The text must contain {%(name)s}: %(meaning)s") % {"name": name, "meaning": kind.placeholder(name).help}
        for name in kind.required
        if name not in names
    ]


def email_template_clean(*, key: str, texts: Mapping[str, str]) -> dict[str, str]:
    """The texts as they are stored (keyed by field: subject_es, body_es, subject_en, body_en),
    or a ValidationError whose messages are keyed by the same fields and name the placeholder."""
    try:
        kind = registry.get(key)
    except KeyError:
        raise ValidationError({"key": _("The portal sends no e-mail by this name.")}) from None
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for language, (subject_field, body_field) in FIELDS.items():
        subject = " ".join(texts.get(subject_field, "").split())
        body = texts.get(body_field, "").replace("\r\n", "\n").replace("\r", "\n").strip()
        body = body + "\n" if body else ""
        if (subject, body) == default_texts(kind=kind, language=language):
            subject, body = "", ""  # left as the form showed it: keeps following the default
        if bool(subject) != bool(body):
            missing = body_field if subject else subject_field
            errors[missing] = [_("Write both the subject and the text in this language, or leave both empty.")]
        for field, text, is_subject in ((subject_field, subject, True), (body_field, body, False)):
            if text:
                errors.setdefault(field, []).extend(_placeholder_errors(kind, text, subject=is_subject))
        cleaned[subject_field], cleaned[body_field] = subject, body
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def email_template_update(
    *, template: EmailTemplate, user, subject_es: str, body_es: str, subject_en: str, body_en: str
) -> EmailTemplate:
    """Save staff's texts of one e-mail (both languages at once), or refuse them with the
    field's message; records who changed them and when."""
    _require_staff(user)
    texts = {"subject_es": subject_es, "body_es": body_es, "subject_en": subject_en, "body_en": body_en}
    cleaned = email_template_clean(key=template.key, texts=texts)
    for field, value in cleaned.items():
        setattr(template, field, value)
    template.updated_at = timezone.now()
    template.updated_by = user
    template.full_clean()
    template.save(update_fields=[*cleaned, "updated_at", "updated_by"])
    return template


def email_templates_ensure() -> int:
    """A row for every registered e-mail that has none yet (all following their default);
    how many were created. Idempotent, and safe when two requests do it at once."""
    existing = set(EmailTemplate.objects.values_list("key", flat=True))
    missing = [EmailTemplate(key=kind.key) for kind in registry.kinds() if kind.key not in existing]
    if missing:
        EmailTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
