from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Innovations")

    def ready(self) -> None:
        from . import documents, progress

        progress.connect()
        documents.register()  # its innovations and lessons in the site search
