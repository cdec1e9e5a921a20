"""Every rule of the tracker's services, and every refusal, with its message."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilots import services
from pilots.cycle import Stage
from pilots.models import Measurement, MilestoneStatus, StageChange
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MilestoneFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- who may write -----------------------------------------------------------


@pytest.mark.parametrize("role_user", ["member_user", "donor_user", "outsider_user"])
def test_only_staff_can_log_measurements(role_user, request):
    user = request.getfixturevalue(role_user)
    indicator = IndicatorFactory()
    with pytest.raises(PermissionDenied):
        services.measurement_record(indicator=indicator, measured_on=TODAY, value=Decimal(1), source="x", user=user)
    assert Measurement.objects.count() == 0


def test_anonymous_cannot_advance_a_stage():
    with pytest.raises(PermissionDenied):
        services.innovation_advance_stage(innovation=InnovationFactory(), to_stage=Stage.EVALUATE, user=None)


# --- stage decisions -----------------------------------------------------------


def test_innovation_create_records_the_opening_decision(staff_user, db):
    from tests.factories import ProductLineFactory

    innovation = services.innovation_create(
        user=staff_user,
        title="Micro-pensions",
        slug="micro-pensions",
        summary="Pensions for informal workers.",
        product_line=ProductLineFactory(),
        started_on=datetime.date(2020, 1, 1),
        visibility="public",
        countries=["GT", "HN"],
    )
    assert innovation.stage == Stage.IDENTIFY
    change = innovation.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.decided_by) == ("", Stage.IDENTIFY, staff_user)


def test_innovation_cannot_start_in_the_future(staff_user):
    from tests.factories import ProductLineFactory

    with pytest.raises(ValidationError, match="cannot start in the future"):
        services.innovation_create(
            user=staff_user,
            title="X",
            slug="x",
            summary="x",
            product_line=ProductLineFactory(),
            started_on=TODAY + datetime.timedelta(days=3),
            visibility="public",
        )


def test_innovation_slug_cannot_hide_a_portal_page(staff_user):
    from tests.factories import ProductLineFactory

    with pytest.raises(ValidationError, match="used by a page of the portal"):
        services.innovation_create(
            user=staff_user,
            title="X",
            slug="dashboard",
            summary="x",
            product_line=ProductLineFactory(),
            started_on=datetime.date(2020, 1, 1),
            visibility="public",
        )


def test_advance_one_step_forward_needs_no_rationale(staff_user):
    innovation = InnovationFactory(stage=Stage.PILOT)
    change = services.innovation_advance_stage(innovation=innovation, to_stage=Stage.EVALUATE, user=staff_user)
    innovation.refresh_from_db()
    assert innovation.stage == Stage.EVALUATE
    assert (change.from_stage, change.to_stage, change.decided_by, change.decided_on) == (
        Stage.PILOT,
        Stage.EVALUATE,
        staff_user,
        TODAY,
    )


def test_going_back_is_allowed_and_kept_in_history(staff_user):
    innovation = InnovationFactory(stage=Stage.PILOT)
    services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.DESIGN, user=staff_user, rationale="Weak pilot uptake: re-design."
    )
    innovation.refresh_from_db()
    assert innovation.stage == Stage.DESIGN
    assert list(StageChange.objects.values_list("from_stage", "to_stage")) == [(Stage.PILOT, Stage.DESIGN)]


def test_skipping_a_stage_without_rationale_is_refused(staff_user):
    innovation = InnovationFactory(stage=Stage.IDENTIFY)
    with pytest.raises(ValidationError) as error:
        services.innovation_advance_stage(innovation=innovation, to_stage=Stage.PILOT, user=staff_user)
    assert "Skipping a stage needs a rationale" in messages_of(error.value)
    assert "Design" in messages_of(error.value)
    innovation.refresh_from_db()
    assert innovation.stage == Stage.IDENTIFY
    assert not StageChange.objects.exists()


def test_skipping_a_stage_with_rationale_is_recorded(staff_user):
    innovation = InnovationFactory(stage=Stage.IDENTIFY)
    services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.PILOT, user=staff_user, rationale="Insurer's product already designed."
    )
    assert StageChange.objects.get().rationale == "Insurer's product already designed."


def test_moving_to_the_current_stage_is_refused(staff_user):
    innovation = InnovationFactory(stage=Stage.PILOT)
    with pytest.raises(ValidationError, match="already in this stage"):
        services.innovation_advance_stage(innovation=innovation, to_stage=Stage.PILOT, user=staff_user)


def test_unknown_stage_is_refused(staff_user):
    with pytest.raises(ValidationError, match="Unknown stage"):
        services.innovation_advance_stage(innovation=InnovationFactory(), to_stage="launch", user=staff_user)


def test_stage_decision_in_the_future_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        services.innovation_advance_stage(
            innovation=InnovationFactory(stage=Stage.PILOT),
            to_stage=Stage.EVALUATE,
            user=staff_user,
            decided_on=TODAY + datetime.timedelta(days=1),
        )


def test_stage_decision_before_the_previous_one_is_refused(staff_user):
    innovation = InnovationFactory(stage=Stage.DESIGN)
    services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.PILOT, user=staff_user, decided_on=datetime.date(2022, 5, 1)
    )
    with pytest.raises(ValidationError, match="cannot be earlier"):
        services.innovation_advance_stage(
            innovation=innovation, to_stage=Stage.EVALUATE, user=staff_user, decided_on=datetime.date(2022, 1, 1)
        )


def test_stage_decision_on_a_stale_page_is_refused(staff_user):
    """Two staff members decide at once: the second sees a conflict, not a silent double move."""
    from tests.factories import StaffFactory

    innovation = InnovationFactory(stage=Stage.PILOT)
    services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.EVALUATE, user=staff_user, expected_stage=Stage.PILOT
    )
    with pytest.raises(ValidationError, match="Someone else moved this innovation"):
        services.innovation_advance_stage(
            innovation=innovation, to_stage=Stage.SCALE, user=StaffFactory(), expected_stage=Stage.PILOT
        )
    assert StageChange.objects.count() == 1


def test_the_same_stage_decision_submitted_twice_is_recorded_once(staff_user):
    innovation = InnovationFactory(stage=Stage.PILOT)
    first = services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.EVALUATE, user=staff_user, expected_stage=Stage.PILOT
    )
    again = services.innovation_advance_stage(
        innovation=innovation, to_stage=Stage.EVALUATE, user=staff_user, expected_stage=Stage.PILOT
    )
    assert first.pk == again.pk and StageChange.objects.count() == 1


# --- checklist ------------------------------------------------------------------


def test_checklist_tick_and_retick_updates_the_same_item(staff_user):
    innovation = InnovationFactory()
    services.checklist_tick(
        innovation=innovation, action="feasibility", done_on=datetime.date(2021, 1, 1), user=staff_user
    )
    item = services.checklist_tick(
        innovation=innovation,
        action="feasibility",
        done_on=datetime.date(2021, 2, 1),
        user=staff_user,
        evidence_url="https://example.org/study.pdf",
    )
    assert innovation.checklist.count() == 1
    assert item.evidence_url == "https://example.org/study.pdf"


def test_checklist_unknown_action_is_refused(staff_user):
    with pytest.raises(ValidationError, match="Unknown action"):
        services.checklist_tick(innovation=InnovationFactory(), action="launch_rocket", done_on=TODAY, user=staff_user)


# --- milestones -----------------------------------------------------------------


def test_milestone_completed_before_planned_start_is_refused(staff_user):
    with pytest.raises(ValidationError) as error:
        services.milestone_record(
            innovation=InnovationFactory(),
            user=staff_user,
            title="Pilot launched",
            stage=Stage.PILOT,
            planned_start=datetime.date(2021, 3, 1),
            planned_date=datetime.date(2021, 6, 1),
            actual_date=datetime.date(2021, 2, 1),
        )
    assert "before it was planned to start" in messages_of(error.value)


def test_milestone_completed_in_the_future_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be completed in the future"):
        services.milestone_record(
            innovation=InnovationFactory(),
            user=staff_user,
            title="Report",
            stage=Stage.EVALUATE,
            planned_date=TODAY,
            actual_date=TODAY + datetime.timedelta(days=2),
        )


def test_milestone_start_after_due_is_refused(staff_user):
    with pytest.raises(ValidationError, match="planned start must be on or before"):
        services.milestone_record(
            innovation=InnovationFactory(),
            user=staff_user,
            title="Report",
            stage=Stage.EVALUATE,
            planned_start=datetime.date(2021, 7, 1),
            planned_date=datetime.date(2021, 6, 1),
        )


def test_milestone_done_without_date_is_refused(staff_user):
    with pytest.raises(ValidationError, match="date the milestone was completed"):
        services.milestone_record(
            innovation=InnovationFactory(),
            user=staff_user,
            title="Report",
            stage=Stage.EVALUATE,
            planned_date=datetime.date(2021, 6, 1),
            status=MilestoneStatus.DONE,
        )


def test_milestone_with_actual_date_is_done_and_late_when_after_plan(staff_user):
    milestone = services.milestone_record(
        innovation=InnovationFactory(),
        user=staff_user,
        title="Report",
        stage=Stage.EVALUATE,
        planned_date=datetime.date(2021, 6, 1),
        actual_date=datetime.date(2021, 6, 20),
    )
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.is_late(TODAY)


def test_open_milestone_past_its_date_is_late_and_a_future_one_is_not():
    assert MilestoneFactory(planned_date=datetime.date(2021, 1, 1)).is_late(datetime.date(2021, 1, 2))
    assert not MilestoneFactory(planned_date=datetime.date(2021, 1, 3)).is_late(datetime.date(2021, 1, 2))
    assert not MilestoneFactory(planned_date=datetime.date(2021, 1, 1), status="cancelled").is_late(
        datetime.date(2021, 1, 2)
    )


def test_milestone_update_marks_done(staff_user):
    milestone = MilestoneFactory(planned_date=datetime.date(2021, 6, 1))
    services.milestone_update(
        milestone=milestone, user=staff_user, actual_date=datetime.date(2021, 5, 30), status="done"
    )
    milestone.refresh_from_db()
    assert milestone.status == "done" and not milestone.is_late(TODAY)


# --- participants and funders ---------------------------------------------------------


def test_participation_add_twice_updates_instead_of_duplicating(staff_user):
    participation = ParticipationFactory()
    services.participation_add(
        innovation=participation.innovation,
        institution=participation.institution,
        since=datetime.date(2021, 2, 1),
        stage=Stage.SCALE,
        user=staff_user,
    )
    assert participation.innovation.participations.count() == 1
    participation.refresh_from_db()
    assert participation.stage == Stage.SCALE


def test_negative_contribution_is_refused(staff_user):
    from tests.factories import FunderFactory

    with pytest.raises(ValidationError, match="cannot be negative"):
        services.contribution_record(
            innovation=InnovationFactory(),
            funder=FunderFactory(),
            stage=Stage.PILOT,
            amount=Decimal(-5),
            user=staff_user,
        )


# --- indicators, targets, measurements ------------------------------------------------


def test_money_indicator_needs_a_currency(staff_user):
    with pytest.raises(ValidationError, match="need a currency"):
        services.indicator_define(innovation=InnovationFactory(), user=staff_user, name="Portfolio", unit="money")


def test_target_due_before_the_innovation_existed_is_refused(staff_user):
    indicator = IndicatorFactory(innovation=InnovationFactory(started_on=datetime.date(2020, 1, 1)))
    with pytest.raises(ValidationError) as error:
        services.target_set(
            indicator=indicator,
            stage=Stage.PILOT,
            value=Decimal(100),
            due_date=datetime.date(2019, 12, 31),
            user=staff_user,
        )
    assert "before the innovation existed" in messages_of(error.value)


def test_percentage_target_above_100_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be above 100"):
        services.target_set(
            indicator=IndicatorFactory(unit="percent"),
            stage=Stage.PILOT,
            value=Decimal(101),
            due_date=datetime.date(2021, 1, 1),
            user=staff_user,
        )


def test_target_set_twice_for_a_stage_updates_it(staff_user):
    indicator = IndicatorFactory()
    services.target_set(
        indicator=indicator, stage=Stage.PILOT, value=Decimal(10), due_date=datetime.date(2021, 1, 1), user=staff_user
    )
    services.target_set(
        indicator=indicator, stage=Stage.PILOT, value=Decimal(20), due_date=datetime.date(2021, 1, 1), user=staff_user
    )
    assert [t.value for t in indicator.targets.all()] == [Decimal(20)]


def test_target_update_to_a_taken_stage_is_refused(staff_user):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, stage=Stage.SCALE)
    target = TargetFactory(indicator=indicator, stage=Stage.PILOT)
    with pytest.raises(ValidationError, match="already has a target"):
        services.target_update(target=target, user=staff_user, stage=Stage.SCALE, value=Decimal(1), due_date=TODAY)


def _log(indicator, user, **overrides):
    data = {"measured_on": datetime.date(2021, 6, 1), "value": Decimal(100), "source": "Report"} | overrides
    return services.measurement_record(indicator=indicator, user=user, **data)


def test_measurement_is_logged_with_who_and_source(staff_user):
    measurement = _log(IndicatorFactory(), staff_user, value=Decimal(51000))
    assert (measurement.value, measurement.logged_by, measurement.source) == (Decimal(51000), staff_user, "Report")


def test_measurement_in_the_future_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        _log(IndicatorFactory(), staff_user, measured_on=TODAY + datetime.timedelta(days=1))


def test_measurement_before_the_innovation_started_is_refused(staff_user):
    with pytest.raises(ValidationError, match="before the innovation started"):
        _log(IndicatorFactory(), staff_user, measured_on=datetime.date(2019, 1, 1))


def test_negative_client_count_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be negative"):
        _log(IndicatorFactory(unit="count"), staff_user, value=Decimal(-3))


def test_percentage_above_100_is_refused(staff_user):
    with pytest.raises(ValidationError, match="cannot be above 100"):
        _log(IndicatorFactory(unit="percent"), staff_user, value=Decimal("100.5"))


def test_measurement_without_source_is_refused(staff_user):
    with pytest.raises(ValidationError, match="where the number comes from"):
        _log(IndicatorFactory(), staff_user, source="  ")


def test_measurement_for_an_mfi_of_another_innovation_is_refused(staff_user):
    with pytest.raises(ValidationError, match="does not take part"):
        _log(IndicatorFactory(), staff_user, participation=ParticipationFactory())


def test_double_submit_records_one_measurement(staff_user):
    indicator = IndicatorFactory()
    key = uuid.uuid4()
    first = _log(indicator, staff_user, submission_key=key)
    second = _log(indicator, staff_user, submission_key=key)
    assert first.pk == second.pk
    assert Measurement.objects.count() == 1


def test_measurement_update_applies_the_same_rules(staff_user):
    measurement = _log(IndicatorFactory(unit="percent"), staff_user, value=Decimal(80))
    with pytest.raises(ValidationError, match="cannot be above 100"):
        services.measurement_update(measurement=measurement, user=staff_user, value=Decimal(180))
    measurement.refresh_from_db()
    assert measurement.value == Decimal(80)


def test_lesson_and_evaluation_answers(staff_user):
    innovation = InnovationFactory()
    with pytest.raises(ValidationError, match="Write the lesson"):
        services.lesson_record(innovation=innovation, stage=Stage.PILOT, kind="worked", text=" ", user=staff_user)
    services.evaluation_answer_record(innovation=innovation, question="costs", answer="USD 20,000", user=staff_user)
    services.evaluation_answer_record(innovation=innovation, question="costs", answer="USD 25,000", user=staff_user)
    assert list(innovation.evaluation_answers.values_list("answer", flat=True)) == ["USD 25,000"]


def test_only_counts_say_what_they_count(staff_user):
    innovation = InnovationFactory()
    clients = services.indicator_define(
        innovation=innovation, user=staff_user, name="Clientes", unit="count", counted="clients"
    )
    assert clients.counted == "clients"
    with pytest.raises(ValidationError) as refused:
        services.indicator_define(
            innovation=innovation, user=staff_user, name="Satisfacción", unit="percent", counted="clients"
        )
    assert "Only counts say what they count" in str(refused.value.message_dict["counted"])


def test_texts_staff_write_have_an_english_version_shown_on_english_pages(client, staff_user):
    innovation = InnovationFactory(slug="rfr")
    services.milestone_record(
        innovation=innovation,
        user=staff_user,
        title="Concurso y selección de la aseguradora",
        title_en="Tender and choice of the insurer",
        stage=Stage.DESIGN,
        planned_date=datetime.date(2009, 6, 30),
    )
    services.milestone_record(
        innovation=innovation,
        user=staff_user,
        title="Solo en español",
        stage=Stage.PILOT,
        planned_date=datetime.date(2010, 1, 1),
    )
    services.lesson_record(
        innovation=innovation,
        stage=Stage.PILOT,
        kind="worked",
        text="Los reclamos en 5 días posicionaron a la RFR.",
        text_en="Claims settled in 5 days positioned RFR.",
        user=staff_user,
        recorded_on=datetime.date(2011, 3, 31),
    )
    english = client.get("/en/pilots/rfr/").content.decode()
    assert "Tender and choice of the insurer" in english and "Claims settled in 5 days positioned RFR." in english
    assert "Solo en español" in english  # no English version: the Spanish one, rather than nothing
    spanish = client.get("/pilots/rfr/").content.decode()
    assert "Concurso y selección de la aseguradora" in spanish and "Tender and choice" not in spanish


def test_the_portal_writes_its_own_texts_in_both_languages(staff_user):
    from tests.factories import ProductLineFactory

    innovation = services.innovation_create(
        user=staff_user,
        slug="nueva",
        title="Nueva",
        summary="Resumen",
        product_line=ProductLineFactory(),
        started_on=datetime.date(2020, 1, 1),
        visibility="public",
    )
    registered = innovation.stage_changes.get()
    assert (registered.rationale, registered.rationale_en) == ("Innovación registrada.", "Innovation registered.")
