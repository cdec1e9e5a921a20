"""What waits on a semiannual financial report: the members' reminder for the semester that
closed without it, the e-mail of a report returned with staff's comment, and staff's line
of reports to review in "Para hoy"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from pilots.benchmarking.reminders import reminders_send_due
from pilots.benchmarking.services import financial_report_return, financial_report_save, financial_report_submit
from pilots.models import FinancialReport, ReportState
from portal.emails.models import EmailTemplate
from portal.emails.services import email_template_update, email_templates_ensure
from portal.today import lines_for
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.test_benchmarking_services import FULL

pytestmark = pytest.mark.django_db

D = datetime.date
JUL_DEC_2025 = D(2025, 7, 1)  # ended 31 December 2025; due 30 days later, on 30 January 2026


def report(institution, start, state=ReportState.APPROVED, submitted_at=None):
    end = D(start.year, 6, 30) if start.month == 1 else D(start.year, 12, 31)
    if state != ReportState.DRAFT and submitted_at is None:
        submitted_at = timezone.now()
    return FinancialReport.objects.create(
        institution=institution, period_start=start, period_end=end, state=state, submitted_at=submitted_at
    )


def institution(name, *, country="EC", contact="", user_email=None, language=""):
    """A member institution, with a member user when `user_email` is given."""
    mfi = MemberInstitutionFactory(name=name, country=country, contact_email=contact, language=language)
    if user_email is not None:
        MemberUserFactory(institution=mfi, email=user_email)
    return mfi


@pytest.fixture
def members():
    """Six institutions, all reporting since January–June 2025 unless said otherwise."""
    late = institution("Cooperativa Andina", contact="andina@example.org", user_email="oficial@example.org")
    report(late, D(2025, 1, 1))
    on_time = institution("Banco Puntual", contact="puntual@example.org")
    report(on_time, D(2025, 1, 1))
    report(on_time, JUL_DEC_2025, ReportState.SUBMITTED)
    returned = institution("Fondo Corregido", country="GT", contact="fondo@example.org")
    report(returned, JUL_DEC_2025, ReportState.RETURNED)
    demo = institution("Demo Since 2009", country="IN", contact="demo@example.org")
    for year in (2009, 2010, 2011):  # the demo's reports stop in 2011
        report(demo, D(year, 7, 1) if year == 2009 else D(year, 1, 1))
    unreachable = institution("Sin Correo")  # reports, but no address to write to
    report(unreachable, D(2025, 1, 1))
    never = institution("Nunca Reportó", contact="nunca@example.org")  # has never reported
    return {"late": late, "on_time": on_time, "returned": returned, "demo": demo, "never": never}


def test_the_last_closed_semester_is_reminded_once_from_the_day_after_it_falls_due(members, mailoutbox):
    """July–December 2025 is due on 30 January 2026 (30 days): nothing that day, then one
    e-mail to each institution that reports and has not submitted, however often it runs."""
    assert reminders_send_due(today=D(2026, 1, 30)) == 0
    assert mailoutbox == []

    assert reminders_send_due(today=D(2026, 1, 31)) == 3  # the late, the returned and the demo's
    recipients = sorted(tuple(sorted(message.to)) for message in mailoutbox)
    assert recipients == [
        ("andina@example.org", "oficial@example.org"),
        ("demo@example.org",),
        ("fondo@example.org",),
    ]
    assert reminders_send_due(today=D(2026, 1, 31)) == 0, "reminded once"
    assert reminders_send_due(today=D(2026, 6, 30)) == 0
    assert len(mailoutbox) == 3


def test_the_reminder_names_the_semester_in_the_institutions_language_and_links_to_its_form(members, mailoutbox):
    reminders_send_due(today=D(2026, 2, 1))
    by_address = {address: message for message in mailoutbox for address in message.to}

    spanish = by_address["andina@example.org"]  # Ecuador: Spanish
    assert "julio–diciembre de 2025" in spanish.subject
    assert "Cooperativa Andina" in spanish.body
    assert "http://testserver/benchmarking/report/2025-2/" in spanish.body

    english = by_address["demo@example.org"]  # India: English
    assert "July–December 2025" in english.subject
    assert "http://testserver/en/benchmarking/report/2025-2/" in english.body


def test_never_a_backlog_the_demo_is_reminded_only_of_the_semester_that_closed_last(members, mailoutbox):
    """Reports stop in June 2011; on a 2026 date only July–December 2025 is asked for."""
    reminders_send_due(today=D(2026, 3, 15))
    [message] = [message for message in mailoutbox if "demo@example.org" in message.to]
    assert "July–December 2025" in message.subject
    assert "2011" not in message.subject + message.body


def test_a_semester_closed_but_not_yet_due_reminds_no_one(members, mailoutbox):
    """On 1 July 2026 January–June 2026 has closed but is due only on 30 July; the previous
    semester is not asked for again."""
    assert reminders_send_due(today=D(2026, 7, 1)) == 0
    assert reminders_send_due(today=D(2026, 7, 30)) == 0
    assert reminders_send_due(today=D(2026, 7, 31)) == 4  # nobody has submitted January–June 2026
    assert all("enero–junio de 2026" in m.subject or "January–June 2026" in m.subject for m in mailoutbox)


@override_settings(BENCHMARKING_FIRST_SEMESTER="2025-2")
def test_from_the_configured_first_semester_every_member_with_an_address_is_reminded(members, mailoutbox):
    assert reminders_send_due(today=D(2026, 1, 31)) == 4
    assert any("nunca@example.org" in message.to for message in mailoutbox)


@override_settings(BENCHMARKING_FIRST_SEMESTER="2026-1", BENCHMARKING_DAYS_TO_REPORT=45)
def test_a_configured_first_semester_still_to_come_and_the_days_to_report_are_settings(members, mailoutbox):
    assert reminders_send_due(today=D(2026, 2, 14)) == 0  # due on 14 February with 45 days
    assert reminders_send_due(today=D(2026, 2, 15)) == 3  # and only those already reporting
    assert not any("nunca@example.org" in message.to for message in mailoutbox)


def test_the_scheduler_command_queues_the_reminders(members, mailoutbox):
    call_command("send_benchmarking_reminders", today=D(2026, 2, 1))
    assert len(mailoutbox) == 3
    call_command("send_benchmarking_reminders", today=D(2026, 2, 2))
    assert len(mailoutbox) == 3


def test_a_run_with_everything_reminded_reads_a_bounded_number_of_queries(members, django_assert_max_num_queries):
    reminders_send_due(today=D(2026, 2, 1))
    for n in range(10):
        report(institution(f"Más {n}", contact=f"mas{n}@example.org"), D(2025, 1, 1))
    reminders_send_due(today=D(2026, 2, 1))
    with django_assert_max_num_queries(3):  # the institutions, the e-mails sent, the tasks waiting
        assert reminders_send_due(today=D(2026, 2, 2)) == 0


def test_staff_edit_the_reminder_and_that_text_is_sent(members, mailoutbox):
    email_templates_ensure()
    email_template_update(
        template=EmailTemplate.objects.get(key="benchmarking-reminder"),
        user=StaffFactory(),
        subject_es="Falta su informe financiero de {semester}",
        body_es="{institution}: complete el informe aquí: {link}\n",
        subject_en="",
        body_en="",
    )
    reminders_send_due(today=D(2026, 2, 1))
    [message] = [message for message in mailoutbox if "andina@example.org" in message.to]
    assert message.subject == "Falta su informe financiero de julio–diciembre de 2025"
    assert message.body.startswith(
        "Cooperativa Andina: complete el informe aquí: http://testserver/benchmarking/report/2025-2/"
    )


# --- The returned report's e-mail ---------------------------------------------------------------


def submitted_report(member):
    draft = financial_report_save(
        institution=member.institution,
        period_start=JUL_DEC_2025,
        values=FULL,
        comment="",
        version=None,
        user=member,
        today=D(2026, 1, 10),
    )
    return financial_report_submit(report=draft, version=draft.version, user=member, today=D(2026, 1, 10))


def test_a_returned_report_emails_the_institution_staffs_comment(mailoutbox, django_capture_on_commit_callbacks):
    mfi = institution("Cooperativa Andina", contact="andina@example.org")
    member = MemberUserFactory(institution=mfi, email="oficial@example.org")
    sent = submitted_report(member)
    comment = "La cartera en riesgo no coincide con el informe a la superintendencia.\nRevisen junio."
    with django_capture_on_commit_callbacks(execute=True):
        financial_report_return(report=sent, comment=comment, user=StaffFactory())
    [message] = mailoutbox
    assert sorted(message.to) == ["andina@example.org", "oficial@example.org"]
    assert "julio–diciembre de 2025" in message.subject
    assert comment in message.body
    assert "http://testserver/benchmarking/report/2025-2/" in message.body


def test_a_refused_return_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    member = MemberUserFactory(institution=institution("Cooperativa Andina", contact="andina@example.org"))
    sent = submitted_report(member)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        financial_report_return(report=sent, comment="  ", user=StaffFactory())
    assert mailoutbox == []


# --- Staff's "today" ----------------------------------------------------------------------------


def line(user):
    return next((each for each in lines_for(user, D(2026, 2, 1)) if each.key == "financial-reports-to-review"), None)


def test_staff_see_the_reports_awaiting_review_oldest_first(staff_user):
    first = report(
        institution("Banco Puntual"),
        JUL_DEC_2025,
        ReportState.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    report(institution("Cooperativa Andina"), JUL_DEC_2025, ReportState.SUBMITTED, submitted_at=timezone.now())
    report(institution("Ya Aprobada"), JUL_DEC_2025, ReportState.APPROVED)
    report(institution("Devuelta"), JUL_DEC_2025, ReportState.RETURNED)
    waiting = line(staff_user)
    assert waiting.count == 2
    assert waiting.url.endswith("/benchmarking/staff/#queue-h")
    assert [item.text for item in waiting.items] == [
        "Banco Puntual · July–December 2025",
        "Cooperativa Andina · July–December 2025",
    ]
    assert waiting.items[0].url.endswith(f"/benchmarking/reports/{first.pk}/")


def test_only_staff_have_the_line(member_user):
    report(member_user.institution, JUL_DEC_2025, ReportState.SUBMITTED)
    assert line(member_user) is None
