"""Survey questions in the Wagtail admin: editable until their round opens, then read-only.

Saves go through `services.question_save` and deletions through `services.question_delete`;
the form shows the questionnaire's rules (`questionnaire_check_editable`, `question_check`)
as form errors before anything is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .. import services
from ..models import Question, QuestionType, Round
from .rounds import round_links
from .service_errors import ServiceErrorsOnForm

CONDITION_KINDS = [QuestionType.SINGLE, QuestionType.MULTIPLE]


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses changes to a questionnaire whose round has opened, with the service's message.

    The "show only if question" menu offers what `services.question_check` accepts: single
    or multiple choice questions of the same round, and earlier ones when editing. A new
    question's round is known when the listing was filtered by round (`?round=`); otherwise
    the menu names each question's round and the service refuses one of another round.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("show_if_question")
        if field is None:
            return
        choices = Question.objects.filter(kind__in=CONDITION_KINDS)
        question = self.instance
        round_id = question.round_id if question.pk else self.initial.get("round")
        if question.pk:
            earlier = Q(position__lt=question.position) | Q(position=question.position, pk__lt=question.pk)
            choices = choices.filter(round_id=round_id).filter(earlier | Q(pk=question.show_if_question_id))
            choices = choices.exclude(pk=question.pk)
        elif round_id:
            choices = choices.filter(round_id=round_id)
        if round_id:
            field.label_from_instance = lambda parent: f"{parent.code} — {parent.label}"
        else:
            choices = choices.select_related("round")
            field.label_from_instance = lambda parent: f"{parent.round.code} · {parent.code} — {parent.label}"
        field.queryset = choices.order_by("-round__year", "-round__semester", "position", "pk")

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


def question_saved_message(question: Question) -> str:
    return _("Question %(code)s of round %(round)s saved.") % {"code": question.code, "round": question.round.code}


def round_filter(request) -> int | None:
    """The round a question listing is filtered by (`?round=<id>`), if one valid id."""
    value = request.GET.get("round", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class QuestionSaveMixin(ServiceErrorsOnForm):
    """Questions are saved by `services.question_save` (their options with them)."""

    def save_instance(self):
        question = self.form.save(commit=False)
        return services.question_save(question=question)


class QuestionIndexView(generic.IndexView):
    def get_add_url(self):
        """ "Add question" from a listing filtered by round starts the question in that round."""
        url = super().get_add_url()
        round_id = round_filter(self.request)
        return f"{url}{'&' if '?' in url else '?'}round={round_id}" if url and round_id else url


class QuestionCreateView(QuestionSaveMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        round_id = round_filter(self.request)
        if round_id and Round.objects.filter(pk=round_id).exists():
            initial["round"] = round_id
        return initial

    def get_success_message(self, instance):
        return question_saved_message(instance)


# The fields a locked question shows, in the order of its edit form.
LOCKED_FIELDS = [
    "round",
    "code",
    "position",
    "kind",
    "required",
    "measures",
    "label_es",
    "label_en",
    "help_es",
    "help_en",
    "min_value",
    "max_value",
    "unit",
    "decimals",
    "max_choices",
    "show_if_question",
    "show_if_option",
]


class QuestionEditView(QuestionSaveMixin, generic.EditView):
    """Edits a question before its round opens; afterwards shows it read-only and says why.

    A POST to a locked question is still refused by `QuestionAdminForm` (the same rule,
    `services.questionnaire_check_editable`), with the form shown again and the reason.
    """

    locked_template_name = "surveys/admin/question_locked.html"

    @cached_property
    def locked_reason(self) -> str | None:
        try:
            services.questionnaire_check_editable(survey_round=self.object.round)
        except ValidationError as error:
            return error.messages[0]
        return None

    def get_template_names(self):
        if self.request.method == "GET" and self.locked_reason:
            return [self.locked_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET" and self.locked_reason:
            context["locked_reason"] = self.locked_reason
            context["fields"] = [self._locked_field(name) for name in LOCKED_FIELDS]
            context["options"] = list(self.object.options.all())
            context["round_edit_url"] = reverse("survey_rounds:edit", args=[self.object.round_id])
            context["round_links"] = round_links(self.object.round)
        return context

    def _locked_field(self, name: str) -> dict:
        field = Question._meta.get_field(name)
        value = getattr(self.object, name)
        if field.choices:
            value = getattr(self.object, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        return {"label": field.verbose_name, "value": "—" if value in (None, "") else value}

    def get_success_message(self):
        return question_saved_message(self.object)


class QuestionDeleteView(generic.DeleteView):
    def get(self, request, *args, **kwargs):
        """A locked question is not offered for deletion: its read-only page says why."""
        try:
            services.questionnaire_check_editable(survey_round=self.object.round)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("survey_questions:edit", self.object.pk)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.questionnaire_check_editable(survey_round=self.object.round)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.get_success_url())
        return super().form_valid(form)

    def delete_action(self):
        services.question_delete(question=self.object)

    def get_success_message(self):
        return _("Question %(code)s of round %(round)s deleted.") % {
            "code": self.object.code,
            "round": self.object.round.code,
        }


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "list-ol"
    menu_label = gettext_lazy("Survey questions")
    index_view_class = QuestionIndexView
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
            heading=gettext_lazy("Limits"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_if_question"), FieldPanel("show_if_option")],
            heading=gettext_lazy("Conditional display"),
        ),
        InlinePanel("options", heading=gettext_lazy("Options"), label=gettext_lazy("Option")),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=QuestionAdminForm)
