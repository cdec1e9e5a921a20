from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailsConfig(AppConfig):
    name = "portal.emails"
    label = "emails"
    verbose_name = _("E-mail templates")
    default_auto_field = "django.db.models.BigAutoField"
