"""Staff run a survey round through its states; no invitation goes before it opens.

Staff create the round in the Wagtail admin (it copies the previous questionnaire), schedule
it, preview "invite every member" (which lists the institution without an e-mail), confirm;
the scheduler's command opens it on its opening date (and not the day before), which sends
the invitations; staff remind, close and publish, each with its confirmation page; the
member then sees the network's results next to its own answers.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from surveys import services
from surveys.models import QuestionType, Round, RoundState
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.surveys.factories import RoundFactory, choice_question

from .conftest import login

DAY = datetime.timedelta(days=1)


@pytest.fixture
def network(transactional_db):
    previous = RoundFactory(year=2026, semester=2)
    choice_question(previous, "plans", QuestionType.SINGLE, ["yes", "no"], position=1)
    members = [
        MemberInstitutionFactory(name=f"Cooperativa {name}", contact_email=f"{name.lower()}@example.org")
        for name in ("Andina", "Bolivar", "Cotopaxi")
    ]
    MemberInstitutionFactory(name="Fundación Sin Correo", contact_email="")
    StaffFactory(username="staff")
    MemberUserFactory(username="andina", institution=members[0])
    return {"previous": previous, "members": members}


def confirm(page, button: str, *expected: str) -> None:
    """Press a state button of the status page, read the consequences, confirm."""
    page.click(f"#round-actions button:has-text('{button}')")
    consequences = page.inner_text("#consequences")
    for words in expected:
        assert words in consequences, consequences
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector("#round-state")


def test_staff_run_a_round_from_draft_to_published_results(page, browser, live_server, network):
    today = timezone.localdate()
    login(page, "staff")
    # Create the round in the admin: its questionnaire is a copy of the previous round's.
    page.goto("/admin/survey_rounds/new/")
    page.fill("#id_year", "2027")
    page.select_option("#id_semester", "1")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + 30 * DAY).isoformat())
    page.keyboard.press("Escape")  # the date picker may cover the button
    page.locator("button[type=submit][data-w-kbd-key-value='mod+s']").dispatch_event("click")  # "Create"
    page.wait_for_url("**/admin/survey_rounds/")  # back on the listing once the round is saved
    survey_round = Round.objects.get(year=2027, semester=1)
    assert survey_round.state == RoundState.DRAFT
    assert list(survey_round.questions.values_list("code", flat=True)) == ["plans"]

    status = f"/en/surveys/rounds/{survey_round.pk}/status/"
    page.goto(status)
    assert "Not scheduled" in page.inner_text("#round-state")
    confirm(page, "Schedule", "Nobody is invited yet")
    assert "Scheduled" in page.inner_text("#round-state")

    # Invite everyone: the preview lists who gets an e-mail and who has none.
    page.click("#round-actions button:has-text('Invite every member')")
    assert "3 institutions will receive an e-mail" in page.inner_text("#with-email")
    assert "Fundación Sin Correo" in page.inner_text("#without-email")
    assert page.locator("#without-email a[href*='/admin/member-institutions/edit/']").count() == 1
    page.check("input[name=who][value=all]")
    page.click("#invite-form button[type=submit]")
    page.wait_for_selector("#round-state")
    assert "4 member institutions invited; their e-mails go out when the round opens" in page.content()
    assert mail.outbox == []

    # The scheduler: the day before, nothing; on the opening date, the round opens and mails go.
    call_command("open_and_close_rounds", today=today - DAY, stdout=io.StringIO())
    assert mail.outbox == []
    call_command("open_and_close_rounds", today=today, stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == [
        "andina@example.org",
        "bolivar@example.org",
        "cotopaxi@example.org",
    ]

    # Three members answer (through their links); staff remind the one left with an address... and close.
    survey_round.refresh_from_db()
    assert survey_round.state == RoundState.OPEN
    plans = survey_round.questions.get(code="plans")
    for member, answer in zip(network["members"], ["yes", "yes", "no"], strict=True):
        invitation = survey_round.invitations.get(institution=member)
        version = services.answers_save_draft(invitation=invitation, values={plans.pk: answer}, version=0)
        services.response_submit(invitation=invitation, version=version)
    page.goto(status)
    assert "Open since" in page.inner_text("#round-state")
    page.click("#round-actions button:has-text('Remind everyone')")
    page.wait_for_selector("#round-state")
    assert "1 reminder sent." in page.content()
    confirm(page, "Close now", "Closing stops 0 institutions with drafts", "3 of 4 institutions submitted")
    assert "Results not yet published" in page.inner_text("#round-state")
    confirm(page, "Publish results", "to the 3 members that answered")
    assert Round.objects.get(pk=survey_round.pk).state == RoundState.RESULTS_PUBLISHED

    # The member sees the network's results next to its answer.
    member = browser.new_context(base_url=live_server.url, locale="es-EC")
    try:
        member_page = member.new_page()
        login(member_page, "andina")
        member_page.goto(f"/en/surveys/rounds/{survey_round.pk}/mine/")
        text = member_page.inner_text("main")
        assert "Share of the network choosing each option (3 institutions)" in text
        assert "shown once the association publishes them" not in text
    finally:
        member.close()
