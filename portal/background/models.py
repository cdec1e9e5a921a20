"""The ledger of e-mails sent by background tasks (see `services.email_send_once`)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentEmail(models.Model):
    """One e-mail that went out, under the idempotency key of what it announced.

    The key names the event, not the attempt: `invitation:12:reminder:3` is the third
    reminder of invitation 12 however many times its task runs. The unique constraint is
    what stops a second run from sending it again.
    """

    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        help_text=_("What the e-mail announced, e.g. invitation:12:reminder:3; one e-mail per key."),
    )
    sent_at = models.DateTimeField(_("e-mail sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        constraints = [models.UniqueConstraint(fields=["key"], name="sent_email_one_per_key")]

    def __str__(self) -> str:
        return self.key
