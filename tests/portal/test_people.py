"""Deleting an account keeps everything the person did readable (portal.accounts.people).

Every link from the portal's own models to a person is found from the app registry, so a
new one cannot escape: each must be covered by one of the scenarios below, which record
something through the services as that person, delete the account, and open every page
that shows the record as the role that reads it (200, and "former user" where it names who).
Deactivating is not deleting: a deactivated account keeps its name.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation

from pilots import services as pilot_services
from pilots.benchmarking import services as benchmarking
from pilots.cycle import Stage
from pilots.models import ChecklistItem, Measurement, MFIReport, PeriodReport, ReportState, StageChange, Unit
from pilots.reporting import services as reporting
from pilots.reporting.services import Entry
from portal.accounts.people import display_person
from surveys import services as survey_services
from surveys.models import Invitation, InvitationEvent, Opportunity, QuestionType, ResponseStatus
from tests.factories import DonorFactory, MemberUserFactory, StaffFactory, UserFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, ParticipationFactory
from tests.surveys.factories import InvitationFactory, QuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FORMER = "former user"
OURS = ("portal", "pilots", "surveys", "research")

# Every link to a person, and the scenario that deletes that person and reads the record.
COVERED = {
    "pilots.MFIReport.updated_by": "test_an_mfi_report_and_its_figures",
    "pilots.MFIReport.submitted_by": "test_an_mfi_report_and_its_figures",
    "pilots.MFIReport.reviewed_by": "test_an_mfi_report_and_its_figures",
    "pilots.HistoricalMFIReport.updated_by": "test_an_mfi_report_and_its_figures",
    "pilots.HistoricalMFIReport.submitted_by": "test_an_mfi_report_and_its_figures",
    "pilots.HistoricalMFIReport.reviewed_by": "test_an_mfi_report_and_its_figures",
    "pilots.Measurement.logged_by": "test_an_mfi_report_and_its_figures",
    "pilots.Measurement.approved_by": "test_an_mfi_report_and_its_figures",
    "pilots.HistoricalMeasurement.logged_by": "test_an_mfi_report_and_its_figures",
    "pilots.HistoricalMeasurement.approved_by": "test_an_mfi_report_and_its_figures",
    "pilots.FinancialReport.updated_by": "test_a_financial_report",
    "pilots.FinancialReport.submitted_by": "test_a_financial_report",
    "pilots.FinancialReport.reviewed_by": "test_a_financial_report",
    "pilots.HistoricalFinancialReport.updated_by": "test_a_financial_report",
    "pilots.HistoricalFinancialReport.submitted_by": "test_a_financial_report",
    "pilots.HistoricalFinancialReport.reviewed_by": "test_a_financial_report",
    "pilots.StageChange.decided_by": "test_a_stage_decision_and_the_lead",
    "pilots.HistoricalStageChange.decided_by": "test_a_stage_decision_and_the_lead",
    "pilots.Innovation.lead": "test_a_stage_decision_and_the_lead",
    "pilots.HistoricalInnovation.lead": "test_a_stage_decision_and_the_lead",
    "pilots.ChecklistItem.ticked_by": "test_a_stage_decision_and_the_lead",
    "pilots.PeriodReport.written_by": "test_a_period_report",
    "pilots.HistoricalPeriodReport.written_by": "test_a_period_report",
    "surveys.Invitation.updated_by": "test_a_survey_response",
    "surveys.Invitation.submitted_by": "test_a_survey_response",
    "surveys.InvitationEvent.by": "test_a_survey_response",
    "surveys.RoundEvent.by": "test_a_survey_round_history",
    "surveys.Opportunity.linked_by": "test_a_survey_response",
    "emails.EmailTemplate.updated_by": "test_an_email_template",
}


@pytest.fixture(autouse=True)
def english():
    """Pages in English (their addresses under /en/, `reverse` too), where "former user" is asserted."""
    with translation.override("en"):
        yield


def links_to_people() -> dict[str, models.Field]:
    """Every foreign key (or many-to-many) to the user model declared by the portal's own
    models; the owner and lock of Wagtail's pages are Wagtail's (both SET_NULL)."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        if model._meta.app_config.name.split(".")[0] not in OURS:
            continue
        for field in model._meta.get_fields(include_parents=False):
            if field.is_relation and field.concrete and field.related_model is user_model:
                found[f"{model._meta.label}.{field.name}"] = field
    return found


def test_every_link_to_a_person_is_covered_by_a_scenario():
    assert set(links_to_people()) == set(COVERED), "a new link to a person: add it to a scenario below"
    assert all(name in globals() for name in COVERED.values())


def test_no_link_to_a_person_blocks_deleting_nor_deletes_what_they_did():
    """SET_NULL on the records (a PROTECT showed an error page; a CASCADE would lose the
    record); the history's copies keep the id (DO_NOTHING, no constraint)."""
    for name, field in links_to_people().items():
        expected = models.DO_NOTHING if ".Historical" in name else models.SET_NULL
        assert field.remote_field.on_delete is expected, name
    for model in apps.get_app_config("pilots").get_models():
        if model.__name__.startswith("Historical"):
            # who made a change is kept as an id, not emptied with the account (pilots.models.tracking)
            assert not model._meta.get_field("history_user_id").is_relation, model


def test_display_person():
    ana = UserFactory.build(username="aruiz", first_name="Ana", last_name="Ruiz")
    assert display_person(ana) == "Ana Ruiz"
    assert display_person(UserFactory.build(username="aruiz")) == "aruiz"
    assert display_person(UserFactory.build(username="aruiz", first_name="Ana", is_active=False)) == "Ana"
    assert display_person(None) == FORMER
    assert display_person(None, kept_name="Ana Ruiz") == "Ana Ruiz (former user)"


def _open(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _history(client, staff, innovation) -> str:
    """The change history: the admin's opens; the innovation page's is read (in English; the
    admin speaks the staff member's own language)."""
    _open(client, staff, f"/admin/change-history/?innovation={innovation.slug}")
    page = _open(client, staff, f"/en/pilots/{innovation.slug}/")
    return page[page.index('id="history"') :]


@pytest.fixture
def pilot(db):
    """A public pilot whose MFI reports its clients monthly from January 2021."""
    staff = StaffFactory(username="coordinator")
    innovation = InnovationFactory(slug="micro-insurance", started_on=D(2020, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Insured clients", unit=Unit.COUNT, order=1)
    reporting.reporting_plan_save(
        innovation=innovation, user=staff, frequency="monthly", first_period=D(2021, 1, 1), days_to_report=10
    )
    member = MemberUserFactory(username="member", first_name="Mara", last_name="Miembro")
    participation = ParticipationFactory(innovation=innovation, institution=member.institution)
    reporting.reported_indicators_set(participation=participation, indicators=[clients], user=staff)
    return {"innovation": innovation, "clients": clients, "participation": participation, "member": member}


def _save(pilot, user, value, *, version=None, **extra) -> MFIReport:
    return reporting.report_save_draft(
        participation=pilot["participation"],
        period_start=D(2021, 4, 1),
        entries={pilot["clients"].pk: Entry(value=Decimal(value))},
        comment="",
        version=version,
        user=user,
        **extra,
    )


def test_an_mfi_report_and_its_figures(client, pilot):
    """A colleague drafts and submits, a reviewer returns it, the colleague corrects it, an
    approver approves it (the figures now count, logged by the colleague, approved by the
    approver): then all three accounts are deleted."""
    innovation = pilot["innovation"]
    colleague = MemberUserFactory(
        username="carla", first_name="Carla", last_name="Colega", institution=pilot["member"].institution
    )
    reviewer = StaffFactory(username="rita", first_name="Rita", last_name="Revisora")
    approver = StaffFactory(username="abel", first_name="Abel", last_name="Aprobador")
    report = _save(pilot, colleague, 120, attachment=SimpleUploadedFile("respaldo.pdf", b"%PDF-1.4"))
    report = reporting.report_submit(report=report, version=report.version, user=colleague)
    report = reporting.report_return(report=report, user=reviewer, comment="Check April")
    report = _save(pilot, colleague, 125, version=report.version)
    report = reporting.report_submit(report=report, version=report.version, user=colleague)
    reporting.report_approve(report=report, user=approver)
    measurement = Measurement.objects.get(report=report)
    assert (measurement.logged_by, measurement.approved_by) == (colleague, approver)

    for person in (colleague, reviewer, approver):
        person.delete()

    report.refresh_from_db()
    assert report.state == ReportState.APPROVED and report.submitted_by is None and report.reviewed_by is None
    assert Measurement.objects.filter(report=report, value=125).exists(), "the figure still counts"
    member, staff = pilot["member"], StaffFactory()
    page = _open(client, member, reverse("pilots:mfi_report", kwargs={"slug": innovation.slug, "period": "2021-04"}))
    assert "Submitted by former user" in page and "Approved by former user" in page
    _open(client, member, reverse("pilots:mfi_reports"))
    review = _open(client, staff, reverse("pilots:mfi_report_review", kwargs={"pk": report.pk}))
    assert "Submitted by former user" in review and "Reviewed by former user" in review
    assert review.count(f" · {FORMER} · ") >= 3, "the report's own history names a former user"
    _open(client, staff, reverse("pilots:mfi_reports") + "?state=approved")
    detail = _open(client, staff, f"/en/pilots/{innovation.slug}/")
    measurements = detail[detail.index('class="measurements"') :]
    assert measurements.count(FORMER) >= 2, "approved by and logged by"
    public = _open(client, DonorFactory(), f"/en/pilots/{innovation.slug}/")
    assert "Approved by former user" in public
    series = _open(client, staff, f"/en/pilots/{innovation.slug}/series.csv")
    assert FORMER in series
    api = client.get(f"/api/v1/innovations/{innovation.slug}/", headers={"accept-language": "en"}).json()
    assert api["indicators"][0]["sources"]["approvals"][0]["approved_by"] == FORMER
    history = _history(client, staff, innovation)
    assert FORMER in history and "Carla" not in history and "Rita" not in history


def test_a_financial_report(client, pilot):
    """A member's colleague saves and submits the semester's figures, a reviewer returns them,
    the colleague corrects and submits again, an approver approves: then all three accounts
    are deleted, and the report, its ratios and its history still read."""
    institution = pilot["member"].institution
    colleague = MemberUserFactory(username="carla", first_name="Carla", last_name="Colega", institution=institution)
    reviewer = StaffFactory(username="rita", first_name="Rita", last_name="Revisora")
    approver = StaffFactory(username="abel", first_name="Abel", last_name="Aprobador")
    figures = {
        "gross_portfolio_start": Decimal(1_800_000),
        "gross_portfolio_end": Decimal(2_200_000),
        "portfolio_at_risk_30": Decimal(110_000),
        "write_offs": Decimal(20_000),
        "active_borrowers": 8_000,
        "loan_officers": 40,
        "loan_revenue": Decimal(300_000),
        "financial_expense": Decimal(60_000),
        "loan_loss_provision": Decimal(30_000),
        "operating_expense": Decimal(180_000),
        "average_assets": Decimal(2_500_000),
        "average_equity": Decimal(500_000),
        "net_operating_income": Decimal(25_000),
    }
    semester = D(2011, 1, 1)
    report = benchmarking.financial_report_save(
        institution=institution, period_start=semester, values=figures, comment="", version=None, user=colleague
    )
    report = benchmarking.financial_report_submit(report=report, version=report.version, user=colleague)
    report = benchmarking.financial_report_return(report=report, comment="Check the write-offs", user=reviewer)
    report = benchmarking.financial_report_save(
        institution=institution,
        period_start=semester,
        values={"write_offs": Decimal(21_000)},
        comment="",
        version=report.version,
        user=colleague,
    )
    report = benchmarking.financial_report_submit(report=report, version=report.version, user=colleague)
    benchmarking.financial_report_approve(report=report, user=approver)

    for person in (colleague, reviewer, approver):
        person.delete()

    report.refresh_from_db()
    assert report.state == ReportState.APPROVED and report.submitted_by is None and report.reviewed_by is None
    staff = StaffFactory()
    review = _open(client, staff, reverse("benchmarking:report_detail", kwargs={"pk": report.pk}))
    assert "Submitted by former user" in review and "Reviewed by former user" in review
    assert "Carla" not in review and "Rita" not in review and "Abel" not in review
    _open(client, staff, reverse("benchmarking:staff"))
    own = _open(client, pilot["member"], reverse("benchmarking:report", kwargs={"year": 2011, "half": 1}))
    assert "Submitted by former user" in own
    _open(client, pilot["member"], reverse("benchmarking:home") + "?semester=2011-1")


def test_a_stage_decision_and_the_lead(client, db):
    """The decision stays with the name of who took it; the lead's place is simply empty."""
    ana = StaffFactory(username="ana", first_name="Ana", last_name="Ruiz")
    innovation = InnovationFactory(slug="agro", stage=Stage.PILOT, started_on=D(2010, 1, 1), lead=ana)
    decision = pilot_services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.EVALUATE, user=ana, decided_on=D(2011, 3, 31), rationale="Pilot done"
    )
    pilot_services.checklist_tick(innovation=innovation, action="document_process", done_on=D(2011, 4, 1), user=ana)

    ana.delete()  # a PROTECT here used to refuse

    decision.refresh_from_db()
    assert (decision.decided_by, decision.decided_by_name, decision.rationale) == (None, "Ana Ruiz", "Pilot done")
    assert ChecklistItem.objects.get(innovation=innovation).ticked_by is None
    staff = StaffFactory()
    page = _open(client, staff, "/en/pilots/agro/")
    assert "Ana Ruiz (former user)" in page
    assert "lead</" not in page and "lead:" not in page, "no lead any more"
    _open(client, DonorFactory(), "/en/pilots/agro/")
    history = _history(client, staff, innovation)
    assert history.count(f"<td>{FORMER}</td>") == 2, "the decision and the stage it changed: by a former user"
    assert "Pilot → Evaluate (03/31/2011)" in history


def test_the_admin_deletes_a_person_who_took_a_decision(client, db):
    """The admin's delete goes through (no error page) and the decision stays."""
    ana = StaffFactory(username="ana", first_name="Ana", last_name="Ruiz")
    innovation = InnovationFactory(slug="agro", stage=Stage.PILOT, started_on=D(2010, 1, 1))
    pilot_services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.EVALUATE, user=ana, decided_on=D(2011, 3, 31)
    )
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("wagtailusers_users:delete", args=[ana.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not get_user_model().objects.filter(pk=ana.pk).exists()
    assert StageChange.objects.get(innovation=innovation, to_stage=Stage.EVALUATE).decided_by_name == "Ana Ruiz"


def test_a_period_report(client, db):
    writer = StaffFactory(username="wanda", first_name="Wanda", last_name="Escritora")
    innovation = InnovationFactory(slug="agro", started_on=D(2010, 1, 1))
    pilot_services.period_report_save(innovation=innovation, year=2011, semester=1, user=writer, progress="Avance")
    pilot_services.period_report_save(innovation=innovation, year=2011, semester=1, user=writer, progress="Avance 2")

    writer.delete()

    assert PeriodReport.objects.get(innovation=innovation).written_by is None
    staff = StaffFactory()
    _open(client, staff, "/en/pilots/agro/reports/2011-S1/")
    history = _history(client, staff, innovation)
    assert FORMER in history and "Wanda" not in history


def test_a_survey_response(client, db):
    """A colleague answers and submits, staff reopen it with a reason and link an innovation to
    the question, the colleague submits again: then both accounts are deleted."""
    survey_round = RoundFactory()
    question = QuestionFactory(round=survey_round, kind=QuestionType.TEXT)
    invitation = InvitationFactory(round=survey_round)
    colleague = MemberUserFactory(username="carla", first_name="Carla", institution=invitation.institution)
    rita = StaffFactory(username="rita", first_name="Rita", last_name="Revisora")

    def submit(version: int, text: str) -> None:
        version = survey_services.answers_save_draft(
            invitation=invitation, values={question.pk: text}, version=version, user=colleague
        )
        survey_services.response_submit(invitation=invitation, version=version, user=colleague)
        invitation.refresh_from_db()

    submit(0, "Microseguro")
    survey_services.response_reopen(invitation=invitation, user=rita, reason="Say which product")
    invitation.refresh_from_db()
    submit(invitation.version, "Microseguro agrícola")
    survey_services.opportunity_link(innovation=InnovationFactory(slug="agro"), question=question, user=rita)

    colleague.delete()
    rita.delete()

    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.status == ResponseStatus.SUBMITTED and invitation.submitted_by is None
    assert InvitationEvent.objects.filter(invitation=invitation).count() == 3  # submitted, reopened, submitted
    assert Opportunity.objects.get().linked_by is None
    staff = StaffFactory()
    page = _open(client, staff, f"/en/surveys/invitations/{invitation.pk}/")
    assert FORMER in page and "Carla" not in page and "Rita" not in page
    _open(client, staff, f"/en/surveys/rounds/{survey_round.pk}/status/")
    _open(client, staff, f"/en/surveys/rounds/{survey_round.pk}/results/")
    member = MemberUserFactory(username="other-colleague", institution=invitation.institution)
    _open(client, member, f"/en/surveys/rounds/{survey_round.pk}/answer/")
    _open(client, member, f"/en/surveys/respond/{invitation.token}/")


def test_a_survey_round_history(client, db):
    """Staff withdraw an invitation and close a round, the scheduler having opened it: then
    the staff account is deleted, and the round's history says "former user" for what it did."""
    survey_round = RoundFactory()
    invitation = InvitationFactory(round=survey_round)
    rosa = StaffFactory(username="rosa", first_name="Rosa", last_name="Retira")
    survey_services.invitation_withdraw(invitation=invitation, user=rosa, reason="Invited twice")
    survey_services.round_close(survey_round=survey_round, user=rosa)
    rosa.delete()
    page = _open(client, StaffFactory(), f"/en/surveys/rounds/{survey_round.pk}/status/")
    assert FORMER in page and "Rosa" not in page and "Invited twice" in page


def test_an_email_template(client):
    from wagtail.users.models import UserProfile

    from portal.emails.models import EmailTemplate
    from portal.emails.services import email_template_update, email_templates_ensure

    writer = StaffFactory(username="wanda", first_name="Wanda", last_name="Writer")
    email_templates_ensure()
    texts = {"subject_es": "Encuesta {round}", "body_es": "{link}", "subject_en": "", "body_en": ""}
    email_template_update(template=EmailTemplate.objects.get(key="survey-invitation"), user=writer, **texts)
    writer.delete()
    assert EmailTemplate.objects.get(key="survey-invitation").body_es == "{link}\n"
    staff = StaffFactory()
    UserProfile.objects.update_or_create(user=staff, defaults={"preferred_language": "en"})  # the admin in English
    page = _open(client, staff, "/admin/snippets/emails/emailtemplate/")
    assert FORMER in page and "Wanda" not in page


def test_a_deactivated_person_keeps_their_name(client, pilot):
    colleague = MemberUserFactory(
        username="carla", first_name="Carla", last_name="Colega", institution=pilot["member"].institution
    )
    _save(pilot, colleague, 120)
    colleague.is_active = False
    colleague.save()
    form = f"/en/pilots/{pilot['innovation'].slug}/mfi-reports/2021-04/"
    page = _open(client, pilot["member"], form)
    assert "Last saved by Carla Colega" in page and FORMER not in page
