from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Demand survey")

    def ready(self) -> None:
        from portal import api, today

        from . import today as today_lines
        from .api import SurveyRoundViewSet

        api.register("survey-rounds", SurveyRoundViewSet, basename="survey-round")
        today.register(today_lines.lines)  # the rounds open today and their response rate

        from .emails import register_emails

        register_emails()  # its invitation, reminder and receipt, for staff to edit
