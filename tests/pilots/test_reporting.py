"""MFIs report their own figures; staff approve them before they count (pilots.reporting)."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from pilots.models import IndicatorProgress, Measurement, MFIReport, ReportState, Unit
from pilots.progress import ensure_current
from pilots.reporting import services
from pilots.reporting.reminders import reminders_send_due
from pilots.reporting.services import Entry
from pilots.selectors import weighted_percent
from pilots.services import measurement_update
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, ParticipationFactory, TargetFactory
from tests.research.fixtures import home, locales  # noqa: F401

D = datetime.date
APRIL = D(2021, 4, 1)


@pytest.fixture
def pilot(db, staff_user, member_user):
    """A pilot with a monthly plan from January to June 2021; the member's MFI reports clients and satisfaction."""
    innovation = InnovationFactory(slug="micro-insurance", started_on=D(2020, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Insured clients", unit=Unit.COUNT, order=1)
    satisfaction = IndicatorFactory(innovation=innovation, name="Satisfaction", unit=Unit.PERCENT, order=2)
    TargetFactory(indicator=clients, value=Decimal(10_000), due_date=D(2030, 1, 1))
    services.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2021, 1, 1),
        last_period=D(2021, 6, 1),
        days_to_report=10,
    )
    participation = ParticipationFactory(innovation=innovation, institution=member_user.institution)
    services.reported_indicators_set(participation=participation, indicators=[clients, satisfaction], user=staff_user)
    return {
        "innovation": innovation,
        "clients": clients,
        "satisfaction": satisfaction,
        "participation": participation,
    }


def draft(pilot, user, *, start=APRIL, clients=None, satisfied=None, surveyed=None, version=None, **kwargs):
    return services.report_save_draft(
        participation=pilot["participation"],
        period_start=start,
        entries={
            pilot["clients"].pk: Entry(value=None if clients is None else Decimal(clients)),
            pilot["satisfaction"].pk: Entry(
                numerator=None if satisfied is None else Decimal(satisfied),
                denominator=None if surveyed is None else Decimal(surveyed),
            ),
        },
        comment=kwargs.pop("comment", ""),
        version=version,
        user=user,
        **kwargs,
    )


def actual(indicator):
    ensure_current()
    return IndicatorProgress.objects.get(indicator=indicator).actual


# --- The weighted percentage (the worked example of the progress rule) ---------------------------


def test_weighted_percentage_worked_example():
    """MFI A: 90 of 100 satisfied; MFI B: 40 of 50 → 130/150 = 86.7 %, not (90 + 80) / 2 = 85 %."""
    readings = [(Decimal(90), Decimal(90), Decimal(100)), (Decimal(80), Decimal(40), Decimal(50))]
    assert weighted_percent(readings).quantize(Decimal("0.1")) == Decimal("86.7")
    assert weighted_percent([(Decimal(90), None, None), (Decimal(80), None, None)]) == Decimal(85)


def test_weighted_percentage_from_two_mfis_reports(pilot, staff_user, member_user):
    other = MemberUserFactory(username="other-mfi-officer")
    second = ParticipationFactory(innovation=pilot["innovation"], institution=other.institution)
    services.reported_indicators_set(participation=second, indicators=[pilot["satisfaction"]], user=staff_user)
    a = draft(pilot, member_user, clients=100, satisfied=90, surveyed=100)
    services.report_submit(report=a, version=a.version, user=member_user)
    b = services.report_save_draft(
        participation=second,
        period_start=APRIL,
        entries={pilot["satisfaction"].pk: Entry(numerator=Decimal(40), denominator=Decimal(50))},
        comment="",
        version=None,
        user=other,
    )
    services.report_submit(report=b, version=b.version, user=other)
    for report in (a, b):
        services.report_approve(report=report, user=staff_user)
    assert Decimal(actual(pilot["satisfaction"])).quantize(Decimal("0.1")) == Decimal("86.7")


# --- The cycle: draft, submit, return, resubmit, approve -------------------------------------------


def test_only_approved_values_count(pilot, staff_user, member_user):
    report = draft(pilot, member_user, clients=1200)
    assert report.state == ReportState.DRAFT
    assert actual(pilot["clients"]) is None
    with pytest.raises(ValidationError) as missing:
        services.report_submit(report=report, version=report.version, user=member_user)
    assert set(missing.value.message_dict) == {f"num-{pilot['satisfaction'].pk}", f"den-{pilot['satisfaction'].pk}"}

    report = draft(pilot, member_user, clients=1200, satisfied=45, surveyed=50, version=report.version)
    report = services.report_submit(report=report, version=report.version, user=member_user)
    assert report.state == ReportState.SUBMITTED
    assert actual(pilot["clients"]) is None, "a submitted report does not count yet"

    services.report_return(report=report, user=staff_user, comment="Clients look too high.")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.review_comment == "Clients look too high."
    assert actual(pilot["clients"]) is None

    report = draft(pilot, member_user, clients=1100, satisfied=45, surveyed=50, version=report.version)
    report = services.report_submit(report=report, version=report.version, user=member_user)
    services.report_approve(report=report, user=staff_user)
    assert actual(pilot["clients"]) == Decimal(1100)
    assert actual(pilot["satisfaction"]) == Decimal(90)
    measurement = Measurement.objects.get(indicator=pilot["clients"])
    assert measurement.measured_on == D(2021, 4, 30)
    assert measurement.participation == pilot["participation"]
    assert measurement.approved_by == staff_user and measurement.report == report
    assert measurement.logged_by == member_user

    services.report_approve(report=report, user=staff_user)  # approving twice records nothing twice
    assert Measurement.objects.filter(report=report).count() == 2
    with pytest.raises(ValidationError):
        draft(pilot, member_user, clients=5, version=report.version)  # approved: read-only


def test_submitting_twice_is_harmless(pilot, member_user):
    report = draft(pilot, member_user, clients=10, satisfied=1, surveyed=2)
    version = report.version
    services.report_submit(report=report, version=version, user=member_user)
    again = services.report_submit(report=report, version=version, user=member_user)
    assert again.state == ReportState.SUBMITTED


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"clients": -5}, "value-{clients}", "cannot be negative"),
        ({"clients": "10.5"}, "value-{clients}", "whole number"),
        ({"satisfied": 60, "surveyed": 50}, "num-{satisfaction}", "cannot be larger"),
        ({"satisfied": 0, "surveyed": 0}, "den-{satisfaction}", "more than zero"),
    ],
)
def test_a_draft_refuses_wrong_values_and_saves_nothing(pilot, member_user, values, field, message):
    with pytest.raises(ValidationError) as refused:
        draft(pilot, member_user, **values)
    key = field.format(clients=pilot["clients"].pk, satisfaction=pilot["satisfaction"].pk)
    assert message in " ".join(refused.value.message_dict[key])
    assert not MFIReport.objects.exists()


def test_a_period_that_has_not_ended_cannot_be_reported(pilot, member_user):
    with pytest.raises(ValidationError, match="cannot be reported"):
        draft(pilot, member_user, start=D(2021, 4, 1), clients=5, today=D(2021, 4, 20))
    with pytest.raises(ValidationError, match="cannot be reported"):
        draft(pilot, member_user, start=D(2021, 4, 15), clients=5)  # not the start of a period


def test_only_the_mfis_own_users_report_and_only_staff_review(pilot, staff_user, member_user):
    outsider = MemberUserFactory(username="not-taking-part")
    for user in (outsider, staff_user, DonorFactory(username="a-donor")):
        with pytest.raises(PermissionDenied):
            draft(pilot, user, clients=5)
    report = draft(pilot, member_user, clients=5, satisfied=1, surveyed=2)
    report = services.report_submit(report=report, version=report.version, user=member_user)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=member_user)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, user=member_user, comment="no")
    with pytest.raises(ValidationError, match="correct"):
        services.report_return(report=report, user=staff_user, comment="  ")


def test_two_people_of_the_mfi_editing_at_once(pilot, member_user):
    colleague = MemberUserFactory(username="colleague", institution=member_user.institution)
    first = draft(pilot, member_user, clients=10)
    loaded = first.version
    draft(pilot, colleague, clients=20, version=loaded)
    with pytest.raises(ValidationError, match="colleague|while you were editing"):
        draft(pilot, member_user, clients=30, version=loaded)
    assert MFIReport.objects.get().values.get(indicator=pilot["clients"]).value == 20


def test_the_same_draft_saved_twice_is_not_a_conflict(pilot, member_user):
    first = draft(pilot, member_user, clients=10, comment="x")
    loaded = first.version - 1 if first.version > 1 else None
    again = draft(pilot, member_user, clients=10, comment="x", version=loaded)  # a double click's second post
    assert again.version == first.version


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("report.pdf", b"%PDF-1.7\n...", True),
        ("report.xlsx", _xlsx(), True),
        ("report.pdf", b"MZ\x90\x00 not a pdf", False),
        ("report.xlsx", b"just text", False),
        ("report.exe", b"%PDF-1.7", False),
    ],
)
def test_attachments_are_checked_by_type(pilot, member_user, name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    if accepted:
        report = draft(pilot, member_user, clients=5, attachment=upload)
        assert report.attachment_name == name
    else:
        with pytest.raises(ValidationError) as refused:
            draft(pilot, member_user, clients=5, attachment=upload)
        assert "attachment" in refused.value.message_dict


def test_attachments_are_checked_by_size(pilot, member_user):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * services.MAX_ATTACHMENT_BYTES)
    with pytest.raises(ValidationError, match="10 MB"):
        draft(pilot, member_user, clients=5, attachment=big)


def test_deleting_a_counted_value_needs_a_reason_kept_in_the_history(pilot, staff_user, member_user):
    report = draft(pilot, member_user, clients=700, satisfied=1, surveyed=2)
    report = services.report_submit(report=report, version=report.version, user=member_user)
    services.report_approve(report=report, user=staff_user)
    measurement = Measurement.objects.get(indicator=pilot["clients"])
    with pytest.raises(ValidationError, match="why"):
        services.measurement_delete(measurement=measurement, user=staff_user, reason="")
    with pytest.raises(PermissionDenied):
        services.measurement_delete(measurement=measurement, user=member_user, reason="wrong")
    services.measurement_delete(measurement=measurement, user=staff_user, reason="Duplicated by the MFI's system")
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    deleted = Measurement.history.filter(id=measurement.pk).latest("history_date")
    assert deleted.history_type == "-"
    assert deleted.history_change_reason == "Duplicated by the MFI's system"
    assert deleted.history_user == staff_user and deleted.value == 700
    assert actual(pilot["clients"]) is None


def test_a_staff_percentage_with_parts_must_match_them(pilot, staff_user):
    from pilots.services import measurement_record

    with pytest.raises(ValidationError, match="numerator as a percentage"):
        measurement_record(
            indicator=pilot["satisfaction"],
            measured_on=D(2021, 5, 1),
            value=Decimal(50),
            numerator=Decimal(9),
            denominator=Decimal(10),
            source="Survey",
            user=staff_user,
        )
    m = measurement_record(
        indicator=pilot["satisfaction"],
        measured_on=D(2021, 5, 1),
        value=Decimal(90),
        numerator=Decimal(9),
        denominator=Decimal(10),
        source="Survey",
        user=staff_user,
    )
    with pytest.raises(ValidationError, match="both"):
        measurement_update(measurement=m, user=staff_user, denominator=None)


# --- Reminders -------------------------------------------------------------------------------------


def test_a_reminder_once_per_period_closed_without_a_report_in_the_mfis_language(
    pilot, member_user, django_capture_on_commit_callbacks
):
    institution = member_user.institution
    institution.contact_email = "imf@example.org"
    institution.country = "EC"
    institution.save()
    member_user.email = "officer@example.org"
    member_user.save()
    mail.outbox.clear()
    # January 2021, the first period, closed on the 31st and fell due on 10 February.
    assert reminders_send_due(today=D(2021, 2, 10)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due(today=D(2021, 2, 11)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"imf@example.org", "officer@example.org"}
    assert "enero de 2021" in message.subject
    assert "/pilots/micro-insurance/mfi-reports/2021-01/" in message.body
    assert reminders_send_due(today=D(2021, 2, 12)) == 0, "reminded once"


def test_no_reminder_once_submitted_nor_for_a_long_closed_period(pilot, member_user):
    report = draft(pilot, member_user, start=D(2021, 1, 1), clients=5, satisfied=1, surveyed=2)
    services.report_submit(report=report, version=report.version, user=member_user)
    assert reminders_send_due(today=D(2021, 2, 11)) == 0
    assert reminders_send_due(today=D(2021, 8, 1)) == 1, "only June; older periods are a backlog, not news"
    call_command("send_report_reminders", today=D(2021, 8, 1))
    assert reminders_send_due(today=D(2021, 8, 1)) == 0


def test_returning_a_report_emails_the_mfi_the_comment(
    pilot, staff_user, member_user, django_capture_on_commit_callbacks
):
    member_user.email = "officer@example.org"
    member_user.save()
    report = draft(pilot, member_user, clients=5, satisfied=1, surveyed=2)
    report = services.report_submit(report=report, version=report.version, user=member_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, user=staff_user, comment="Revisen los clientes de abril.")
    assert any("Revisen los clientes de abril." in m.body for m in mail.outbox)


# --- Pages, per role -------------------------------------------------------------------------------


def _urls(pilot, report):
    slug = pilot["innovation"].slug
    return {
        "list": reverse("pilots:mfi_reports"),
        "form": reverse("pilots:mfi_report", kwargs={"slug": slug, "period": "2021-04"}),
        "review": reverse("pilots:mfi_report_review", kwargs={"pk": report.pk}),
        "attachment": reverse("pilots:mfi_report_attachment", kwargs={"pk": report.pk}),
    }


@pytest.fixture
def submitted(pilot, member_user):
    report = draft(
        pilot, member_user, clients=321, satisfied=4, surveyed=5, attachment=SimpleUploadedFile("r.pdf", b"%PDF-1.4")
    )
    return services.report_submit(report=report, version=report.version, user=member_user)


@pytest.mark.parametrize("name", ["list", "form", "review", "attachment"])
def test_anonymous_visitors_are_sent_to_sign_in(client, pilot, submitted, name):
    url = _urls(pilot, submitted)[name]
    for response in (client.get(url), client.post(url, {"action": "approve"})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert MFIReport.objects.get().state == ReportState.SUBMITTED


@pytest.mark.parametrize("who", ["donor", "outsider_member"])
@pytest.mark.parametrize("name", ["list", "form", "review", "attachment"])
def test_donors_and_other_members_see_no_report(client, pilot, submitted, who, name):
    user = DonorFactory(username="d") if who == "donor" else MemberUserFactory(username="o")
    client.force_login(user)
    url = _urls(pilot, submitted)[name]
    if who == "outsider_member" and name == "list":
        response = client.get(url)  # its own (empty) reports page: nothing of this MFI
        assert response.status_code == 200
        assert "321" not in response.content.decode()
        assert submitted.participation.institution.name not in response.content.decode()
        return
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "approve", "version": submitted.version, f"value-{pilot['clients'].pk}": 1})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED and not Measurement.objects.exists()


def test_a_non_participating_member_cannot_report_a_restricted_pilot(client, pilot, submitted):
    pilot["innovation"].visibility = "donors"
    pilot["innovation"].save()
    client.force_login(MemberUserFactory(username="o"))
    assert client.get(_urls(pilot, submitted)["form"]).status_code == 404


def test_the_member_reports_through_the_page(client, pilot, member_user, staff_user):
    client.force_login(member_user)
    url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": "2021-04"})
    page = client.get(url)
    assert page.status_code == 200
    assert "Save draft" in page.content.decode() or "Guardar borrador" in page.content.decode()
    clients, num, den = (
        f"value-{pilot['clients'].pk}",
        f"num-{pilot['satisfaction'].pk}",
        f"den-{pilot['satisfaction'].pk}",
    )

    refused = client.post(url, {"action": "save", clients: "-3", num: "4", den: "5", "comment": "Primera versión"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'value="-3"' in body and "Primera versión" in body, "nothing typed is lost"
    assert not MFIReport.objects.exists()

    saved = client.post(url, {"action": "save", clients: "300", num: "4", "comment": "Primera versión"})
    assert saved.status_code == 302
    report = MFIReport.objects.get()
    assert report.state == ReportState.DRAFT

    incomplete = client.post(url, {"action": "submit", clients: "300", num: "4", "version": report.version})
    assert incomplete.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT, "saved as a draft, not submitted"

    done = client.post(url, {"action": "submit", clients: "300", num: "4", den: "5", "version": report.version})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    again = client.post(url, {"action": "submit", clients: "300", num: "4", den: "5", "version": report.version - 1})
    assert again.status_code == 302, "a double submit is not an error"

    client.force_login(staff_user)
    review = reverse("pilots:mfi_report_review", kwargs={"pk": report.pk})
    assert client.post(review, {"action": "return", "review_comment": "", "version": report.version}).status_code == 400
    assert client.post(review, {"action": "approve", "version": report.version}).status_code == 302
    assert actual(pilot["clients"]) == 300


def test_the_queue_filters_by_state_and_mfi(client, staff_user, pilot, submitted):
    client.force_login(staff_user)
    queue = client.get(reverse("pilots:mfi_reports"))
    assert queue.status_code == 200
    assert submitted.participation.institution.name in queue.content.decode()
    approved = client.get(reverse("pilots:mfi_reports"), {"state": "approved"})
    assert "No report matches these filters." in approved.content.decode()
    other = MemberInstitutionFactory(name="Another MFI")
    by_mfi = client.get(reverse("pilots:mfi_reports"), {"institution": other.pk, "state": ""})
    assert by_mfi.status_code == 200


def test_the_innovation_page_shows_what_to_report_pending_and_where_figures_come_from(
    client, pilot, member_user, staff_user, submitted
):
    url = pilot["innovation"].get_absolute_url()
    client.force_login(member_user)
    page = client.get(url).content.decode()
    assert "/mfi-reports/2021-05/" in page  # May is still to report (April is submitted)
    client.force_login(staff_user)
    page = client.get(url).content.decode()
    assert "awaiting review" in page.lower() or "pendiente" in page.lower()
    assert reverse("pilots:mfi_report_review", kwargs={"pk": submitted.pk}) in page
    services.report_approve(report=submitted, user=staff_user)
    client.force_login(DonorFactory(username="d"))
    page = client.get(url).content.decode()
    assert "Where this figure comes from" in page
    assert "The MFI&#x27;s report for April 2021" in page or "The MFI's report for April 2021" in page
    assert (staff_user.get_full_name() or staff_user.username) in page


def test_the_member_home_page_lists_periods_to_report(client, pilot, member_user, home):  # noqa: F811
    client.force_login(member_user)
    page = client.get("/en/").content.decode()
    assert "To report" in page
    assert "/en/pilots/micro-insurance/mfi-reports/" in page


def test_pending_values_are_not_in_the_api_approved_ones_are_with_their_source(client, pilot, submitted, staff_user):
    url = f"/api/v1/innovations/{pilot['innovation'].slug}/"
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "321" not in response.content.decode()
    services.report_approve(report=submitted, user=staff_user)
    clients = client.get(url, headers={"accept-language": "en"}).json()["indicators"][0]
    assert Decimal(str(clients["actual"])) == 321
    assert clients["sources"]["values"] == [
        {
            "institution": submitted.participation.institution.name,
            "value": clients["sources"]["values"][0]["value"],
            "date": "2021-04-30",
            "period": "April 2021",
        }
    ]
    assert clients["sources"]["rule"] == {"code": "mfi_sum", "label": "One MFI's figure"}
    [approval] = clients["sources"]["approvals"]
    assert approval["source"] == "The MFI's report for April 2021"
    assert approval["approved_by"] == (staff_user.get_full_name() or staff_user.username)


def test_the_reports_and_deletions_are_in_the_staff_change_history(client, pilot, staff_user, member_user, submitted):
    services.report_return(report=submitted, user=staff_user, comment="Check April")
    measurement = Measurement.objects.create(
        indicator=pilot["clients"], measured_on=D(2021, 3, 31), value=5, source="Staff count"
    )
    services.measurement_delete(measurement=measurement, user=staff_user, reason="Counted twice")
    client.force_login(staff_user)
    page = client.get(pilot["innovation"].get_absolute_url()).content.decode()
    history = page[page.index('id="history-h"') :]
    assert "MFI report" in history and "Returned for correction" in history
    assert "Reason: Counted twice" in history


def test_staff_set_the_plan_and_what_each_mfi_reports_in_the_admin(staff_client, pilot):
    innovation = InnovationFactory(slug="second", started_on=D(2020, 1, 1))
    refused = staff_client.post(
        "/admin/reporting-plans/new/",
        {"innovation": innovation.pk, "frequency": "quarterly", "first_period": "2021-02-01", "days_to_report": 10},
    )
    assert refused.status_code == 200
    assert "enero, abril, julio u octubre" in refused.content.decode()  # the admin speaks Spanish
    saved = staff_client.post(
        "/admin/reporting-plans/new/",
        {"innovation": innovation.pk, "frequency": "quarterly", "first_period": "2021-04-01", "days_to_report": 15},
    )
    assert saved.status_code == 302
    assert innovation.reporting_plan.days_to_report == 15
    edit = staff_client.get(f"/admin/participations/edit/{pilot['participation'].pk}/").content.decode()
    assert f"{pilot['innovation']} — Insured clients" in edit  # whose indicator it is


def test_the_admin_delete_of_a_measurement_asks_for_a_reason(staff_client, pilot):
    m = Measurement.objects.create(indicator=pilot["clients"], measured_on=D(2021, 3, 31), value=5, source="Staff")
    response = staff_client.get(f"/admin/measurements/delete/{m.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/pilots/measurements/{m.pk}/delete/")
    page = staff_client.get(response["Location"])
    assert "¿Por qué se elimina este valor?" in page.content.decode()
    refused = staff_client.post(response["Location"], {"reason": ""})
    assert refused.status_code == 400 and Measurement.objects.filter(pk=m.pk).exists()
    assert staff_client.post(response["Location"], {"reason": "Typo"}).status_code == 302
    assert not Measurement.objects.filter(pk=m.pk).exists()


def test_two_colleagues_starting_the_same_report_at_once_get_a_clear_message(pilot, member_user, monkeypatch):
    from django.db import IntegrityError

    from pilots.models import MFIReport as Model

    def collide(self, *args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(Model, "save", collide)
    with pytest.raises(ValidationError, match="at the same moment"):
        draft(pilot, member_user, clients=5)


def test_an_mfi_that_reports_nothing_has_no_form(client, pilot, member_user, staff_user):
    services.reported_indicators_set(participation=pilot["participation"], indicators=[], user=staff_user)
    client.force_login(member_user)
    url = reverse("pilots:mfi_report", kwargs={"slug": pilot["innovation"].slug, "period": "2021-04"})
    assert client.get(url).status_code == 404
    assert client.get(reverse("pilots:mfi_reports")).status_code == 200


def test_a_report_drafted_by_a_deleted_colleague_opens_and_another_member_submits_it(client, pilot, member_user):
    """The colleague who started the draft left and their account was deleted: the report
    page still opens (it used to answer 500) and another member of the MFI submits it."""
    colleague = MemberUserFactory(username="left", first_name="Carla", institution=member_user.institution)
    report = draft(pilot, colleague, clients=300, satisfied=4, surveyed=5)
    colleague.delete()
    client.force_login(member_user)
    url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": "2021-04"})
    page = client.get(url)  # /en/...
    assert page.status_code == 200
    assert "Last saved by former user" in page.content.decode()
    fields = {
        f"value-{pilot['clients'].pk}": "300",
        f"num-{pilot['satisfaction'].pk}": "4",
        f"den-{pilot['satisfaction'].pk}": "5",
    }
    done = client.post(url, {"action": "submit", "version": report.version, **fields})
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.submitted_by, report.updated_by) == (ReportState.SUBMITTED, member_user, member_user)


def _shown_values(page: str) -> dict[str, str]:
    """What the form's inputs show, as a browser would post them back."""
    import html
    import re

    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="((?:value|num|den)-\d+)"[^>]*value="([^"]*)"', page)
    }


@pytest.mark.parametrize(
    "language,typed,shown",
    [("es", "8.600", "8.600"), ("es", "8600", "8.600"), ("en", "8,600", "8,600"), ("en", "8600", "8,600")],
)
def test_a_saved_draft_shows_its_numbers_as_the_page_writes_them_and_submits_unchanged(
    client, pilot, member_user, language, typed, shown
):
    """The April report: typed, saved, read back from the page and submitted without a change
    (it once came back as "8600,00", which the same page then refused as no number)."""
    client.force_login(member_user)
    with translation.override(language):
        url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": "2021-04"})
    clients, num, den = (
        f"value-{pilot['clients'].pk}",
        f"num-{pilot['satisfaction'].pk}",
        f"den-{pilot['satisfaction'].pk}",
    )
    assert client.post(url, {"action": "save", clients: typed, num: "45", den: "50"}).status_code == 302
    report = MFIReport.objects.get()
    page = client.get(url).content.decode()
    values = _shown_values(page)
    assert values == {clients: shown, num: "45", den: "50"}, "counts without decimals, thousands as the page writes"
    done = client.post(url, {"action": "submit", "version": report.version, **values})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    stored = {value.indicator_id: value for value in report.values.all()}
    assert stored[pilot["clients"].pk].value == 8600
    assert (stored[pilot["satisfaction"].pk].numerator, stored[pilot["satisfaction"].pk].denominator) == (45, 50)


def test_a_decimal_in_a_count_is_refused_with_how_to_write_it(client, pilot, member_user):
    client.force_login(member_user)
    with translation.override("es"):
        url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": "2021-04"})
    clients = f"value-{pilot['clients'].pk}"
    refused = client.post(url, {"action": "save", clients: "8,600"})  # Spanish reads 8 and 6 tenths
    assert refused.status_code == 400
    assert "8.600" in refused.content.decode()  # "did you mean 8.600?"
    assert not MFIReport.objects.exists()


def test_a_period_over_before_the_mfi_took_part_is_refused_by_the_service_and_the_page(pilot, member_user, client):
    """One rule, in the service (`reporting_period`): the page shows the service's refusal as a 404."""
    participation = pilot["participation"]
    participation.since = D(2021, 3, 15)
    participation.save()
    with pytest.raises(ValidationError, match="cannot be reported"):
        services.report_save_draft(
            participation=participation,
            period_start=D(2021, 2, 1),
            entries={},
            comment="",
            version=None,
            user=member_user,
            today=D(2021, 7, 1),
        )
    client.force_login(member_user)
    slug = participation.innovation.slug
    assert client.get(reverse("pilots:mfi_report", kwargs={"slug": slug, "period": "2021-02"})).status_code == 404
    assert client.get(reverse("pilots:mfi_report", kwargs={"slug": slug, "period": "2021-03"})).status_code == 200


def test_the_daily_reminder_task_runs_the_reminders(pilot):
    from pilots.reporting.tasks import send_due_report_reminders

    assert send_due_report_reminders.module_path == "pilots.reporting.tasks.send_due_report_reminders"
    assert send_due_report_reminders.call() == reminders_send_due()
