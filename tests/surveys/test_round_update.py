"""Editing a round in the admin: what its state has made history stays (issue 23).

Opening and closing are actions with confirmations; the edit form must not undo them by a
date edit (an open round's opening day moved to next month would shut members out).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.users.models import UserProfile

from surveys import services
from surveys.models import Round, RoundState

from .factories import InvitationFactory, RoundFactory, today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin_en(staff_client, staff_user):
    profile = UserProfile.get_for_user(staff_user)
    profile.preferred_language = "en"
    profile.save()
    return staff_client


def form_data(survey_round: Round, **changes) -> dict:
    data = {
        "year": str(survey_round.year),
        "semester": str(survey_round.semester),
        "opens_on": str(survey_round.opens_on),
        "closes_on": str(survey_round.closes_on),
        "reminder_days": str(survey_round.reminder_days),
        "intro_es": survey_round.intro_es,
        "intro_en": survey_round.intro_en,
    }
    return data | {name: str(value) for name, value in changes.items()}


def test_an_open_rounds_opening_day_cannot_move(admin_en):
    survey_round = RoundFactory(opens_on=today() - 5 * DAY, closes_on=today() + 20 * DAY)
    assert survey_round.state == RoundState.OPEN
    response = admin_en.post(
        f"/admin/survey_rounds/edit/{survey_round.pk}/", form_data(survey_round, opens_on=today() + 30 * DAY)
    )
    assert response.status_code == 200  # the form again, with what was typed and why
    assert "that day cannot change" in response.context["form"].errors["opens_on"][0]
    survey_round.refresh_from_db()
    assert survey_round.opens_on == today() - 5 * DAY and survey_round.is_open()


def test_an_open_round_can_be_extended_but_not_closed_in_the_past(admin_en):
    survey_round = RoundFactory(opens_on=today() - 5 * DAY, closes_on=today() + 2 * DAY)
    edit = f"/admin/survey_rounds/edit/{survey_round.pk}/"
    admin_en.post(edit, form_data(survey_round, closes_on=today() + 9 * DAY, intro_en="Two more weeks."))
    survey_round.refresh_from_db()
    assert survey_round.closes_on == today() + 9 * DAY and survey_round.intro_en == "Two more weeks."

    response = admin_en.post(edit, form_data(survey_round, closes_on=today() - DAY))
    assert "close it now from its status page" in response.context["form"].errors["closes_on"][0]
    survey_round.refresh_from_db()
    assert survey_round.closes_on == today() + 9 * DAY


def test_a_closed_rounds_dates_are_history(admin_en):
    survey_round = RoundFactory(opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
    response = admin_en.post(
        f"/admin/survey_rounds/edit/{survey_round.pk}/",
        form_data(survey_round, closes_on=today() + 10 * DAY, intro_en="Corrected introduction."),
    )
    assert set(response.context["form"].errors) == {"closes_on"}
    survey_round.refresh_from_db()
    assert survey_round.closes_on == today() - 30 * DAY and survey_round.intro_en == ""


def test_a_round_with_invitations_keeps_its_name(admin_en):
    survey_round = RoundFactory(year=2027, semester=1, opens_on=today() + 30 * DAY, closes_on=today() + 60 * DAY)
    InvitationFactory(round=survey_round)
    response = admin_en.post(f"/admin/survey_rounds/edit/{survey_round.pk}/", form_data(survey_round, semester=2))
    assert "cannot change" in response.context["form"].errors["semester"][0]
    assert Round.objects.get(pk=survey_round.pk).code == "2027-S1"


def test_a_draft_round_changes_freely_and_a_scheduled_one_not_into_the_past(db):
    draft = RoundFactory(year=2027, semester=1, opens_on=today() + 30 * DAY, closes_on=today() + 60 * DAY)
    services.round_update(survey_round=draft, year=2027, semester=2, opens_on=today() - DAY)
    draft.refresh_from_db()
    assert (draft.code, draft.opens_on) == ("2027-S2", today() - DAY)

    scheduled = RoundFactory(
        year=2028, semester=1, opens_on=today() + 30 * DAY, closes_on=today() + 60 * DAY, state=RoundState.SCHEDULED
    )
    with pytest.raises(ValidationError) as refused:
        services.round_update(survey_round=scheduled, opens_on=today() - DAY)
    assert set(refused.value.message_dict) == {"opens_on"}
    services.round_update(survey_round=scheduled, opens_on=today())
    scheduled.refresh_from_db()
    assert scheduled.opens_on == today() and scheduled.state == RoundState.SCHEDULED
