"""A round's explicit life: draft → scheduled → open → closed → results published.

Every change and every refusal, for each role; invitations never e-mailed before the round
opens (with a clock: services take `today=`, the scheduler's command `--today`); invite-all's
preview and its double submit; withdrawing an invitation; the export of who has not answered.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from surveys.models import Invitation, ResponseStatus, Round, RoundEvent, RoundState
from surveys.today import lines as today_lines
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory

from .factories import InvitationFactory, QuestionFactory, RoundFactory, submitted_response, today

DAY = datetime.timedelta(days=1)


def code_of(error: ValidationError) -> str | None:
    return getattr(error, "code", None) or next(
        (e.code for errors in getattr(error, "error_dict", {}).values() for e in errors), None
    )


@pytest.fixture
def staff(db):
    return StaffFactory(username="boss")


@pytest.fixture
def future_round(db):
    """A draft round opening in ten days, with one question; not yet scheduled."""
    survey_round = RoundFactory(year=2027, semester=1, opens_on=today() + 10 * DAY, closes_on=today() + 40 * DAY)
    QuestionFactory(round=survey_round, code="comments")
    assert survey_round.state == RoundState.DRAFT
    return survey_round


@pytest.fixture
def members(db):
    """Two member institutions with an e-mail, one without."""
    return [
        MemberInstitutionFactory(name="Alfa", contact_email="alfa@example.org"),
        MemberInstitutionFactory(name="Beta", contact_email="beta@example.org"),
        MemberInstitutionFactory(name="Gamma sin correo", contact_email=""),
    ]


def reload(survey_round: Round) -> Round:
    return Round.objects.get(pk=survey_round.pk)


# --- Services: every change and every refusal ------------------------------------------------------


def test_a_round_goes_through_every_state(staff, future_round):
    services.round_schedule(survey_round=future_round, user=staff)
    assert reload(future_round).state == RoundState.SCHEDULED
    services.round_unschedule(survey_round=future_round, user=staff)
    assert reload(future_round).state == RoundState.DRAFT
    services.round_schedule(survey_round=future_round, user=staff)
    services.round_open(survey_round=future_round, today=future_round.opens_on)  # the scheduler
    assert reload(future_round).state == RoundState.OPEN
    assert future_round.is_open(future_round.opens_on) and not future_round.is_closed(future_round.opens_on)
    services.round_close(survey_round=future_round, today=future_round.closes_on + DAY)
    assert reload(future_round).state == RoundState.CLOSED
    assert future_round.is_closed() and not future_round.results_published
    services.round_publish_results(survey_round=future_round, user=staff)
    survey_round = reload(future_round)
    assert survey_round.state == RoundState.RESULTS_PUBLISHED and survey_round.results_published
    events = list(RoundEvent.objects.filter(round=survey_round).values_list("kind", "by__username"))
    assert events == [
        ("scheduled", "boss"),
        ("unscheduled", "boss"),
        ("scheduled", "boss"),
        ("opened", None),
        ("closed", None),
        ("published", "boss"),
    ]
    assert list(RoundEvent.objects.filter(by_scheduler=True).values_list("kind", flat=True)) == ["opened", "closed"]


def test_opening_or_closing_early_moves_the_date_to_today(staff, future_round):
    services.round_open(survey_round=future_round, user=staff)
    survey_round = reload(future_round)
    assert survey_round.opens_on == today() and survey_round.is_open()
    assert "Opened early" in RoundEvent.objects.get(kind="opened").note
    services.round_close(survey_round=survey_round, user=staff)
    survey_round = reload(survey_round)
    assert survey_round.closes_on == today() and survey_round.is_closed()


def test_the_database_refuses_an_unknown_state(future_round):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=future_round.pk).update(state="half-open")


REFUSALS = [
    # (state to put the round in, change asked, code, words of the message)
    ("draft", "unschedule", "wrong_state", "is a draft. Only a scheduled round can go back to draft."),
    ("scheduled", "schedule", "wrong_state", "is scheduled to open on"),
    ("open", "schedule", "wrong_state", "is open. Only a draft can be scheduled."),
    ("open", "open", "wrong_state", "Only a draft or scheduled round can open."),
    ("draft", "close", "wrong_state", "Only an open round can close."),
    ("open", "publish", "wrong_state", "Results are published once the round is closed."),
    ("published", "publish", "wrong_state", "its results are published"),
    ("closed", "open", "wrong_state", "is closed."),
]


def change(action: str, survey_round: Round, user, today_=None):
    calls = {
        "schedule": lambda: services.round_schedule(survey_round=survey_round, user=user, today=today_),
        "unschedule": lambda: services.round_unschedule(survey_round=survey_round, user=user),
        "open": lambda: services.round_open(survey_round=survey_round, user=user, today=today_),
        "close": lambda: services.round_close(survey_round=survey_round, user=user, today=today_),
        "publish": lambda: services.round_publish_results(survey_round=survey_round, user=user),
    }
    return calls[action]()


@pytest.mark.parametrize(("state", "action", "code", "words"), REFUSALS)
def test_a_change_the_state_does_not_allow_is_refused(staff, future_round, state, action, code, words):
    Round.objects.filter(pk=future_round.pk).update(state=state)
    survey_round = reload(future_round)
    with pytest.raises(ValidationError) as caught:
        change(action, survey_round, staff)
    assert code_of(caught.value) == code
    assert words in " ".join(caught.value.messages)
    assert reload(survey_round).state == state


def test_a_round_without_questions_cannot_be_scheduled_nor_opened(staff, db):
    empty = RoundFactory(year=2027, semester=2, opens_on=today() + DAY, closes_on=today() + 9 * DAY)
    for action in ("schedule", "open"):
        with pytest.raises(ValidationError) as caught:
            change(action, empty, staff)
        assert code_of(caught.value) == "no_questions"
        assert "has no questions yet: add its questionnaire first" in caught.value.messages[0]


def test_a_round_whose_opening_date_has_passed_cannot_be_scheduled(staff, future_round):
    with pytest.raises(ValidationError) as caught:
        services.round_schedule(survey_round=future_round, user=staff, today=future_round.opens_on + DAY)
    assert code_of(caught.value) == "opens_in_past"
    assert "which has passed: set an opening date from today on, or open it now" in caught.value.messages[0]


def test_a_round_whose_closing_date_has_passed_cannot_open(staff, future_round):
    with pytest.raises(ValidationError) as caught:
        services.round_open(survey_round=future_round, user=staff, today=future_round.closes_on + DAY)
    assert code_of(caught.value) == "closes_in_past"


ROLE_ACTIONS = [
    (role, action)
    for role in ("member", "donor", "anonymous")
    for action in ("schedule", "unschedule", "open", "close", "publish")
    if not (role == "anonymous" and action in ("open", "close"))  # without a user: the scheduler
]


@pytest.mark.parametrize(("role", "action"), ROLE_ACTIONS)
def test_only_staff_change_a_round(future_round, role, action):
    user = {"member": MemberUserFactory, "donor": DonorFactory, "anonymous": lambda: None}[role]()
    if action == "unschedule":
        Round.objects.filter(pk=future_round.pk).update(state=RoundState.SCHEDULED)
    before = reload(future_round).state
    with pytest.raises(PermissionDenied):
        change(action, reload(future_round), user)
    assert reload(future_round).state == before


def test_answers_stop_after_the_last_day_even_before_the_scheduler_closes(invitation):
    survey_round = invitation.round
    after = survey_round.closes_on + DAY
    assert survey_round.state == RoundState.OPEN and survey_round.is_closed(after)
    with pytest.raises(ValidationError) as caught:
        services.answers_save_draft(invitation=invitation, values={}, version=0, today=after)
    assert code_of(caught.value) == "closed"


def test_a_scheduled_round_takes_no_answers(staff, future_round):
    services.round_schedule(survey_round=future_round, user=staff)
    invitation = InvitationFactory(round=future_round)
    with pytest.raises(ValidationError) as caught:
        services.answers_save_draft(invitation=invitation, values={}, version=0, today=future_round.opens_on - DAY)
    assert code_of(caught.value) == "not_open"
    assert "This survey opens on" in caught.value.messages[0]


# --- Invitations go out when the round opens, never before ----------------------------------------


def test_no_invitation_e_mail_before_the_opening_date(staff, future_round, members):
    services.round_schedule(survey_round=future_round, user=staff)
    invited = services.invitations_send(survey_round=future_round, user=staff, today=today())
    assert invited == 3
    assert mail.outbox == []
    assert list(future_round.invitations.values_list("sent_at", flat=True)) == [None, None, None]
    # The scheduler, the day before: nothing opens, nothing is sent.
    call_command("open_and_close_rounds", today=future_round.opens_on - DAY, stdout=io.StringIO())
    assert reload(future_round).state == RoundState.SCHEDULED and mail.outbox == []
    # On the opening date: the round opens and the recorded invitations go (to those with an address).
    out = io.StringIO()
    call_command("open_and_close_rounds", today=future_round.opens_on, stdout=out)
    assert f"Opened round {future_round.code}." in out.getvalue()
    assert reload(future_round).state == RoundState.OPEN
    assert sorted(message.to[0] for message in mail.outbox) == ["alfa@example.org", "beta@example.org"]
    assert not future_round.invitations.filter(sent_at__isnull=True).exists()
    # Idempotent: a second run the same day sends nothing more.
    call_command("open_and_close_rounds", today=future_round.opens_on, stdout=io.StringIO())
    assert len(mail.outbox) == 2
    # After the last day the scheduler closes it.
    call_command("open_and_close_rounds", today=future_round.closes_on + DAY, stdout=io.StringIO())
    assert reload(future_round).state == RoundState.CLOSED


def test_the_scheduler_opens_only_scheduled_rounds(staff, future_round, members):
    services.invitations_send(survey_round=future_round, user=staff)
    call_command("open_and_close_rounds", today=future_round.opens_on, stdout=io.StringIO())
    assert reload(future_round).state == RoundState.DRAFT and mail.outbox == []


def test_the_scheduler_does_not_open_a_round_whose_last_day_has_passed(staff, future_round, members):
    services.round_schedule(survey_round=future_round, user=staff)
    services.invitations_send(survey_round=future_round, user=staff)
    call_command("open_and_close_rounds", today=future_round.closes_on + DAY, stdout=io.StringIO())
    assert reload(future_round).state == RoundState.SCHEDULED and mail.outbox == []


def test_staff_opening_now_sends_the_recorded_invitations(staff, future_round, members):
    services.invitations_send(survey_round=future_round, user=staff)
    assert mail.outbox == []
    assert services.round_open(survey_round=future_round, user=staff) == 2
    assert len(mail.outbox) == 2


def test_on_an_open_round_inviting_sends_at_once_and_can_leave_out_those_without_e_mail(staff, members):
    survey_round = RoundFactory(year=2026, semester=2)
    QuestionFactory(round=survey_round)
    assert services.invitations_send(survey_round=survey_round, user=staff, only_with_email=True) == 2
    assert len(mail.outbox) == 2
    assert set(survey_round.invitations.values_list("institution__name", flat=True)) == {"Alfa", "Beta"}
    assert not survey_round.invitations.filter(sent_at__isnull=True).exists()
    assert services.invitations_send(survey_round=survey_round, user=staff) == 1  # the one left
    assert services.invitations_send(survey_round=survey_round, user=staff) == 0  # nobody twice
    assert len(mail.outbox) == 2 and survey_round.invitations.count() == 3


def test_a_closed_round_invites_nobody(staff, members):
    past = RoundFactory(year=2020, semester=1, opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
    with pytest.raises(ValidationError) as caught:
        services.invitations_send(survey_round=past, user=staff)
    assert code_of(caught.value) == "closed"


# --- Withdrawing an invitation ---------------------------------------------------------------------


def test_an_invitation_not_started_can_be_withdrawn_and_leaves_a_trace(staff, invitation, client):
    token, institution = invitation.token, invitation.institution
    services.invitation_withdraw(invitation=invitation, user=staff, reason="Invited by mistake")
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    event = RoundEvent.objects.get(kind="withdrawn")
    assert (event.institution, event.by, event.note) == (institution, staff, "Invited by mistake")
    assert client.get(reverse("surveys:respond", kwargs={"token": token})).status_code == 404


@pytest.mark.parametrize("status", [ResponseStatus.DRAFT, ResponseStatus.SUBMITTED])
def test_an_invitation_started_cannot_be_withdrawn(staff, survey_round, status):
    invitation = submitted_response(survey_round, {}, status=status)
    with pytest.raises(ValidationError) as caught:
        services.invitation_withdraw(invitation=invitation, user=staff)
    assert code_of(caught.value) == "started"
    assert "has started answering" in caught.value.messages[0]
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_invitation_with_answers_cannot_be_withdrawn_whatever_its_status(staff, invitation, questionnaire):
    from surveys.models import Answer

    Answer.objects.create(invitation=invitation, question=questionnaire["comments"], value="hola")
    with pytest.raises(ValidationError):
        services.invitation_withdraw(invitation=invitation, user=staff)


def test_only_staff_withdraw(invitation):
    for user in (MemberUserFactory(institution=invitation.institution), DonorFactory(), None):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(invitation=invitation, user=user)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- Pages: confirmations, preview, per role --------------------------------------------------------


def new_urls(survey_round: Round, invitation: Invitation) -> list[str]:
    return [
        *(reverse("surveys:state", args=[survey_round.pk, action]) for action in selectors.TRANSITION_ACTIONS),
        reverse("surveys:invite", args=[survey_round.pk]),
        reverse("surveys:withdraw", args=[invitation.pk]),
        reverse("surveys:non_respondents", args=[survey_round.pk, "csv"]),
        reverse("surveys:non_respondents", args=[survey_round.pk, "xlsx"]),
    ]


@pytest.mark.parametrize("role", ["anonymous", "member", "donor", "outsider"])
def test_every_new_page_and_export_refuses_all_but_staff(client, invitation, role, request):
    survey_round = invitation.round
    if role != "anonymous":
        user = request.getfixturevalue(f"{role}_user") if role != "member" else None
        user = user or MemberUserFactory(institution=invitation.institution)
        client.force_login(user)
    for url in new_urls(survey_round, invitation):
        for method in (client.get, client.post):
            response = method(url, {"who": "all"})
            if role == "anonymous":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
            else:
                assert response.status_code == 403, url
                assert "Only association staff can see this page." in response.content.decode()
    assert reload(survey_round).state == RoundState.OPEN
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert mail.outbox == []


def test_each_change_is_confirmed_with_its_consequences(staff_client, future_round, members):
    status = reverse("surveys:status", args=[future_round.pk])
    page = staff_client.get(status).content.decode()
    assert "Not scheduled: planned to open on" in page and "Open from" not in page
    schedule = reverse("surveys:state", args=[future_round.pk, "schedule"])
    assert schedule in page
    page = staff_client.get(schedule).content.decode()
    assert "Schedule round 2027-S1?" in page
    assert "Nobody is invited yet: invite the members now" in page
    assert reload(future_round).state == RoundState.DRAFT  # the confirmation page changes nothing
    response = staff_client.post(schedule, follow=True)
    assert "Round 2027-S1 is scheduled to open on" in response.content.decode()
    page = staff_client.get(status).content.decode()
    assert "Opens on" in page and "Open since" not in page

    invite = reverse("surveys:invite", args=[future_round.pk])
    ids = [member.pk for member in members]
    staff_client.post(invite, {"who": "all", "institution": ids})
    page = staff_client.get(reverse("surveys:state", args=[future_round.pk, "open"])).content.decode()
    assert "The round opens today instead of" in page
    assert "Opening sends 2 invitations now." in page
    assert "1 invited institution has no e-mail and gets none" in page
    assert mail.outbox == []
    staff_client.post(reverse("surveys:state", args=[future_round.pk, "open"]))
    assert reload(future_round).state == RoundState.OPEN and len(mail.outbox) == 2

    alfa = future_round.invitations.get(institution__name="Alfa")
    Invitation.objects.filter(pk=alfa.pk).update(status=ResponseStatus.DRAFT)
    page = staff_client.get(reverse("surveys:state", args=[future_round.pk, "close"])).content.decode()
    assert "Closing stops 1 institution with a draft from submitting." in page
    assert "2 institutions that have not started can no longer answer." in page
    staff_client.post(reverse("surveys:state", args=[future_round.pk, "close"]))
    assert reload(future_round).state == RoundState.CLOSED

    page = staff_client.get(reverse("surveys:state", args=[future_round.pk, "publish"])).content.decode()
    assert "Publishing shows the network&#x27;s results to the 0 members that answered" in page
    staff_client.post(reverse("surveys:state", args=[future_round.pk, "publish"]))
    assert reload(future_round).state == RoundState.RESULTS_PUBLISHED
    page = staff_client.get(status).content.decode()
    assert "Results published to the members who answered." in page
    assert "History of the round" in page


def test_a_refused_change_says_why_on_the_status_page(staff_client, survey_round):
    response = staff_client.post(reverse("surveys:state", args=[survey_round.pk, "publish"]), follow=True)
    assert "Results are published once the round is closed." in response.content.decode()
    assert reload(survey_round).state == RoundState.OPEN
    assert staff_client.get(reverse("surveys:state", args=[survey_round.pk, "dance"])).status_code == 404


def test_the_invite_preview_says_when_the_e_mails_go_and_who_has_none(staff_client, future_round, members):
    page = staff_client.get(reverse("surveys:invite", args=[future_round.pk])).content.decode()
    assert "2 institutions will receive an e-mail" in page
    assert "The e-mails go out when the round opens" in page
    assert "1 institution has no contact e-mail" in page
    assert "Gamma sin correo" in page
    assert reverse("member-institutions:edit", args=[members[2].pk]) in page
    assert not future_round.invitations.exists()


def test_invite_all_double_submit_invites_nobody_twice(staff_client, survey_round, members):
    url = reverse("surveys:invite", args=[survey_round.pk])
    post = {"who": "with_email", "institution": [member.pk for member in members]}
    first = staff_client.post(url, post, follow=True).content.decode()
    assert "2 member institutions invited; the e-mails go now." in first
    second = staff_client.post(url, post, follow=True).content.decode()
    assert "Nobody was invited: every institution listed was already invited." in second
    assert survey_round.invitations.count() == 2 and len(mail.outbox) == 2
    # A garbled id is ignored, not a server error.
    assert staff_client.post(url, {"who": "all", "institution": ["²", "9" * 40]}).status_code == 302


def test_withdraw_page_confirms_then_withdraws(staff_client, invitation):
    url = reverse("surveys:withdraw", args=[invitation.pk])
    page = staff_client.get(url).content.decode()
    assert "Its personal link stops working" in page
    response = staff_client.post(url, {"reason": "Duplicate"}, follow=True)
    assert "was withdrawn" in response.content.decode()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert "Invitation withdrawn" in response.content.decode()  # the round's history


def test_withdrawing_a_started_invitation_is_refused_with_a_message(staff_client, survey_round):
    started = submitted_response(survey_round, {}, status=ResponseStatus.DRAFT)
    response = staff_client.post(reverse("surveys:withdraw", args=[started.pk]), follow=True)
    assert "has started answering" in response.content.decode()
    assert Invitation.objects.filter(pk=started.pk).exists()


def test_status_page_queries_stay_flat_with_history(staff_client, staff, future_round, django_assert_max_num_queries):
    url = reverse("surveys:status", args=[future_round.pk])
    with django_assert_max_num_queries(12) as small:
        staff_client.get(url)
    for _n in range(3):
        services.round_schedule(survey_round=future_round, user=staff)
        services.round_unschedule(survey_round=future_round, user=staff)
    for n in range(10):
        institution = MemberInstitutionFactory(contact_email="" if n % 2 else f"m{n}@example.org")
        InvitationFactory(round=future_round, institution=institution)
        services.invitation_withdraw(invitation=InvitationFactory(round=future_round), user=staff)
    with django_assert_max_num_queries(12) as large:
        page = staff_client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert page.count("Back to draft") >= 3


# --- What members see ------------------------------------------------------------------------------


def test_members_see_the_network_only_once_results_are_published(client, staff, survey_round, questionnaire):
    for _n in range(3):
        submitted_response(survey_round, {"plans": "yes"})
    mine = submitted_response(survey_round, {"plans": "no"})
    member = MemberUserFactory(institution=mine.institution)
    client.force_login(member)
    compare = reverse("surveys:compare", args=[survey_round.pk])
    api = "/api/v1/survey-rounds/"
    assert "shown once the association publishes them" in client.get(compare).content.decode()
    assert client.get(api).json()["results"] == []
    services.round_close(survey_round=survey_round, user=staff)
    assert "shown once the association publishes them" in client.get(compare).content.decode()
    assert client.get(api).json()["results"] == []
    services.round_publish_results(survey_round=survey_round, user=staff)
    assert "shown once the association publishes them" not in client.get(compare).content.decode()
    listed = client.get(api).json()["results"]
    assert [(r["code"], r["state"]["code"]) for r in listed] == [(survey_round.code, "published")]


def test_a_member_reads_when_a_scheduled_round_opens(client, staff, future_round):
    services.round_schedule(survey_round=future_round, user=staff)
    invitation = InvitationFactory(round=future_round)
    page = client.get(reverse("surveys:respond", kwargs={"token": invitation.token})).content.decode()
    assert "Opens on" in page and "Open from" not in page and "Open until" not in page


# --- "Para hoy" ------------------------------------------------------------------------------------


def test_para_hoy_counts_rounds_by_state(staff, future_round):
    RoundFactory(year=2026, semester=2)  # open
    past = RoundFactory(year=2020, semester=1, opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
    Round.objects.filter(pk=past.pk).update(state=RoundState.CLOSED)
    services.round_schedule(survey_round=future_round, user=staff)
    InvitationFactory(round=future_round)
    got = {line.key: line for line in today_lines(staff, today())}
    assert got["rounds-open"].count == 1
    assert got["rounds-opening"].count == 1
    assert "1 invitation goes out then" in got["rounds-opening"].items[0].note
    assert got["rounds-to-publish"].count == 1 and got["rounds-to-publish"].items[0].text == "2020-S1"
    # An open round past its last day is still open until the scheduler closes it.
    later = {line.key: line.count for line in today_lines(staff, today() + 25 * DAY)}
    assert later["rounds-open"] == 1


# --- Exports -----------------------------------------------------------------------------------------


def test_the_export_of_who_has_not_answered(staff_client, survey_round):
    waiting = InvitationFactory(
        round=survey_round,
        institution=MemberInstitutionFactory(name="Zeta", country="PE", contact_email="zeta@example.org"),
        status=ResponseStatus.DRAFT,
        updated_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30)),
        reminder_count=2,
    )
    InvitationFactory(round=survey_round, institution=MemberInstitutionFactory(name="Alfa sin correo"))
    submitted_response(survey_round, {})
    response = staff_client.get(reverse("surveys:non_respondents", args=[survey_round.pk, "csv"]))
    assert (
        response["Content-Disposition"] == f'attachment; filename="demand-survey-{survey_round.code}-not-answered.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Institution",
        "Country",
        "Institution type",
        "Contact e-mail",
        "Status",
        "Last saved",
        "Reminders sent",
        "country",
        "institution_type",
        "status",
    ]
    assert [row[0] for row in rows[1:]] == ["Alfa sin correo", "Zeta"]  # the submitted one is not listed
    assert rows[2][1:5] == ["Peru", "NGO", "zeta@example.org", "Draft"]
    assert rows[2][6:] == ["2", "PE", "ngo", "draft"]
    assert rows[1][3] == "" and rows[1][5] == ""
    book = openpyxl.load_workbook(
        io.BytesIO(staff_client.get(reverse("surveys:non_respondents", args=[survey_round.pk, "xlsx"])).content)
    )
    sheet = book.active
    assert sheet.cell(row=3, column=6).value == timezone.localtime(waiting.updated_at).replace(tzinfo=None)


def test_the_xlsx_answers_export_writes_the_submission_date_as_a_date(staff_client, survey_round, questionnaire):
    submitted_response(survey_round, {"plans": "yes"})
    response = staff_client.get(reverse("surveys:export", args=[survey_round.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=4).value == "Submitted"
    assert isinstance(sheet.cell(row=2, column=4).value, datetime.datetime)
    assert sheet.cell(row=2, column=4).is_date


def test_the_migration_gives_existing_rounds_the_state_their_dates_imply(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("surveys.migrations.0003_round_states")
    future = RoundFactory(year=2030, semester=1, opens_on=today() + DAY, closes_on=today() + 9 * DAY)
    current = RoundFactory(year=2030, semester=2)
    past = RoundFactory(year=2020, semester=2, opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
    Round.objects.update(state=RoundState.CLOSED)  # whatever they held before
    migration.derive_states(apps, None)
    assert [reload(r).state for r in (future, current, past)] == ["draft", "open", "published"]
