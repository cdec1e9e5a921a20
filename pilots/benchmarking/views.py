"""A member's benchmarking pages: its semesters and what to do about each, the semiannual
report form (save a draft, come back, submit), and where it stands among its peers.

Who may see what is decided here for every request, and again by the services: a member
institution's users see and report their own institution's figures only; association staff
have their own pages (`views_staff`); donors and the public read the bulletin only
(`views_bulletin`). See docs/benchmarking.md.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.permissions import is_staff

from ..forms import add_service_errors
from ..models import FinancialReport
from .forms import FinancialReportForm
from .peers import where_you_stand
from .services import financial_report_save, financial_report_submit
from .views_common import (
    Semester,
    chosen_semester,
    figure_rows,
    member_institution,
    ratio_rows,
    semesters_back,
    sign_in_first,
    standing_rows,
)

# How far back the "report another semester" list goes, in semesters (twenty years).
EARLIER_SEMESTERS = 40


def _member_or_refuse(request):
    """The requesting member user's institution; anyone else (a donor, a user without a role)
    is refused with the portal's 403 page, told where the public bulletin is."""
    institution = member_institution(request.user)
    if institution is None:
        raise PermissionDenied(
            _(
                "Only the users of a member institution have a performance page. "
                "The association's peer bulletin is open to everyone."
            )
        )
    return institution


def _form_url(semester: Semester) -> str:
    return reverse("benchmarking:report", kwargs={"year": semester.start.year, "half": semester.half})


def _semester_row(semester: Semester, report: FinancialReport | None, today) -> dict:
    """One semester of the member's list: its report's state and the one thing to do about it."""
    url = _form_url(semester)
    row = {"semester": semester, "report": report, "url": url, "note": ""}
    if report is None:
        if semester.can_be_submitted(today):
            row["action"] = _("Report %(semester)s") % {"semester": semester.label}
        else:
            row["action"] = _("Start a draft")
            row["note"] = _("You can submit it from %(day)s, the semester's last day.") % {"day": _date(semester.end)}
    elif report.was_returned:
        row["action"] = _("Correct the report")
        row["note"] = _("Corrections asked: %(comment)s") % {"comment": report.review_comment}
    elif report.is_editable:
        row["action"] = _("Finish the draft")
    elif report.awaits_review:
        row["action"] = _("See what you sent")
        row["note"] = _("Waiting for the association's review.")
    else:
        row["action"] = _("See where you stand")
        row["url"] = f"{reverse('benchmarking:home')}?semester={semester.key}#standing"
    return row


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT")


def home(request):
    """The member's page: its semesters (to report, drafts, returned, sent, approved) and,
    for an approved semester, where it stands among its peers."""
    if response := sign_in_first(request):
        return response
    if is_staff(request.user):
        return redirect("benchmarking:staff")
    institution = _member_or_refuse(request)
    today = timezone.localdate()
    if wanted := request.GET.get("report"):  # the "report another semester" chooser
        year, _dash, half = wanted.partition("-")
        if year.isdigit() and half.isdigit():
            return redirect(_form_url(Semester.from_key(int(year), int(half))))
        raise Http404(_("No such semester."))
    reports = {report.period_start: report for report in FinancialReport.objects.filter(institution=institution)}
    recent = semesters_back(today, 2)  # the semester under way and the last one ended
    if reports:  # and the one after its latest report, when it has ended unreported (a gap since)
        latest = max(reports)
        recent.append(
            Semester(datetime.date(latest.year, 7, 1) if latest.month < 7 else datetime.date(latest.year + 1, 1, 1))
        )
    semesters = sorted(
        {*(s for s in recent if s.start <= today), *(Semester(start) for start in reports)},
        key=lambda s: s.start,
        reverse=True,
    )
    approved = [Semester(start) for start, report in sorted(reports.items(), reverse=True) if report.is_approved]
    chosen = chosen_semester(request, approved)
    context = {
        "institution": institution,
        "rows": [_semester_row(semester, reports.get(semester.start), today) for semester in semesters],
        "earlier": [s for s in semesters_back(today, EARLIER_SEMESTERS) if s not in semesters],
        "approved": approved,
        "chosen": chosen,
        "standing": standing_rows(where_you_stand(institution, chosen.start)) if chosen else [],
        "title": _("Your institution's performance"),
    }
    return render(request, "pilots/benchmarking/home.html", context)


def report_form(request, year: int, half: int):
    """A member's report for one semester: save a draft, come back from any device, submit.
    Once submitted, the figures (and, approved, their ratios) are shown instead of the form."""
    if response := sign_in_first(request):
        return response
    semester = Semester.from_key(year, half)
    if is_staff(request.user):
        return redirect("benchmarking:staff")
    institution = _member_or_refuse(request)
    today = timezone.localdate()
    if semester.start > today:
        raise Http404(
            _("This semester has not started yet: it can be reported from %(day)s.") % {"day": _date(semester.start)}
        )
    report = _report(institution, semester)
    form = FinancialReportForm(report=report)
    status = 200
    if request.method == "POST":
        if report is not None and not report.is_editable:
            messages.info(request, _("This report has already been submitted; nothing was changed."))
            return redirect(_form_url(semester))
        form = FinancialReportForm(request.POST, report=report)
        status, report = _save(request, form, institution, semester, report, today)
        if status == 302:
            return redirect(_form_url(semester) if report.is_editable else reverse("benchmarking:home"))
    shown = report is not None and not report.is_editable  # sent: its figures and ratios, no form
    context = {
        "institution": institution,
        "semester": semester,
        "report": report,
        "form": form,
        "editable": report is None or report.is_editable,
        "can_submit": semester.can_be_submitted(today),
        "report_figures": figure_rows(report) if shown else [],
        "ratios": ratio_rows(report.figures()) if shown else [],
        "title": _("Financial report for %(semester)s") % {"semester": semester.label},
    }
    return render(request, "pilots/benchmarking/form.html", context, status=status)


def _report(institution, semester: Semester) -> FinancialReport | None:
    return (
        FinancialReport.objects.filter(institution=institution, period_start=semester.start)
        .select_related("updated_by", "submitted_by", "reviewed_by")
        .first()
    )


def _save(request, form, institution, semester: Semester, report, today):
    """Save the draft, and submit it when asked. Returns (status, report): 302 when done; 400
    with the refusals next to the fields, everything typed kept on screen, when refused."""
    if not form.is_valid():
        return 400, report
    try:
        report = financial_report_save(
            institution=institution,
            period_start=semester.start,
            values=form.values(),
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data.get("version"),
            user=request.user,
            today=today,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400, report
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved. You can come back to it from any device before submitting."))
        return 302, report
    try:
        financial_report_submit(report=report, version=report.version, user=request.user, today=today)
    except ValidationError as error:
        add_service_errors(form, error)
        form.add_error(None, _("Your figures were saved as a draft, but the report cannot be submitted yet."))
        form.data = form.data.copy()
        form.data["version"] = report.version  # the draft just saved is the one on screen now
        return 400, report
    messages.success(
        request, _("Report submitted. The association will review it; you will see its answer on this page.")
    )
    report.refresh_from_db()
    return 302, report
