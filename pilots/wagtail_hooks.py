"""Staff work on innovations in the Wagtail admin: one menu, a model viewset per table.

Create and edit views save through `pilots.services`, so the admin refuses the
same bad input as the quick forms on the innovation page, with the same
messages, next to the fields.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.admin_forms import NumberFieldsMixin

from . import services
from .forms import ConfirmOverride, add_service_errors
from .history import changes
from .models import (
    ChecklistItem,
    Contribution,
    EvaluationAnswer,
    Indicator,
    Innovation,
    InstitutionRatio,
    Lesson,
    Measurement,
    Milestone,
    Participation,
    PeerAverage,
    ProductTerms,
    ReportingPlan,
    SelectionCriterion,
    Target,
)
from .reporting import services as reporting


class ServiceSaveMixin:
    """Save through a service; show its refusal on the form instead of a 500."""

    service = None  # callable(form=..., user=..., instance=None | existing) -> instance

    def save_instance(self):
        existing = None if isinstance(self, generic.CreateView) else self.object
        return self.service(form=self.form, user=self.request.user, instance=existing)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceCreateView(ServiceSaveMixin, generic.CreateView):
    pass


class ServiceEditView(ServiceSaveMixin, generic.EditView):
    pass


class ServiceViewSet(NumberFieldsMixin, ModelViewSet):
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    copy_view_enabled = False
    # Fields that identify a record (its services find it by them): set when the
    # record is created, not editable afterwards, so an edit never forks a record.
    key_fields: tuple[str, ...] = ()

    def get_form_class(self, for_update=False):
        if for_update and self.key_fields:
            return modelform_factory(
                self.model,
                formfield_callback=self.formfield_for_dbfield,
                fields=[field for field in self.form_fields if field not in self.key_fields],
            )
        return super().get_form_class(for_update)

    def values(self, form, instance, *names) -> dict:
        """The form's values, with the key fields taken from the record being edited."""
        return {
            name: getattr(instance, name)
            if instance is not None and name in self.key_fields
            else form.cleaned_data.get(name)
            for name in names
        }

    def save(self, *, form, user, instance):
        raise NotImplementedError

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(service=self.save, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(service=self.save, **kwargs)


def _data(form, *fields):
    return {field: form.cleaned_data.get(field) for field in fields}


class StaleEditCheck:
    """A form mixin for models with `updated_at`: the edit form carries the version the
    person loaded, and saving over someone else's newer save is refused with the
    person's input kept on screen, instead of silently overwriting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded:
            current = (
                type(self.instance).objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            )
            if current and current.isoformat() != loaded:
                raise ValidationError(
                    _(
                        "Someone else saved this innovation while you were editing it. Your changes are still here: "
                        "open the page in another tab to see theirs, then save again."
                    )
                )
        return cleaned


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
        return type(form_class.__name__, (StaleEditCheck, form_class), {}) if for_update else form_class

    def save(self, *, form, user, instance):
        if instance is None:
            return services.innovation_create(
                user=user,
                **_data(
                    form,
                    "title",
                    "title_en",
                    "slug",
                    "summary",
                    "summary_en",
                    "product_line",
                    "countries",
                    "lead",
                    "visibility",
                    "status",
                    "started_on",
                ),
            )
        form.save()
        return form.instance


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
        fields = _data(
            form, "title", "title_en", "stage", "planned_start", "planned_date", "actual_date", "status", "notes"
        )
        if instance is None:
            return services.milestone_record(innovation=form.cleaned_data["innovation"], user=user, **fields)
        return services.milestone_update(milestone=instance, user=user, **fields)


class IndicatorViewSet(ServiceViewSet):
    model = Indicator
    icon = "tasks"
    menu_label = _("Indicators")
    list_display = ["name", "innovation", "unit", "direction", "aggregation"]
    list_filter = ["unit", "innovation"]
    search_fields = ["name"]
    form_fields = [
        "innovation",
        "name",
        "name_en",
        "unit",
        "counted",
        "direction",
        "aggregation",
        "currency",
        "order",
    ]

    def save(self, *, form, user, instance):
        if instance is None:
            return services.indicator_define(
                user=user,
                **_data(form, *IndicatorViewSet.form_fields),
            )
        form.save()
        return form.instance


class TargetViewSet(ServiceViewSet):
    model = Target
    icon = "crosshairs"
    menu_label = _("Targets")
    list_display = ["indicator", "stage", "value", "due_date"]
    list_filter = ["stage"]
    search_fields = ["indicator__name"]
    form_fields = ["indicator", "stage", "value", "due_date"]

    def save(self, *, form, user, instance):
        fields = _data(form, "stage", "value", "due_date")
        if instance is None:
            return services.target_set(indicator=form.cleaned_data["indicator"], user=user, **fields)
        return services.target_update(target=instance, user=user, **fields)


class MeasurementDeleteView(generic.DeleteView):
    """Deleting a value that counts needs a reason: the portal's own page asks for it."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("pilots:measurement_delete", pk=unquote(str(kwargs["pk"])))


class MeasurementViewSet(ServiceViewSet):
    model = Measurement
    icon = "table"
    menu_label = _("Measurements")
    list_display = ["indicator", "measured_on", "value", "participation", "source", "logged_by"]
    list_filter = ["measured_on", "indicator__innovation"]
    search_fields = ["source", "indicator__name"]
    form_fields = ["indicator", "measured_on", "value", "numerator", "denominator", "source", "participation"]
    delete_view_class = MeasurementDeleteView

    def get_form_class(self, for_update=False):
        # The quick form's "Record it anyway" when a value would change which series makes the actual.
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (ConfirmOverride, form_class), {})

    def save(self, *, form, user, instance):
        fields = _data(form, "measured_on", "value", "numerator", "denominator", "source", "participation")
        fields["confirm_override"] = form.override_confirmed
        if instance is None:
            return services.measurement_record(indicator=form.cleaned_data["indicator"], user=user, **fields)
        return services.measurement_update(measurement=instance, user=user, **fields)


class ParticipationViewSet(ServiceViewSet):
    model = Participation
    icon = "group"
    menu_label = _("Participants")
    list_display = ["institution", "innovation", "since", "stage"]
    list_filter = ["stage", "innovation"]
    search_fields = ["institution__name"]
    form_fields = ["innovation", "institution", "since", "stage", "criteria", "reported_indicators"]
    key_fields = ("innovation", "institution")

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "reported_indicators" and field is not None:
            # Indicators of different innovations share names ("Insured clients"): say whose.
            field.queryset = Indicator.objects.select_related("innovation").order_by("innovation__title", "order")
            field.label_from_instance = lambda indicator: f"{indicator.innovation} — {indicator.display_name}"
        return field

    def save(self, *, form, user, instance):
        participation = services.participation_add(
            user=user, **self.values(form, instance, "innovation", "institution", "since", "stage", "criteria")
        )
        reporting.reported_indicators_set(
            participation=participation, indicators=form.cleaned_data.get("reported_indicators") or (), user=user
        )
        return participation


class ReportingPlanViewSet(ServiceViewSet):
    model = ReportingPlan
    icon = "date"
    menu_label = _("Reporting plans")
    list_display = ["innovation", "frequency", "first_period", "last_period", "days_to_report"]
    form_fields = ["innovation", "frequency", "first_period", "last_period", "days_to_report"]
    key_fields = ("innovation",)

    def save(self, *, form, user, instance):
        return reporting.reporting_plan_save(
            user=user,
            instance=instance,
            **self.values(form, instance, "innovation", "frequency", "first_period", "last_period", "days_to_report"),
        )


class ContributionViewSet(ServiceViewSet):
    model = Contribution
    icon = "doc-full"
    menu_label = _("Contributions")
    list_display = ["funder", "innovation", "stage", "amount", "currency"]
    list_filter = ["stage", "funder", "currency"]
    search_fields = ["funder__name", "description"]
    form_fields = ["innovation", "funder", "stage", "amount", "currency", "description", "description_en"]

    def save(self, *, form, user, instance):
        if instance is None:
            return services.contribution_record(
                user=user,
                **_data(form, "innovation", "funder", "stage", "amount", "currency", "description", "description_en"),
            )
        form.save()
        return form.instance


class LessonViewSet(ServiceViewSet):
    model = Lesson
    icon = "help"
    menu_label = _("Lessons learned")
    list_display = ["text", "innovation", "stage", "kind", "recorded_on"]
    list_filter = ["stage", "kind", "innovation"]
    search_fields = ["text"]
    form_fields = ["innovation", "stage", "kind", "text", "text_en", "recorded_on"]

    def save(self, *, form, user, instance):
        fields = _data(form, "stage", "kind", "text", "text_en", "recorded_on")
        if instance is None:
            return services.lesson_record(innovation=form.cleaned_data["innovation"], user=user, **fields)
        return services.lesson_update(lesson=instance, user=user, **fields)


class ChecklistViewSet(ServiceViewSet):
    model = ChecklistItem
    icon = "tick"
    menu_label = _("Stage checklist")
    list_display = ["action", "innovation", "done_on", "evidence_url"]
    list_filter = ["innovation"]
    form_fields = ["innovation", "action", "done_on", "evidence_url"]
    key_fields = ("innovation", "action")

    def save(self, *, form, user, instance):
        return services.checklist_tick(
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
        return services.evaluation_answer_record(
            user=user, **self.values(form, instance, "innovation", "question", "answer", "answer_en")
        )


class SelectionCriterionViewSet(NumberFieldsMixin, ModelViewSet):
    model = SelectionCriterion
    icon = "list-ul"
    menu_label = _("Selection criteria")
    list_display = ["code", "name_es", "name_en"]
    form_fields = ["code", "name_es", "name_en"]


class ProductTermsViewSet(ServiceViewSet):
    """A product's terms; the service refuses terms that cannot be a product (pilots.pricing.cost)."""

    model = ProductTerms
    icon = "form"
    menu_label = _("Product terms")
    list_display = ["display_name", "innovation", "amount", "currency", "term", "frequency", "method", "rate"]
    list_filter = ["innovation", "method", "frequency"]
    search_fields = ["name", "name_en"]
    form_fields = ["innovation", *services.PRODUCT_TERMS_FIELDS]
    key_fields = ("innovation",)

    def save(self, *, form, user, instance):
        innovation = instance.innovation if instance else form.cleaned_data["innovation"]
        values = {name: form.cleaned_data.get(name) for name in services.PRODUCT_TERMS_FIELDS}
        return services.product_terms_save(innovation=innovation, user=user, instance=instance, **values)


class PeerAverageViewSet(NumberFieldsMixin, ModelViewSet):
    model = PeerAverage
    icon = "table"
    menu_label = _("Peer average APRs")
    list_display = ["country", "product_line", "size_band", "apr", "source", "as_of"]
    list_filter = ["product_line", "size_band"]
    form_fields = ["country", "product_line", "size_band", "apr", "source", "as_of"]
    copy_view_enabled = False


class InstitutionRatioViewSet(NumberFieldsMixin, ModelViewSet):
    model = InstitutionRatio
    icon = "table"
    menu_label = _("Institution ratios")
    list_display = ["institution", "year", "oss", "loan_loss_expense", "return_on_assets", "claims_ratio", "source"]
    list_filter = ["year"]
    search_fields = ["institution__name"]
    form_fields = ["institution", "year", "oss", "loan_loss_expense", "return_on_assets", "claims_ratio", "source"]
    copy_view_enabled = False


class ChangeHistoryViewSet(ViewSet):
    """Who changed what in the tracker, and when (pilots.history), for association staff."""

    menu_label = _("Change history")
    icon = "history"
    limit = 200

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [path("", self.index, name="index")]

    def index(self, request):
        if not getattr(request.user, "is_association_staff", False):
            raise PermissionDenied
        innovation = Innovation.objects.filter(slug=request.GET.get("innovation", "")).first()
        context = {
            "title": self.menu_label,
            "innovations": Innovation.objects.order_by("title"),
            "innovation": innovation,
            "changes": changes(innovation=innovation, limit=self.limit),
            "limit": self.limit,
        }
        return TemplateResponse(request, "pilots/admin/change_history.html", context)


class InnovationTrackerGroup(ViewSetGroup):
    menu_label = _("Innovation tracker")
    menu_icon = "pick"
    menu_order = 200
    items = (
        InnovationViewSet("innovations"),
        MilestoneViewSet("milestones"),
        IndicatorViewSet("indicators"),
        TargetViewSet("targets"),
        MeasurementViewSet("measurements"),
        ParticipationViewSet("participations"),
        ReportingPlanViewSet("reporting-plans"),
        ContributionViewSet("contributions"),
        LessonViewSet("lessons"),
        ChecklistViewSet("checklist"),
        EvaluationAnswerViewSet("evaluation-answers"),
        SelectionCriterionViewSet("selection-criteria"),
        ProductTermsViewSet("product-terms"),
        PeerAverageViewSet("peer-averages"),
        InstitutionRatioViewSet("institution-ratios"),
        ChangeHistoryViewSet("change-history"),
    )


@hooks.register("register_admin_viewset")
def register_tracker():
    return InnovationTrackerGroup()


class StaffMenuItem(MenuItem):
    """A link from the admin menu to one of the site's staff pages, shown to staff only."""

    def is_shown(self, request):
        return getattr(request.user, "is_association_staff", False)


@hooks.register("register_admin_menu_item")
def register_reports_queue():
    """The MFI reports queue (submitted reports and periods due without one) lives on the site."""
    return StaffMenuItem(_("MFI reports"), reverse_lazy("pilots:mfi_reports"), icon_name="doc-full", order=190)
