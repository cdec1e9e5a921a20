"""MFI reporting pages: the member's reports and form, staff's review queue and review, attachments.

Who may do what is decided here on the server for every request (and again by the
services): a member user fills in its own institution's reports only; staff review;
donors, other members and anonymous visitors see no report (docs/reporting.md).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import is_staff, staff_required

from ..forms import add_service_errors
from ..history import report_history
from ..models import Innovation, Measurement, MFIReport, MFIReportValue, Participation, ReportState
from . import kept as kept_files
from . import services
from .filters import MFIReportFilter
from .forms import DeleteMeasurementForm, MFIReportForm, ReturnForm, ReviewForm
from .periods import period_of
from .selectors import last_values, overdue_periods, report_url, review_queue, to_report

QUEUE_PAGE_SIZE = 30


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def reports_home(request):
    """Staff: the review queue, and the periods due without a report. A member user: its institution's reports and what is still to report."""
    if response := _signed_in(request):
        return response
    user = request.user
    if is_staff(user):
        data = request.GET if request.GET else {"state": ReportState.SUBMITTED}
        filterset = MFIReportFilter(data, queryset=review_queue())
        page = Paginator(filterset.qs if filterset.is_valid() else review_queue().none(), QUEUE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        due = Paginator(overdue_periods(today=timezone.localdate()), QUEUE_PAGE_SIZE).get_page(request.GET.get("due"))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("due", None)
        return render(
            request,
            "pilots/reporting/queue.html",
            {
                "filter": filterset,
                "page": page,
                "due": due,
                "query": query.urlencode(),
                "title": _("MFI reports to review"),
            },
        )
    if not user.is_member:
        raise PermissionDenied(_("Only association staff and member MFIs' users see MFI reports."))
    reports = (
        MFIReport.objects.filter(participation__institution_id=user.institution_id)
        .select_related("participation__innovation", "submitted_by", "reviewed_by")
        .order_by("-period_start")
    )
    return render(
        request,
        "pilots/reporting/mine.html",
        {
            "to_report": to_report(user=user, today=timezone.localdate()),
            "reports": reports[:60],
            "title": _("Your institution's reports"),
        },
    )


def _period_start(period: str) -> datetime.date:
    try:
        year, month = (int(part) for part in period.split("-"))
        return datetime.date(year, month, 1)
    except ValueError as bad:
        raise Http404(_("No such period.")) from bad


def _report_with_values(participation: Participation, start: datetime.date) -> MFIReport | None:
    return (
        MFIReport.objects.filter(participation=participation, period_start=start)
        .select_related("submitted_by", "reviewed_by", "updated_by")
        .prefetch_related(Prefetch("values", queryset=MFIReportValue.objects.select_related("indicator")))
        .first()
    )


def report_form(request, slug: str, period: str):
    """A member user's report for one period: save a draft, come back later, submit."""
    if response := _signed_in(request):
        return response
    user = request.user
    start = _period_start(period)
    innovation = get_object_or_404(Innovation.objects.visible_to(user), slug=slug)
    if is_staff(user):
        report = MFIReport.objects.filter(participation__innovation=innovation, period_start=start).first()
        if report is None:
            raise Http404(_("No MFI has reported this period yet."))
        return redirect("pilots:mfi_report_review", pk=report.pk)
    participation = (
        Participation.objects.filter(innovation=innovation, institution_id=getattr(user, "institution_id", None))
        .select_related("institution")
        .first()
    )
    if participation is None or not services.can_report(user, participation):
        raise PermissionDenied(_("Only users of an MFI taking part in this innovation can report its figures."))
    plan = getattr(innovation, "reporting_plan", None)
    try:
        found = services.reporting_period(
            participation=participation, plan=plan, period_start=start, today=timezone.localdate()
        )
    except ValidationError as closed:
        raise Http404(closed.messages[0]) from closed
    indicators = list(participation.reported_indicators.order_by("order", "pk"))
    if not indicators:
        raise Http404(_("The association has not said which figures your institution reports for this innovation."))
    report = _report_with_values(participation, start)
    form = MFIReportForm(indicators=indicators, report=report)
    status = 200
    if request.method == "POST":
        if report is not None and not report.is_editable:
            messages.info(request, _("This report has already been submitted; nothing was changed."))
            return redirect(report_url(innovation, found))
        form = MFIReportForm(request.POST, request.FILES, indicators=indicators, report=report)
        submitting = request.POST.get("action") == "submit"
        status, report = _save(request, form, participation, found, report, submitting)
        if status == 302:
            return redirect(report_url(innovation, found))
    latest = last_values([participation.pk], [i.pk for i in indicators], before=found.end)
    context = {
        "innovation": innovation,
        "participation": participation,
        "period": found,
        "report": report,
        "form": form,
        "rows": [{**row, "last": latest.get((participation.pk, row["indicator"].pk))} for row in form.bound_rows()],
        "editable": report is None or report.is_editable,
        "due_on": found.due_on(plan),
        "title": _("%(innovation)s: report for %(period)s")
        % {"innovation": innovation.display_title, "period": found.label},
    }
    return render(request, "pilots/reporting/form.html", context, status=status)


def _save(request, form, participation, period, report, submitting: bool):
    """Save the draft (and submit it when asked). Returns (status, report): 302 when done;
    400 with the form's errors, the typed figures kept on screen, when refused. A file chosen
    in a refused post is kept for the next one (`pilots.reporting.kept`)."""
    valid = form.is_valid()
    upload = form.cleaned_data.get("attachment")
    token = form.cleaned_data.get("kept_attachment")
    kept = None
    if token:
        try:
            kept = kept_files.attachment_claim(
                token=token, user=request.user, participation=participation, period_start=period.start
            )
        except ValidationError as error:
            if upload is None:  # a new file replaces whatever was kept
                add_service_errors(form, error)
                valid = False
    if not valid:
        _keep_attachment(request, form, participation, period, upload, kept)
        return 400, report
    attachment = upload or (kept.open() if kept else None)
    try:
        report = services.report_save_draft(
            participation=participation,
            period_start=period.start,
            entries=form.entries(),
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data.get("version"),
            attachment=attachment,
            user=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        _keep_attachment(request, form, participation, period, upload, kept)
        return 400, report
    finally:
        if attachment is not None and attachment is not upload:
            attachment.close()
    if kept is not None:
        kept_files.attachment_discard(kept)  # attached (the report has its own copy), or replaced
    if not submitting:
        messages.success(request, _("Draft saved. You can come back to it from any device before submitting."))
        return 302, report
    try:
        services.report_submit(report=report, version=report.version, user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        form.add_error(None, _("Your figures were saved as a draft, but the report is not complete yet."))
        report = _report_with_values(participation, period.start)
        form.data = form.data.copy()
        form.data["version"] = report.version
        form.data["kept_attachment"] = ""  # saved with the draft: shown as the report's attachment
        return 400, report
    messages.success(request, _("Report submitted. The association will review it; you will see its answer here."))
    return 302, report


def _keep_attachment(request, form, participation, period, upload, kept) -> None:
    """After a refusal, keep for the next post the file chosen this time (once it passes its
    checks), else the one kept before; the form shows it as "Kept: <name>"."""
    if upload is not None and "attachment" not in form.errors:
        try:
            services.check_attachment(upload)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if kept is not None:
                kept_files.attachment_discard(kept)  # replaced by the new file
            kept = kept_files.attachment_keep(
                upload=upload, user=request.user, participation=participation, period_start=period.start
            )
    elif upload is None and "attachment" in form.errors:
        kept = None  # the kept file itself was refused (expired, or not this user's)
    form.kept = kept
    form.data = form.data.copy()
    form.data["kept_attachment"] = kept.token if kept else ""


def _refuse_review(request):
    raise PermissionDenied(_("Only association staff can review MFI reports."))


def report_review(request, pk: int):
    """Staff review one report: its figures next to the MFI's last counted ones; approve or return."""
    if response := _signed_in(request):
        return response
    report = get_object_or_404(
        MFIReport.objects.select_related(
            "participation__institution", "participation__innovation__reporting_plan", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
    if not is_staff(request.user):
        if services.can_report(request.user, report.participation):
            return redirect(report_url(report.participation.innovation, report.period_start))
        raise PermissionDenied(_("Only association staff can review MFI reports."))
    if report.state == ReportState.DRAFT:
        raise Http404(_("This report is a draft: the MFI has not submitted it yet."))
    return_form = ReturnForm(initial={"version": report.version})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve = ReviewForm(request.POST)
                version = approve.cleaned_data["version"] if approve.is_valid() else None
                services.report_approve(report=report, user=request.user, version=version)
                messages.success(request, _("Report approved: its figures now count."))
                return redirect("pilots:mfi_report_review", pk=report.pk)
            if action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.report_return(
                        report=report,
                        user=request.user,
                        comment=return_form.cleaned_data["review_comment"],
                        version=return_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Report returned to the MFI with your comment."))
                    return redirect("pilots:mfi_report_review", pk=report.pk)
            status = 400
        except ValidationError as error:
            add_service_errors(return_form, error)
            status = 400
        report.refresh_from_db()
    plan = report.participation.innovation.reporting_plan
    values = list(report.values.select_related("indicator").order_by("indicator__order", "indicator_id"))
    previous = last_values([report.participation_id], [v.indicator_id for v in values], before=report.period_end)
    context = {
        "report": report,
        "innovation": report.participation.innovation,
        "period": period_of(plan, report.period_start),
        "values": [{"value": v, "last": previous.get((report.participation_id, v.indicator_id))} for v in values],
        "return_form": return_form,
        "history": report_history(report),
        "title": _("Report of %(mfi)s") % {"mfi": report.participation.institution.name},
    }
    return render(request, "pilots/reporting/review.html", context, status=status)


def report_attachment(request, pk: int):
    """The report's attachment, for staff and the MFI's own users only."""
    if response := _signed_in(request):
        return response
    report = get_object_or_404(MFIReport.objects.select_related("participation"), pk=pk)
    if not (is_staff(request.user) or services.can_report(request.user, report.participation)):
        raise PermissionDenied(_("Only association staff and the MFI's users can read this attachment."))
    if not report.attachment:
        raise Http404(_("This report has no attachment."))
    response = FileResponse(
        report.attachment.open("rb"), as_attachment=True, filename=report.attachment_name or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(refuse=_refuse_review)
def measurement_delete(request, pk: int):
    """Staff delete a counted value, saying why; the value and the reason stay in the history."""
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__innovation", "participation__institution", "report"), pk=pk
    )
    innovation = measurement.indicator.innovation
    form = DeleteMeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_delete(measurement=measurement, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value was deleted; it stays in the change history with your reason."))
            return redirect(reverse("pilots:detail", kwargs={"slug": innovation.slug}) + "#indicators")
    return render(
        request,
        "pilots/reporting/delete_measurement.html",
        {"measurement": measurement, "innovation": innovation, "form": form, "title": _("Delete a value")},
        status=400 if request.method == "POST" else 200,
    )
