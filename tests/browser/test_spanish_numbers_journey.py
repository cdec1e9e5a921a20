"""Numbers typed the way Spanish writes them, on the Spanish pages (the portal's default):
an MFI's report saved on a desktop, reopened on a phone and submitted unchanged, with its
attachment; a returned report corrected after a refusal that keeps the new attachment; and a
survey answer of "18.500" clients stored as 18500 and shown back as each language writes it."""

import datetime
from decimal import Decimal

import pytest

from pilots.models import MFIReport, ReportState
from pilots.reporting import services
from surveys.models import QuestionType
from tests.browser.conftest import login
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, ParticipationFactory
from tests.surveys.factories import InvitationFactory, QuestionFactory, RoundFactory

D = datetime.date
PDF = {"name": "respaldo.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF"}


def _context(browser, live_server, **options):
    ctx = browser.new_context(base_url=live_server.url, locale="es-EC", **options)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    return ctx, page


@pytest.mark.django_db(transaction=True)
def test_a_spanish_report_saved_reopened_on_a_phone_and_submitted_unchanged(browser, live_server):
    ana = StaffFactory(username="ana", first_name="Ana", last_name="Programas")
    andina = MemberInstitutionFactory(name="Cooperativa Andina", country="EC")
    MemberUserFactory(username="luis", institution=andina, first_name="Luis", last_name="Andina")
    innovation = InnovationFactory(title="Microseguro simplificado", slug="microseguro", started_on=D(2008, 9, 1))
    clients = IndicatorFactory(innovation=innovation, name="Clientes asegurados", unit="count")
    satisfied = IndicatorFactory(innovation=innovation, name="Clientes satisfechos", unit="percent")
    services.reporting_plan_save(
        innovation=innovation, user=ana, frequency="monthly", first_period=D(2011, 1, 1), last_period=D(2011, 6, 1)
    )
    own = ParticipationFactory(innovation=innovation, institution=andina, since=D(2010, 1, 4))
    services.reported_indicators_set(participation=own, indicators=[clients, satisfied], user=ana)
    url = "/pilots/microseguro/mfi-reports/2011-04/"
    boxes = {"clients": f"#id_value-{clients.pk}", "num": f"#id_num-{satisfied.pk}", "den": f"#id_den-{satisfied.pk}"}

    desktop, member = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    phone, member_phone = _context(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    office, staff = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        # On the desktop: 8.600 clients (Spanish thousands), 45 of 50 satisfied, and the PDF.
        login(member, "luis")
        member.goto(url)
        member.fill(boxes["clients"], "8.600")
        member.fill(boxes["num"], "45")
        member.fill(boxes["den"], "50")
        member.set_input_files("#id_attachment", files=[PDF])
        member.click("button[name=action][value=save]")
        assert member.locator(".messages").count() == 1
        report = MFIReport.objects.get()
        assert report.state == ReportState.DRAFT

        # On the phone the draft reads as Spanish writes it, and it submits without a change.
        login(member_phone, "luis")
        member_phone.goto(url)
        shown = {name: member_phone.input_value(box) for name, box in boxes.items()}
        assert shown == {"clients": "8.600", "num": "45", "den": "50"}
        assert "respaldo" in member_phone.content()  # the draft's attachment, by its name
        width = member_phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the report form scrolls sideways on a phone ({width} px)"
        member_phone.click("button[name=action][value=submit]")
        member_phone.wait_for_load_state("networkidle")
        assert member_phone.locator(".errorlist, .error").count() == 0, member_phone.locator(".error").all_inner_texts()
        report.refresh_from_db()
        assert report.state == ReportState.SUBMITTED
        stored = {value.indicator_id: value for value in report.values.all()}
        assert stored[clients.pk].value == Decimal(8600)
        assert (stored[satisfied.pk].numerator, stored[satisfied.pk].denominator) == (45, 50)
        assert report.attachment and report.attachment.name.endswith(".pdf")

        # Staff return it; the member corrects it on the phone. A first try types "8,600"
        # (eight and six tenths in Spanish: no count) and attaches a new file: refused, the
        # file is kept; "8.700" then submits with that file.
        login(staff, "ana")
        staff.goto(f"/pilots/mfi-reports/{report.pk}/")
        staff.fill("#id_review_comment", "Revisen la cifra de clientes de abril.")
        staff.click("button[name=action][value=return]")
        report.refresh_from_db()
        assert report.state == ReportState.RETURNED

        member_phone.goto(url)
        assert member_phone.input_value(boxes["clients"]) == "8.600"
        member_phone.fill(boxes["clients"], "8,600")
        member_phone.set_input_files("#id_attachment", files=[{**PDF, "name": "respaldo-corregido.pdf"}])
        member_phone.click("button[name=action][value=submit]")
        member_phone.wait_for_load_state("networkidle")
        assert "8.600" in member_phone.locator(f"{boxes['clients']}-error, .error").first.inner_text()
        assert "respaldo-corregido.pdf" in member_phone.content()  # kept across the refusal
        member_phone.fill(boxes["clients"], "8.700")
        member_phone.click("button[name=action][value=submit]")
        member_phone.wait_for_load_state("networkidle")
        report.refresh_from_db()
        assert report.state == ReportState.SUBMITTED
        assert report.values.get(indicator=clients).value == Decimal(8700)
        assert "respaldo-corregido" in report.attachment.name
    finally:
        for ctx in (desktop, phone, office):
            ctx.close()


@pytest.mark.django_db(transaction=True)
def test_a_survey_answer_of_18_500_clients_is_eighteen_thousand_five_hundred(browser, live_server):
    survey_round = RoundFactory(year=2026, semester=2)
    clients = QuestionFactory(
        round=survey_round,
        code="clients-served",
        kind=QuestionType.NUMBER,
        position=1,
        min_value=0,
        max_value=Decimal(2_000_000),
        unit="clientes",
        label_es="¿Cuántos clientes atiende?",
        label_en="How many clients do you serve?",
    )
    women = QuestionFactory(round=survey_round, code="women", kind=QuestionType.PERCENTAGE, position=2)
    invitation = InvitationFactory(round=survey_round, institution=MemberInstitutionFactory(name="Cooperativa Prueba"))
    ctx, page = _context(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        link = f"/surveys/respond/{invitation.token}/"
        page.goto(link)
        page.fill(f"input[name='q-{clients.pk}']", "18.500")
        page.fill(f"input[name='q-{women.pk}']", "62,5")
        page.click("button[name=action][value=save]")
        page.wait_for_load_state("networkidle")
        answer = invitation.answers.get(question=clients)
        assert answer.value == 18500
        assert invitation.answers.get(question=women).value == 62.5

        # Shown back as each language writes it.
        page.goto(link)
        assert page.input_value(f"input[name='q-{clients.pk}']") == "18.500"
        assert page.input_value(f"input[name='q-{women.pk}']") == "62,5"
        page.goto(f"/en{link}")
        assert page.input_value(f"input[name='q-{clients.pk}']") == "18,500"
        assert page.input_value(f"input[name='q-{women.pk}']") == "62.5"

        # Submitted from the Spanish page: the receipt says 18.500 clientes.
        page.goto(link)
        page.click("#survey-submit")
        page.wait_for_selector("#receipt")
        assert "18.500 clientes" in page.inner_text("table.survey-answers")
        assert "62,5 %" in page.inner_text("table.survey-answers")
        assert invitation.answers.get(question=clients).value == 18500
    finally:
        ctx.close()
