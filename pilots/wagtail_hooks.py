"""Staff work on innovations in the Wagtail admin: one menu, a model viewset per table
(`pilots.wagtail_admin`).

Create, edit and delete views save through `pilots.services`, so the admin refuses the
same bad input as the quick forms on the innovation page, with the same messages, next
to the fields.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.permissions import is_staff

from .wagtail_admin.history import ChangeHistoryViewSet
from .wagtail_admin.indicators import IndicatorViewSet, MeasurementViewSet, TargetViewSet
from .wagtail_admin.innovations import (
    ChecklistViewSet,
    EvaluationAnswerViewSet,
    InnovationViewSet,
    LessonViewSet,
    MilestoneViewSet,
)
from .wagtail_admin.participation import ContributionViewSet, ParticipationViewSet, ReportingPlanViewSet
from .wagtail_admin.reference import (
    InstitutionRatioViewSet,
    PeerAverageViewSet,
    ProductTermsViewSet,
    SelectionCriterionViewSet,
)


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
        return is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_queue():
    """The MFI reports queue (submitted reports and periods due without one) lives on the site."""
    return StaffMenuItem(_("MFI reports"), reverse_lazy("pilots:mfi_reports"), icon_name="doc-full", order=190)
