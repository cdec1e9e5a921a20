from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Demand survey")

    def ready(self) -> None:
        from portal import api, cache, today

        from . import today as today_lines
        from .api import SurveyRoundViewSet
        from .models import EventKind, InvitationEvent, Round

        # Each round has its own version in the page cache; a reminder changes no result.
        cache.register_subject(Round, name="round")
        cache.register_quiet(InvitationEvent, lambda event, kwargs: event.kind == EventKind.REMINDED)
        api.register("survey-rounds", SurveyRoundViewSet, basename="survey-round")
        today.register(today_lines.lines)  # the rounds open today and their response rate

        from .emails import register_emails

        register_emails()  # its invitation, reminder and receipt, for staff to edit
