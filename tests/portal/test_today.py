"""Staff's "Para hoy" (portal.today): what needs them today, on the site and the admin home."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from pilots.models import Unit
from pilots.reporting import services
from pilots.reporting.services import Entry
from surveys.models import ResponseStatus
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MilestoneFactory, ParticipationFactory
from tests.research.fixtures import home, locales, make_report, research_index  # noqa: F401
from tests.surveys.factories import InvitationFactory, RoundFactory

D = datetime.date
PAGE = "/en/staff/today/"


def pilot(staff_user, *, institution, title="Micro-insurance", slug="micro-insurance"):
    """A monthly plan from January to June 2021 (10 days to report): six periods due long ago."""
    innovation = InnovationFactory(title=title, slug=slug, started_on=D(2020, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Insured clients", unit=Unit.COUNT)
    services.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2021, 1, 1),
        last_period=D(2021, 6, 1),
        days_to_report=10,
    )
    participation = ParticipationFactory(innovation=innovation, institution=institution, since=D(2021, 1, 1))
    services.reported_indicators_set(participation=participation, indicators=[clients], user=staff_user)
    return participation, clients


def submit(participation, clients, user, start):
    report = services.report_save_draft(
        participation=participation,
        period_start=start,
        entries={clients.pk: Entry(value=Decimal(100))},
        comment="",
        version=None,
        user=user,
    )
    return services.report_submit(report=report, version=report.version, user=user)


def lines(response) -> dict[str, dict]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        li["id"]: {
            "count": int(li.select_one(".today-count").get_text()),
            "href": li.select_one("a.today-label")["href"],
            "items": [(a.get_text(strip=True), a["href"]) for a in li.select(".today-items a")],
        }
        for li in soup.select("li.today-line")
    }


@pytest.fixture
def work(db, staff_user, member_user):
    """April 2021 submitted by the member's MFI; five other months overdue; a late milestone; an
    open round, 1 of 2 invitations answered; a task that failed."""
    participation, clients = pilot(staff_user, institution=member_user.institution)
    report = submit(participation, clients, member_user, D(2021, 4, 1))
    MilestoneFactory(innovation=participation.innovation, title="Pilot launch", planned_date=D(2021, 6, 30))
    survey_round = RoundFactory(year=2026, semester=2)
    InvitationFactory(round=survey_round, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
    InvitationFactory(round=survey_round)
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="surveys.tasks.send_due_reminders",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="smtplib.SMTPException",
        traceback="smtplib.SMTPException: refused",
        worker_ids=["w1"],
    )
    return {"report": report, "participation": participation, "clients": clients, "round": survey_round}


def test_staff_see_each_line_with_its_exact_count_and_link(staff_client, work):
    got = lines(staff_client.get(PAGE))
    assert got["reports-to-review"]["count"] == 1
    assert got["reports-to-review"]["items"] == [
        (
            f"{work['participation'].institution.name} · Micro-insurance · April 2021",
            f"/en/pilots/mfi-reports/{work['report'].pk}/",
        )
    ]
    assert got["periods-overdue"]["count"] == 5  # January to June but April
    assert got["periods-overdue"]["href"] == "/en/pilots/mfi-reports/#due"
    assert [text.rsplit(" · ", 1)[1] for text, _href in got["periods-overdue"]["items"]] == [
        "January 2021",
        "February 2021",
        "March 2021",
        "May 2021",
        "June 2021",
    ]
    assert got["late-milestones"]["count"] == 1
    assert got["late-milestones"]["items"] == [("Micro-insurance · Pilot launch", "/en/pilots/micro-insurance/")]
    assert got["rounds-open"]["count"] == 1
    assert got["rounds-open"]["href"] == f"/en/surveys/rounds/{work['round'].pk}/status/"
    assert "50 % answered (1 of 2)" in staff_client.get(PAGE).content.decode()
    assert got["failed-tasks"]["count"] == 1
    assert got["failed-tasks"]["items"][0][0] == "send_due_reminders"
    assert got["pages-in-moderation"]["count"] == 0 and got["pages-scheduled"]["count"] == 0


def test_approving_the_report_takes_it_off_the_list(staff_client, staff_user, work):
    services.report_approve(report=work["report"], user=staff_user)
    got = lines(staff_client.get(PAGE))
    assert got["reports-to-review"]["count"] == 0 and got["periods-overdue"]["count"] == 5


def test_a_submitted_report_is_not_overdue_and_a_returned_one_is(staff_client, staff_user, work):
    services.report_return(report=work["report"], user=staff_user, comment="Check April")
    assert lines(staff_client.get(PAGE))["periods-overdue"]["count"] == 6


def test_only_association_staff_see_it(client, work, member_user, donor_user, outsider_user):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/?next=")
    for user in (member_user, donor_user, outsider_user):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403, user
        assert "today-panel" not in client.get("/admin/").content.decode()


def test_spanish_page(staff_client, work):
    response = staff_client.get("/staff/today/")
    assert response.status_code == 200 and '<html lang="es">' in response.content.decode()
    assert lines(response)["reports-to-review"]["href"] == "/pilots/mfi-reports/"


def test_the_query_count_stays_flat_as_work_grows(staff_client, staff_user, member_user, work):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(PAGE).status_code == 200
        return len(queries)

    before = count()
    for n in range(3):
        institution = MemberInstitutionFactory()
        user = MemberUserFactory(institution=institution)
        participation, clients = pilot(staff_user, institution=institution, title=f"Pilot {n}", slug=f"pilot-{n}")
        for month in (2, 3):
            submit(participation, clients, user, D(2021, month, 1))
        MilestoneFactory(innovation=participation.innovation, planned_date=D(2022, 1, n + 1))
        InvitationFactory(round=RoundFactory(), status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
    assert lines(staff_client.get(PAGE))["reports-to-review"]["count"] == 7
    assert count() == before


def test_staff_land_on_it_when_they_sign_in(client, staff_user, member_user):
    response = client.post("/en/accounts/login/", {"username": "staff", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == PAGE
    client.logout()
    response = client.post("/en/accounts/login/", {"username": "member", "password": "pw"})
    assert response["Location"] != PAGE


def test_the_admin_home_shows_it_and_the_menu_links_the_queue(staff_client, work):
    html = staff_client.get("/admin/").content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one("section.today-panel")
    assert panel.select_one("h2 a")["href"] == "/staff/today/"
    assert f"/pilots/mfi-reports/{work['report'].pk}/" in [a["href"] for a in panel.select(".today-items a")]
    menu = BeautifulSoup(html, "html.parser").select_one("#wagtail-sidebar-props").get_text()
    assert '"url": "/pilots/mfi-reports/"' in menu


def test_pages_in_moderation_and_scheduled_link_to_their_editor(staff_client, research_index):  # noqa: F811
    workflow = Workflow.objects.create(name="Revisión")
    task = GroupApprovalTask.objects.create(name="Revisión editorial")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=research_index, workflow=workflow)
    waiting = make_report(research_index, title="Microseguros en revisión", publish=False)
    waiting.get_workflow().start(waiting, StaffFactory())
    scheduled = make_report(research_index, title="Microseguros programados", publish=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()

    got = lines(staff_client.get(PAGE))
    assert got["pages-in-moderation"]["count"] == 1
    assert got["pages-in-moderation"]["items"] == [("Microseguros en revisión", f"/admin/pages/{waiting.pk}/edit/")]
    assert got["pages-scheduled"]["count"] == 1
    assert got["pages-scheduled"]["items"] == [("Microseguros programados", f"/admin/pages/{scheduled.pk}/edit/")]


def test_a_scheduled_page_says_the_time_zone_of_its_go_live_time(staff_client, research_index):  # noqa: F811
    scheduled = make_report(research_index, title="Microseguros programados", publish=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()

    html = staff_client.get(PAGE).content.decode()
    assert "America/Guayaquil (UTC-05:00) time" in html
