"""Staff's texts of the e-mails the portal sends (one row per registered e-mail)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin

from . import registry
from .rendering import PlaceholderError, render_texts

LANGUAGES = ("es", "en")


class EmailTemplate(PreviewableMixin, models.Model):
    """The subject and body of one e-mail in Spanish and English, as staff wrote them.

    A language whose subject and body are both blank follows the default file template
    (today's text, translated with the portal); a language is edited as a whole, subject and
    body together (the check constraint). Rows are created for every registered e-mail when
    staff open the list (`services.email_templates_ensure`); only the services write them.
    """

    key = models.CharField(_("e-mail"), max_length=50, unique=True, choices=registry.choices)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    body_es = models.TextField(
        _("text (Spanish)"),
        blank=True,
        help_text=_("Plain text. Empty subject and text: the portal's default text in this language."),
    )
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Plain text. Empty subject and text: the portal's default text in this language."),
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.CheckConstraint(
                name="email_template_spanish_whole",
                condition=Q(subject_es="", body_es="") | (~Q(subject_es="") & ~Q(body_es="")),
                violation_error_message=_("Write both the subject and the text, or leave both empty."),
            ),
            models.CheckConstraint(
                name="email_template_english_whole",
                condition=Q(subject_en="", body_en="") | (~Q(subject_en="") & ~Q(body_en="")),
                violation_error_message=_("Write both the subject and the text, or leave both empty."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.kind.label) if self.kind else self.key

    @property
    def kind(self) -> registry.EmailKind | None:
        try:
            return registry.get(self.key)
        except KeyError:
            return None

    def texts(self, language: str) -> tuple[str, str]:
        """(subject, body) staff wrote in that language; blank ones mean the default."""
        if language == "en":
            return self.subject_en, self.body_en
        return self.subject_es, self.body_es

    def is_edited(self, language: str) -> bool:
        return any(text.strip() for text in self.texts(language))

    # The preview, in each language, with the sample values of the e-mail's placeholders.

    @property
    def preview_modes(self):
        return [("es", _("Spanish")), ("en", _("English"))]

    def get_preview_template(self, request, mode_name):
        return "emails/preview.html"

    def get_preview_context(self, request, mode_name):
        language = mode_name if mode_name in LANGUAGES else "es"
        context = super().get_preview_context(request, mode_name) | {"language": language, "kind": self.kind}
        if self.kind is None:
            return context
        subject, body = self.texts(language)
        context["is_default"] = not (subject.strip() or body.strip())
        try:
            context["subject"], context["body"] = render_texts(
                kind=self.kind, language=language, subject=subject, body=body, values=self.kind.samples()
            )
        except PlaceholderError as error:
            context["error"] = str(error)
        return context
