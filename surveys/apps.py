from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Demand survey")

    def ready(self) -> None:
        from portal import api, cache, demo_loaders, jobs, today

        from . import today as today_lines
        from .api import SurveyRoundViewSet
        from .models import EventKind, InvitationEvent, Round

        # The survey's pages keep their own namespace, which the network's data also retire
        # (an institution's country and type group its answers); a draft's answers retire nothing.
        cache.watch("surveys", namespaces=("surveys",), derived=("answer",))
        cache.watch("accounts", namespaces=("surveys",))
        jobs.register("open_and_close_rounds", every="remind")  # scheduled rounds open, past ones close
        jobs.register("send_survey_reminders", every="remind")  # once per member and round
        demo_loaders.register("surveys.demo")  # survey rounds and answers linked to the innovations
        # Each round has its own version in the page cache; a reminder changes no result.
        cache.register_subject(Round, name="round")
        cache.register_quiet(InvitationEvent, lambda event, kwargs: event.kind == EventKind.REMINDED)
        api.register("survey-rounds", SurveyRoundViewSet, basename="survey-round")
        today.register(today_lines.lines)  # the rounds open today and their response rate

        from .emails import register_emails

        register_emails()  # its invitation, reminder and receipt, for staff to edit
