"""Staff manage rounds and questionnaires in the Wagtail admin.

The admin views save through `surveys.services` so that the same rules hold as
everywhere else: a new round copies the previous questionnaire, and a
questionnaire cannot change once its round has opened.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import services
from .models import Question, Round


class RoundCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.round_create(
            year=data["year"],
            semester=data["semester"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            reminder_days=data.get("reminder_days") or 7,
            intro_es=data.get("intro_es", ""),
            intro_en=data.get("intro_en", ""),
        )


class RoundDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            services.round_delete(survey_round=self.object)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "date"
    menu_label = _("Survey rounds")
    add_view_class = RoundCreateView
    delete_view_class = RoundDeleteView
    list_display = ["__str__", "opens_on", "closes_on"]
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("semester")]),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on"), FieldPanel("reminder_days")]),
        FieldPanel("intro_es"),
        FieldPanel("intro_en"),
    ]


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses changes to a questionnaire whose round has opened, with the service's message."""

    def clean(self):
        cleaned = super().clean()
        rounds = {cleaned.get("round"), self.instance.round if self.instance.pk else None} - {None}
        for survey_round in rounds:
            try:
                services.questionnaire_check_editable(survey_round=survey_round)
            except ValidationError as error:
                self.add_error(None, error)
                return cleaned
        probe = Question(
            pk=self.instance.pk,
            round=cleaned.get("round"),
            show_if_question=cleaned.get("show_if_question"),
            show_if_option=cleaned.get("show_if_option") or "",
        )
        if probe.round is not None:
            try:
                services.question_check(question=probe)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class QuestionSaveMixin:
    def save_instance(self):
        question = self.form.save(commit=False)
        return services.question_save(question=question)


class QuestionCreateView(QuestionSaveMixin, generic.CreateView):
    pass


class QuestionEditView(QuestionSaveMixin, generic.EditView):
    pass


class QuestionDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            services.questionnaire_check_editable(survey_round=self.object.round)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.get_success_url())
        return super().form_valid(form)

    def delete_action(self):
        services.question_delete(question=self.object)


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "list-ol"
    menu_label = _("Survey questions")
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    list_display = ["code", "label_es", "round", "kind", "required"]
    list_filter = ["round", "kind"]
    search_fields = ["code", "label_es", "label_en"]
    edit_handler_panels = [
        FieldRowPanel([FieldPanel("round"), FieldPanel("code"), FieldPanel("position")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required"), FieldPanel("measures")]),
        FieldPanel("label_es"),
        FieldPanel("label_en"),
        FieldPanel("help_es"),
        FieldPanel("help_en"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("min_value"), FieldPanel("max_value"), FieldPanel("unit"), FieldPanel("decimals")]
                ),
                FieldPanel("max_choices"),
            ],
            heading=_("Limits"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_if_question"), FieldPanel("show_if_option")], heading=_("Conditional display")
        ),
        InlinePanel("options", heading=_("Options"), label=_("Option")),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=QuestionAdminForm)


class SurveyViewSetGroup(ModelViewSetGroup):
    menu_label = _("Demand survey")
    menu_icon = "form"
    items = (RoundViewSet("survey_rounds"), QuestionViewSet("survey_questions"))


@hooks.register("register_admin_viewset")
def register_survey_viewsets():
    return SurveyViewSetGroup()
