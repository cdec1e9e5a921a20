"""Staff's quick forms on an innovation's page: log a measurement, record a milestone or mark
it done, advance the stage, tick the checklist. Each calls its service; a refusal shows the
page again with the person's input and the reasons (or a message at the page's top)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.permissions import staff_required

from .. import services
from ..cycle import Stage
from ..forms import (
    AdvanceStageForm,
    ChecklistTickForm,
    MeasurementForm,
    MilestoneDoneForm,
    MilestoneForm,
    add_service_errors,
)
from ..models import Innovation, Milestone, MilestoneStatus
from ..selectors import innovation_for_detail
from .innovation import page_context


def _refuse_change(request):
    raise PermissionDenied(_("Only association staff can change innovations."))


def staff_action(view):
    """Staff-only POST endpoint on an innovation: anonymous users go to the login page, others get 403."""

    @require_POST
    @staff_required(refuse=_refuse_change)
    @wraps(view)
    def wrapper(request, slug):
        return view(request, get_object_or_404(Innovation, slug=slug))

    return wrapper


def _rerender(request, innovation: Innovation, form_name: str, form) -> HttpResponse:
    """Show the page again with the person's input and the reasons it was refused."""
    innovation = innovation_for_detail(Innovation.objects.all(), innovation.slug)
    context = page_context(request, innovation, open_form=form_name, **{form_name: form})
    return render(request, "pilots/innovation_detail.html", context, status=400)


@staff_action
def log_measurement(request, innovation: Innovation):
    form = MeasurementForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            data = form.cleaned_data
            measurement = services.measurement_record(
                indicator=data["indicator"],
                measured_on=data["measured_on"],
                value=data["value"],
                source=data["source"],
                participation=data["participation"],
                submission_key=data["submission_key"],
                user=request.user,
                confirm_override=form.override_confirmed,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Measurement logged: %(indicator)s = %(value)s on %(date)s.")
                % {
                    "indicator": measurement.indicator.display_name,
                    "value": measurement.value,
                    "date": measurement.measured_on,
                },
            )
            return redirect(innovation.get_absolute_url() + "#indicators")
    return _rerender(request, innovation, "measurement_form", form)


@staff_action
def record_milestone(request, innovation: Innovation):
    form = MilestoneForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            milestone = services.milestone_record(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Milestone recorded: %(title)s.") % {"title": milestone.display_title})
            return redirect(innovation.get_absolute_url() + "#milestones")
    return _rerender(request, innovation, "milestone_form", form)


@staff_action
def complete_milestone(request, innovation: Innovation):
    form = MilestoneDoneForm(request.POST)
    form.fields["milestone"].queryset = Milestone.objects.filter(innovation=innovation)
    anchor = ""  # refused: the page's top, where the message is (static/js/error_summary.js focuses it)
    if form.is_valid():
        try:
            milestone = services.milestone_update(
                milestone=form.cleaned_data["milestone"],
                user=request.user,
                actual_date=form.cleaned_data["actual_date"],
                status=MilestoneStatus.DONE,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Milestone marked as done: %(title)s.") % {"title": milestone.display_title})
            anchor = "#milestones"
    else:
        messages.error(request, _("Give the date the milestone was completed."))
    return redirect(innovation.get_absolute_url() + anchor)


@staff_action
def tick_checklist(request, innovation: Innovation):
    form = ChecklistTickForm(request.POST)
    anchor = ""  # refused: the page's top, where the message is (static/js/error_summary.js focuses it)
    if form.is_valid():
        try:
            item = services.checklist_tick(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ticked: %(action)s.") % {"action": item.get_action_display()})
            anchor = "#checklist"
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(innovation.get_absolute_url() + anchor)


@staff_action
def advance_stage(request, innovation: Innovation):
    form = AdvanceStageForm(request.POST, innovation=innovation)
    if form.is_valid():
        try:
            change = services.innovation_advance_stage(innovation=innovation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stage changed to %(stage)s.") % {"stage": Stage(change.to_stage).label})
            return redirect(innovation.get_absolute_url() + "#stage")
    return _rerender(request, innovation, "stage_form", form)
