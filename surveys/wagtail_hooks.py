"""Staff manage rounds and questionnaires in the Wagtail admin: the entry point Wagtail imports.

The admin views (`surveys.admin_views.rounds`, `surveys.admin_views.questions`) save through
`surveys.services` so that the same rules hold as everywhere else: a new round copies the
previous questionnaire (the create form says which one), and a questionnaire cannot change
once its round has opened (its questions then open read-only). Messages are whole
translatable sentences, since Wagtail's "%(model_name)s '%(object)s' updated." cannot agree
with a feminine noun in Spanish ("El pregunta … actualizado").
"""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from .admin_views.questions import QuestionViewSet
from .admin_views.rounds import RoundViewSet


class SurveyViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Demand survey")
    menu_icon = "form"
    items = (RoundViewSet("survey_rounds"), QuestionViewSet("survey_questions"))


@hooks.register("register_admin_viewset")
def register_survey_viewsets():
    return SurveyViewSetGroup()
