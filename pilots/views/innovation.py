"""An innovation's page (`pilots.innovation_page` shapes what it shows) and every
measurement of one of its indicators."""

import uuid

from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from portal.cache import CSRF_PLACEHOLDER, render_cached
from portal.cache import subject as cache_subject
from portal.permissions import is_staff

from ..forms import AdvanceStageForm, MeasurementForm, MilestoneForm
from ..innovation_page import innovation_page
from ..models import Innovation
from ..selectors import innovation_for_detail, measurements_newest_first
from ..viewing import visible_innovation

MEASUREMENTS_PAGE_SIZE = 50
# Stands for the measurement form's one-time submission key in a cached staff page.
SUBMISSION_PLACEHOLDER = uuid.UUID("00000000-0000-4000-8000-00000000cafe")
STAFF_FORMS = ("stage_form", "measurement_form", "milestone_form")


def page_context(request, innovation: Innovation, *, open_form: str = "", **forms) -> dict:
    """The page as `request`'s viewer sees it; for staff with its forms (`forms` are the ones
    given back with the person's input), `open_form` the one shown open."""
    context = innovation_page(innovation=innovation, user=request.user, language_code=request.LANGUAGE_CODE)
    if context["is_staff"]:
        context["measurement_form"] = forms.get("measurement_form") or MeasurementForm(innovation=innovation)
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm(innovation=innovation)
        context["stage_form"] = forms.get("stage_form") or AdvanceStageForm(innovation=innovation)
        context["open_form"] = open_form
        context["form_open"] = {name: name == open_form for name in STAFF_FORMS}
    return context


def innovation_detail(request, slug: str):
    """The innovation's page. Its body is cached per viewer scope (see `render_cached`); staff
    pages carry forms, whose CSRF token and one-time submission key are filled in per request."""
    staff = is_staff(request.user)

    def context() -> dict:
        innovation = visible_innovation(request, slug, load=innovation_for_detail)  # a 404 is raised, not cached
        forms = {}
        if staff:
            forms["measurement_form"] = MeasurementForm(
                innovation=innovation, initial={"submission_key": SUBMISSION_PLACEHOLDER}
            )
        return {
            **page_context(request, innovation, **forms),
            "title": innovation.display_title,
            **({"csrf_token": CSRF_PLACEHOLDER} if staff else {}),
        }

    fill = {
        CSRF_PLACEHOLDER: lambda: get_token(request),
        str(SUBMISSION_PLACEHOLDER): lambda: str(uuid.uuid4()),
    }
    pk = Innovation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404(_("No innovation found."))
    return render_cached(
        request,
        name="innovation-page",
        depends=[cache_subject("innovation", pk)],  # this innovation's version: writes to others keep it
        page_template="pilots/innovation_detail.html",
        body_template="pilots/includes/innovation_body.html",
        params={"slug": slug},
        context=context,
        keep=("title",),
        fill=fill if staff else None,
    )


def indicator_measurements(request, slug: str, pk: int):
    """Every measurement of one indicator, newest first, a page at a time: the innovation's page
    shows the latest few and links here. Seen by whoever may see the innovation."""
    innovation = visible_innovation(request, slug, load=lambda visible, slug: visible.get(slug=slug))
    indicator = get_object_or_404(innovation.indicators, pk=pk)
    paginator = Paginator(measurements_newest_first(indicator), MEASUREMENTS_PAGE_SIZE)
    context = {
        "innovation": innovation,
        "indicator": indicator,
        "page": paginator.get_page(request.GET.get("page")),
        "is_staff": is_staff(request.user),
    }
    return render(request, "pilots/indicator_measurements.html", context)
