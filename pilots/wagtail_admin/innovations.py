"""The admin's tables of an innovation's own record: the innovation, its milestones, lessons,
Table 1's checklist and its evaluation answers."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ChecklistItem, EvaluationAnswer, Innovation, Lesson, Milestone
from ..services.innovations import EDITABLE_FIELDS, innovation_create, innovation_update
from ..services.learning import checklist_tick, evaluation_answer_record, lesson_record, lesson_update
from ..services.milestones import milestone_record, milestone_update
from .base import ServiceViewSet, changes, data


class LoadedVersion:
    """An edit form mixin: the form carries the `updated_at` the person loaded, which the
    service compares with the stored one (`portal.locking.refuse_if_changed`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    @property
    def loaded_version(self) -> datetime.datetime | None:
        try:
            return datetime.datetime.fromisoformat(self.cleaned_data.get("loaded_version") or "")
        except ValueError:
            return None


class InnovationViewSet(ServiceViewSet):
    model = Innovation
    icon = "pick"
    menu_label = _("Innovations")
    list_display = ["title", "stage", "status", "visibility", "product_line"]
    list_filter = ["stage", "status", "visibility", "product_line"]
    search_fields = ["title", "summary"]
    form_fields = [
        "title",
        "slug",
        "summary",
        "product_line",
        "countries",
        "lead",
        "visibility",
        "status",
        "started_on",
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (LoadedVersion, form_class), {}) if for_update else form_class

    def save(self, *, form, user, instance):
        if instance is None:
            return innovation_create(user=user, **data(form, *EDITABLE_FIELDS))
        return innovation_update(
            innovation=instance,
            user=user,
            expected_updated_at=form.loaded_version,
            **changes(form, *EDITABLE_FIELDS),
        )


class MilestoneViewSet(ServiceViewSet):
    model = Milestone
    icon = "date"
    menu_label = _("Milestones")
    list_display = ["title", "innovation", "stage", "planned_date", "actual_date", "status"]
    list_filter = ["stage", "status", "innovation"]
    search_fields = ["title", "notes"]
    form_fields = [
        "innovation",
        "title",
        "title_en",
        "stage",
        "planned_start",
        "planned_date",
        "actual_date",
        "status",
        "notes",
    ]

    def save(self, *, form, user, instance):
        fields = data(
            form, "title", "title_en", "stage", "planned_start", "planned_date", "actual_date", "status", "notes"
        )
        if instance is None:
            return milestone_record(innovation=form.cleaned_data["innovation"], user=user, **fields)
        return milestone_update(milestone=instance, user=user, **fields)


class LessonViewSet(ServiceViewSet):
    model = Lesson
    icon = "help"
    menu_label = _("Lessons learned")
    list_display = ["text", "innovation", "stage", "kind", "recorded_on"]
    list_filter = ["stage", "kind", "innovation"]
    search_fields = ["text"]
    form_fields = ["innovation", "stage", "kind", "text", "text_en", "recorded_on"]

    def save(self, *, form, user, instance):
        fields = data(form, "stage", "kind", "text", "text_en", "recorded_on")
        if instance is None:
            return lesson_record(innovation=form.cleaned_data["innovation"], user=user, **fields)
        return lesson_update(lesson=instance, user=user, **fields)


class ChecklistViewSet(ServiceViewSet):
    model = ChecklistItem
    icon = "tick"
    menu_label = _("Stage checklist")
    list_display = ["action", "innovation", "done_on", "evidence_url"]
    list_filter = ["innovation"]
    form_fields = ["innovation", "action", "done_on", "evidence_url"]
    key_fields = ("innovation", "action")

    def save(self, *, form, user, instance):
        return checklist_tick(
            user=user, **self.values(form, instance, "innovation", "action", "done_on", "evidence_url")
        )


class EvaluationAnswerViewSet(ServiceViewSet):
    model = EvaluationAnswer
    icon = "help"
    menu_label = _("Evaluation questions")
    list_display = ["question", "innovation"]
    list_filter = ["question", "innovation"]
    search_fields = ["answer"]
    form_fields = ["innovation", "question", "answer", "answer_en"]
    key_fields = ("innovation", "question")

    def save(self, *, form, user, instance):
        return evaluation_answer_record(
            user=user, **self.values(form, instance, "innovation", "question", "answer", "answer_en")
        )
