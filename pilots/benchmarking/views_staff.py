"""Staff's benchmarking pages: every institution's reports by semester, the review queue, one
report's review (approve, or return with what to correct) and one institution's ratios.

Staff only, on the server (`portal.permissions.staff_required`). The one address a member
may also reach is a report's own (`reports/<pk>/`): its institution's users are sent to their
form, any other member gets a 404 (a report of another institution does not exist for them),
donors a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.accounts.models import MemberInstitution
from portal.permissions import is_member, is_staff, staff_required

from ..forms import add_service_errors
from ..history import report_history
from ..models import FinancialReport, ReportState
from .forms import ReturnForm
from .peers import where_you_stand
from .ratios import RATIOS, ratios_of
from .services import financial_report_approve, financial_report_return
from .views_common import Semester, chosen_semester, figure_rows, ratio_rows, ratio_text, sign_in_first, standing_rows

# How many semesters the overview's table and an institution's ratios show, newest first.
SEMESTERS_SHOWN = 6


def _refuse(request):
    raise PermissionDenied(_("Only association staff review members' financial reports."))


@staff_required(refuse=_refuse)
def overview(request):
    """The review queue, then every member institution's reports of the latest semesters."""
    queue = list(
        FinancialReport.objects.filter(state=ReportState.SUBMITTED)
        .select_related("institution", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    starts = list(
        FinancialReport.objects.order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:SEMESTERS_SHOWN]
    )
    semesters = [Semester(start) for start in starts]
    states = {
        (report.institution_id, report.period_start): report
        for report in FinancialReport.objects.filter(period_start__in=starts).only(
            "pk", "institution_id", "period_start", "state"
        )
    }
    institutions = [
        {"institution": institution, "cells": [_cell(states.get((institution.pk, s.start))) for s in semesters]}
        for institution in MemberInstitution.objects.order_by("name").only("pk", "name")
    ]
    context = {
        "queue": [{"report": report, "semester": Semester(report.period_start)} for report in queue],
        "semesters": semesters,
        "institutions": institutions,
        "title": _("Members' performance reports"),
    }
    return render(request, "pilots/benchmarking/staff.html", context)


def _cell(report: FinancialReport | None) -> dict:
    """One institution's report of one semester in the overview: a draft is the member's own
    until submitted, so staff see its state but cannot open it."""
    return {"report": report, "opens": report is not None and report.state != ReportState.DRAFT}


def report_detail(request, pk: int):
    """One report. Staff review it; its institution's users are sent to their form; any other
    member is told it does not exist; donors are refused."""
    if response := sign_in_first(request):
        return response
    report = get_object_or_404(
        FinancialReport.objects.select_related("institution", "submitted_by", "reviewed_by", "updated_by"), pk=pk
    )
    user = request.user
    if not is_staff(user):
        if is_member(user) and user.institution_id == report.institution_id:
            semester = Semester(report.period_start)
            return redirect("benchmarking:report", year=semester.start.year, half=semester.half)
        if is_member(user):
            raise Http404(_("No such report."))
        _refuse(request)
    if report.state == ReportState.DRAFT:
        raise Http404(_("This report is a draft: the institution has not submitted it yet."))
    return_form = ReturnForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                financial_report_approve(report=report, user=user)
                messages.success(request, _("Report approved: its ratios now count in the peer groups."))
                return redirect("benchmarking:report_detail", pk=report.pk)
            if action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    financial_report_return(
                        report=report, comment=return_form.cleaned_data["review_comment"], user=user
                    )
                    messages.success(request, _("Report returned to the institution with your comment."))
                    return redirect("benchmarking:report_detail", pk=report.pk)
            status = 400
        except ValidationError as error:
            add_service_errors(return_form, error)
            status = 400
        report.refresh_from_db()
    semester = Semester(report.period_start)
    context = {
        "report": report,
        "semester": semester,
        "figures": figure_rows(report),
        "ratios": ratio_rows(report.figures()),
        "return_form": return_form,
        "history": report_history(report),
        "title": _("%(institution)s: financial report for %(semester)s")
        % {"institution": report.institution.name, "semester": semester.label},
    }
    return render(request, "pilots/benchmarking/review.html", context, status=status)


@staff_required(refuse=_refuse)
def institution(request, pk: int):
    """One institution's ratios over its latest approved semesters, and where it stands in one."""
    member = get_object_or_404(MemberInstitution, pk=pk)
    reports = list(
        FinancialReport.objects.filter(institution=member).select_related("submitted_by").order_by("-period_start")
    )
    approved = [report for report in reports if report.is_approved][:SEMESTERS_SHOWN]
    values = [ratios_of(report.figures()) for report in approved]
    table = [
        {"label": ratio.label, "cells": [ratio_text(row[ratio.key], ratio.unit) for row in values]} for ratio in RATIOS
    ]
    chosen = chosen_semester(request, [Semester(report.period_start) for report in approved])
    context = {
        "institution": member,
        "reports": [{**_cell(report), "semester": Semester(report.period_start)} for report in reports],
        "semesters": [Semester(report.period_start) for report in approved],
        "table": table,
        "chosen": chosen,
        "standing": standing_rows(where_you_stand(member, chosen.start)) if chosen else [],
        "title": _("%(institution)s: performance") % {"institution": member.name},
    }
    return render(request, "pilots/benchmarking/institution.html", context)
