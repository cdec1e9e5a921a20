"""Survey rounds in the Wagtail admin: create (copying the previous questionnaire), edit, delete.

Each write goes through its service (`round_create`, `round_update`, `round_delete`); the edit
form shows `round_check_update`'s field-keyed refusals before anything is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .. import services
from ..models import Round, Semester
from .service_errors import ServiceErrorsOnForm, show_on_form


def round_links(survey_round: Round) -> list[dict]:
    """Where staff follow a round from the admin: who answered, what they said, what members see."""
    return [
        {"url": reverse("surveys:status", args=[survey_round.pk]), "label": _("Status")},
        {"url": reverse("surveys:results", args=[survey_round.pk]), "label": _("Results")},
        {"url": reverse("surveys:preview", args=[survey_round.pk]), "label": _("Try it as a member")},
    ]


def next_semester() -> tuple[int, int]:
    """The year and semester after the latest round: what staff usually create next."""
    latest = Round.objects.order_by("-year", "-semester").first()
    if latest is None:
        today = timezone.localdate()
        return today.year, Semester.FIRST if today.month <= 6 else Semester.SECOND
    if latest.semester == Semester.FIRST:
        return latest.year, Semester.SECOND
    return latest.year + 1, Semester.FIRST


def copy_notice(*, year: int, semester: int) -> str:
    """What the new-round form says it will copy, from the same rule `services.round_create` follows."""
    code = Round(year=year, semester=semester).code
    source = services.previous_round(year=year, semester=semester)
    if source is None:
        return _(
            "There is no round before %(code)s: the new round's questionnaire starts empty. "
            "Add its questions under “Survey questions” once the round is created."
        ) % {"code": code}
    count = source.questions.count()
    return ngettext(
        "A new round starts with a copy of the questionnaire of the latest round before it. "
        "For %(code)s that is round %(source)s: %(count)s question, which you can change until the round opens.",
        "A new round starts with a copy of the questionnaire of the latest round before it. "
        "For %(code)s that is round %(source)s: %(count)s questions, which you can change until the round opens.",
        count,
    ) % {"code": code, "source": source.code, "count": count}


class RoundCreateView(ServiceErrorsOnForm, generic.CreateView):
    template_name = "surveys/admin/round_create.html"

    def get_initial(self):
        year, semester = next_semester()
        return {**super().get_initial(), "year": year, "semester": semester}

    def _chosen_semester(self) -> tuple[int, int]:
        """The year and semester the form holds now: as typed when they are valid, else the suggestion."""
        form = getattr(self, "form", None)
        cleaned = getattr(form, "cleaned_data", None) or {}
        if cleaned.get("year") and cleaned.get("semester"):
            return int(cleaned["year"]), int(cleaned["semester"])
        initial = self.get_initial()
        return initial["year"], initial["semester"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, semester = self._chosen_semester()
        context["copy_notice"] = copy_notice(year=year, semester=semester)
        return context

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

    def get_success_message(self, instance):
        count = instance.questions.count()
        source = services.previous_round(year=instance.year, semester=instance.semester)
        if source is None or not count:
            return _("Round %(code)s created, with an empty questionnaire.") % {"code": instance.code}
        return ngettext(
            "Round %(code)s created, with a copy of the questionnaire of round %(source)s (%(count)s question).",
            "Round %(code)s created, with a copy of the questionnaire of round %(source)s (%(count)s questions).",
            count,
        ) % {"code": instance.code, "source": source.code, "count": count}


class RoundAdminForm(WagtailAdminModelForm):
    """Refuses what the round's state has made history (its opening day once open, …), with
    the service's field-keyed messages, before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = Round.objects.get(pk=self.instance.pk)  # the form has not touched it yet
        changes = {name: cleaned[name] for name in services.ROUND_DETAILS if name in cleaned}
        try:
            services.round_check_update(survey_round=current, changes=changes)
        except ValidationError as error:
            show_on_form(self, error)
        return cleaned


class RoundEditView(ServiceErrorsOnForm, generic.EditView):
    template_name = "surveys/admin/round_edit.html"

    def save_instance(self):
        data = self.form.cleaned_data
        details = {name: data[name] for name in services.ROUND_DETAILS if name in data}
        return services.round_update(survey_round=self.object, **details)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["round_links"] = round_links(self.object)
        return context

    def get_success_message(self):
        return _("Round %(code)s saved.") % {"code": self.object.code}


class RoundDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            services.round_delete(survey_round=self.object)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def get_success_message(self):
        return _("Round %(code)s deleted.") % {"code": self.object.code}


class RoundLinksColumn(Column):
    """The listing's links to a round's status, results and member preview."""

    cell_template_name = "surveys/admin/round_links_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["links"] = round_links(instance)
        return context


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "date"
    menu_label = gettext_lazy("Survey rounds")
    add_view_class = RoundCreateView
    edit_view_class = RoundEditView
    delete_view_class = RoundDeleteView
    # Wagtail's "Copy" would prefill a round with the same year and semester, beside "Add",
    # which is how a round is made: it says which questionnaire it copies.
    copy_view_enabled = False
    list_display = [
        "__str__",
        "state",
        "opens_on",
        "closes_on",
        RoundLinksColumn("links", label=gettext_lazy("Follow-up")),
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("semester")]),
            FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on"), FieldPanel("reminder_days")]),
            FieldPanel("intro_es"),
            FieldPanel("intro_en"),
        ],
        base_form_class=RoundAdminForm,
    )
