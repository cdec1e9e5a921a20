"""Freshness in the progress rule (pilots/selectors/status.py, *Freshness* and *Overdue*): a status judged
on figures older than PILOTS_RECENT_DATA_MONTHS is "no recent data", a course already past is said
in the past, and a figure the reporting plan or a due target expected and did not get is overdue."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pilots.cycle import Stage
from pilots.models import IndicatorProgress, Innovation, InnovationProgress, MFIReport, ReportState, Status
from pilots.progress import ensure_current
from pilots.reporting import services as reporting
from pilots.selectors import (
    Overdue,
    Projection,
    indicator_progress,
    innovation_health,
    innovation_progress,
    overall_status,
    progress_as_of,
    with_page_data,
)
from tests.factories import MemberInstitutionFactory
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


RFR_START = D(2008, 9, 1)


def judged(indicator, day, *, started_on=RFR_START):
    return indicator_progress(indicator, stage=Stage.PILOT, started_on=started_on, today=day)


def rfr_mfis():
    """RFR's MFIs offering the micro-insurance: 4 in January 2010, 10 in March 2011; 13 due at the
    end of 2011 (seed 000)."""
    innovation = InnovationFactory(started_on=D(2008, 9, 1), stage=Stage.PILOT)
    mfis = IndicatorFactory(innovation=innovation, name_en="MFIs offering the micro-insurance")
    TargetFactory(indicator=mfis, stage=Stage.PILOT, value=Decimal(13), due_date=D(2011, 12, 31))
    MeasurementFactory(indicator=mfis, measured_on=D(2010, 1, 4), value=Decimal(4))
    MeasurementFactory(indicator=mfis, measured_on=D(2011, 3, 31), value=Decimal(10))
    return innovation, mfis


def test_the_rfr_mfis_worked_example_of_the_docstring():
    """On track while the March 2011 figure was recent; missed just after the due date, when that
    figure still stood for the day's; no recent data today, when it is too old to say whether 13
    MFIs were reached by the end of 2011 — and nothing is projected from it."""
    _innovation, mfis = rfr_mfis()
    mid_2011 = judged(mfis, D(2011, 6, 30))
    assert mid_2011.status == Status.ON_TRACK
    assert (mid_2011.projection.at_due, mid_2011.projection.reached_on.month) == (Decimal(14), 11)
    assert judged(mfis, D(2012, 1, 15)).status == Status.MISSED
    today = judged(mfis, D(2026, 12, 5))
    assert (today.status, today.projection, today.actual, today.actual_date) == (
        Status.NO_RECENT_DATA,
        None,
        Decimal(10),
        D(2011, 3, 31),
    )
    assert today.stale and today.age == "15\xa0years"  # Django's timesince, with a no-break space
    assert today.status_label == "No recent data"


def test_a_figure_dated_after_the_due_date_and_short_of_it_is_missed_however_old():
    """RFR's insured clients: 51,000 on 31 March 2011 against 58,500 due at the end of 2010."""
    clients = IndicatorFactory(innovation=InnovationFactory(started_on=D(2008, 9, 1)))
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=D(2010, 12, 31))
    MeasurementFactory(indicator=clients, measured_on=D(2011, 3, 31), value=Decimal(51000))
    assert judged(clients, D(2026, 12, 5)).status == Status.MISSED


def test_the_limit_is_twelve_months_by_default_and_a_setting(settings):
    """A target due next year, the latest figure 11 or 13 months before the day judged."""
    indicator = IndicatorFactory(innovation=InnovationFactory(started_on=D(2020, 1, 1)))
    TargetFactory(indicator=indicator, value=Decimal(1000), due_date=D(2023, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=D(2021, 6, 30), value=Decimal(400))
    assert judged(indicator, D(2022, 5, 31)).status != Status.NO_RECENT_DATA
    assert judged(indicator, D(2022, 6, 30)).status != Status.NO_RECENT_DATA  # exactly 12 months: still recent
    assert judged(indicator, D(2022, 7, 1)).status == Status.NO_RECENT_DATA
    settings.PILOTS_RECENT_DATA_MONTHS = 6
    assert judged(indicator, D(2022, 1, 15)).status == Status.NO_RECENT_DATA
    assert not judged(indicator, D(2021, 12, 15)).stale


def test_achieved_stays_achieved_when_old_but_says_its_age():
    indicator = IndicatorFactory(innovation=InnovationFactory(started_on=D(2008, 1, 1)), unit="days", direction="lower")
    TargetFactory(indicator=indicator, value=Decimal(5), due_date=D(2010, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=D(2011, 3, 31), value=Decimal(5))
    p = judged(indicator, D(2026, 12, 5))
    assert (p.status, p.stale, p.age) == (Status.ACHIEVED, True, "15\xa0years")
    fresh = judged(indicator, D(2011, 4, 30))
    assert (fresh.stale, fresh.age) == (False, "4\xa0weeks")


def test_not_knowing_is_worse_than_on_track_but_better_than_a_shortfall():
    on_track = IndicatorFactory(innovation=InnovationFactory(started_on=D(2020, 1, 1)))
    TargetFactory(indicator=on_track, value=Decimal(1000), due_date=D(2021, 12, 31))
    MeasurementFactory(indicator=on_track, measured_on=D(2020, 6, 30), value=Decimal(600))
    day = D(2021, 3, 1)
    stale = judged(rfr_mfis()[1], day)  # judged in 2021, its March 2011 figure is old
    ok = judged(on_track, day, started_on=D(2020, 1, 1))
    assert (stale.status, ok.status) == (Status.NO_RECENT_DATA, Status.ON_TRACK)
    assert overall_status([ok, stale]) == Status.NO_RECENT_DATA
    behind = IndicatorFactory(innovation=InnovationFactory(started_on=D(2020, 1, 1)))
    TargetFactory(indicator=behind, value=Decimal(1000), due_date=D(2021, 12, 31))
    MeasurementFactory(indicator=behind, measured_on=D(2020, 12, 31), value=Decimal(100))
    assert overall_status([stale, judged(behind, day, started_on=D(2020, 1, 1))]) == Status.OFF_TRACK


# --- Tense ------------------------------------------------------------------------------------------


def test_a_course_whose_date_has_passed_is_spoken_of_in_the_past_with_its_pace_period():
    """RFR's clients, reported monthly from January to March 2011 (+2,550 a month) towards 58,500:
    in April 2011 the target "is reached" in June; today it "would have been" reached then."""
    clients = IndicatorFactory(innovation=InnovationFactory(started_on=D(2008, 9, 1)))
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=D(2011, 12, 31))
    for day, value in ((D(2011, 1, 31), 45900), (D(2011, 2, 28), 48450), (D(2011, 3, 31), 51000)):
        MeasurementFactory(indicator=clients, measured_on=day, value=Decimal(value))
    then = judged(clients, D(2011, 4, 15)).projection
    assert (then.reached_on.month, then.past, then.pace_period) == (6, False, "early 2011")
    now = judged(clients, D(2026, 12, 5))
    assert now.status == Status.NO_RECENT_DATA and now.projection is None  # no current claim
    missed = IndicatorFactory(innovation=InnovationFactory(started_on=D(2008, 9, 1)))
    TargetFactory(indicator=missed, value=Decimal(58500), due_date=D(2010, 12, 31))
    for point in clients.measurements.all():
        MeasurementFactory(indicator=missed, measured_on=point.measured_on, value=point.value)
    course = judged(missed, D(2026, 12, 5)).projection
    assert (course.reached_on.month, course.reach_passed, course.past) == (6, True, True)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (D(2011, 3, 1), D(2011, 3, 31), "March 2011"),
        (D(2011, 1, 31), D(2011, 3, 31), "early 2011"),
        (D(2011, 5, 31), D(2011, 8, 31), "mid-2011"),
        (D(2011, 9, 30), D(2011, 12, 31), "late 2011"),
        (D(2011, 2, 28), D(2011, 10, 31), "2011"),
        (D(2008, 9, 1), D(2011, 3, 31), "September 2008 to March 2011"),
    ],
)
def test_the_pace_is_named_after_the_dates_of_its_points(start, end, words):
    course = Projection(None, [], None, None, paced_from=start, paced_to=end, as_of=D(2026, 12, 5))
    assert course.pace_period == words


def test_a_target_never_reached_at_an_old_pace_is_said_in_the_past():
    flat = Projection(0.0, [], None, None, paced_from=D(2011, 1, 31), paced_to=D(2011, 3, 31), as_of=D(2026, 12, 5))
    recent = Projection(0.0, [], None, None, paced_from=D(2026, 9, 30), paced_to=D(2026, 10, 31), as_of=D(2026, 12, 5))
    assert (flat.past, recent.past) == (True, False)


# --- Overdue ----------------------------------------------------------------------------------------


@pytest.fixture
def planned(staff_user):
    """A pilot whose two MFIs report insured clients monthly, January to June 2021, 10 days after
    each month; the first reported January to March, the second only January."""
    innovation = InnovationFactory(started_on=D(2020, 1, 1), stage=Stage.PILOT)
    clients = IndicatorFactory(innovation=innovation, name_en="Insured clients", order=1)
    TargetFactory(indicator=clients, value=Decimal(10000), due_date=D(2022, 12, 31))
    satisfaction = IndicatorFactory(innovation=innovation, name_en="Satisfaction", unit="percent", order=2)
    reporting.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2021, 1, 1),
        last_period=D(2021, 6, 1),
        days_to_report=10,
    )
    first = ParticipationFactory(innovation=innovation, institution=MemberInstitutionFactory(name="Cooperativa Uno"))
    second = ParticipationFactory(innovation=innovation, institution=MemberInstitutionFactory(name="Banco Dos"))
    for participation, months in ((first, (1, 2, 3)), (second, (1,))):
        reporting.reported_indicators_set(participation=participation, indicators=[clients], user=staff_user)
        for month in months:
            submit(participation, month)
    return {"innovation": innovation, "clients": clients, "satisfaction": satisfaction, "first": first}


def submit(participation, month, *, state=ReportState.SUBMITTED, on=None):
    start = D(2021, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    submitted_at = datetime.datetime.combine(on or end + datetime.timedelta(days=5), datetime.time(12), datetime.UTC)
    return MFIReport.objects.create(
        participation=participation, period_start=start, period_end=end, state=state, submitted_at=submitted_at
    )


def for_page(innovation) -> Innovation:
    return with_page_data(Innovation.objects).get(pk=innovation.pk)


def progress_on(innovation, day) -> dict:
    return {p.indicator.name_en: p for p in innovation_progress(for_page(innovation), today=day)}


def test_a_report_is_overdue_once_its_due_date_has_passed(planned):
    innovation = planned["innovation"]
    # Banco Dos's February report is due on 10 March 2021: not overdue on that day, overdue the next.
    assert progress_on(innovation, D(2021, 3, 10))["Insured clients"].overdue is None
    late = progress_on(innovation, D(2021, 3, 11))["Insured clients"].overdue
    assert late == Overdue(Overdue.REPORT, D(2021, 3, 10), ("Banco Dos",))
    # In May, Cooperativa Uno's April report is late too; since when: the earliest missed.
    may = progress_on(innovation, D(2021, 5, 11))
    both = ("Banco Dos", "Cooperativa Uno")  # in the order of the participants' list
    assert may["Insured clients"].overdue == Overdue(Overdue.REPORT, D(2021, 3, 10), both)
    assert may["Satisfaction"].overdue is None  # nobody reports it
    health = innovation_health(list(may.values()))
    assert (health.overdue.since, health.overdue.institutions) == (D(2021, 3, 10), both)


def test_a_draft_or_returned_report_has_not_come_a_submitted_one_has(planned):
    innovation, first = planned["innovation"], planned["first"]
    april = submit(first, 4, state=ReportState.DRAFT, on=D(2021, 5, 5))
    overdue = progress_on(innovation, D(2021, 5, 11))["Insured clients"].overdue
    assert "Cooperativa Uno" in overdue.institutions
    april.state = ReportState.SUBMITTED
    april.save()
    overdue = progress_on(innovation, D(2021, 5, 11))["Insured clients"].overdue
    assert overdue.institutions == ("Banco Dos",)
    april.state = ReportState.RETURNED
    april.save()
    assert "Cooperativa Uno" in progress_on(innovation, D(2021, 5, 11))["Insured clients"].overdue.institutions


def test_a_target_due_without_any_figure_is_overdue():
    """REDCAMIF: 25,000 clients with a micro-pension due at the end of 2012, never counted."""
    clients = IndicatorFactory(innovation=InnovationFactory(started_on=D(2007, 1, 15)))
    TargetFactory(indicator=clients, value=Decimal(25000), due_date=D(2012, 12, 31))
    assert judged(clients, D(2012, 12, 31)).overdue is None
    p = judged(clients, D(2026, 12, 5))
    assert (p.status, p.overdue) == (Status.NO_DATA, Overdue(Overdue.TARGET, D(2012, 12, 31)))
    MeasurementFactory(indicator=clients, measured_on=D(2013, 1, 31), value=Decimal(3000))
    assert judged(clients, D(2026, 12, 5)).overdue is None


def test_a_period_report_judges_as_of_the_periods_end(planned):
    """As of 30 June 2021, the March 2011 figures of RFR's MFIs were recent: on track, not "no recent
    data"; and a report submitted in July was still overdue at the end of June."""
    innovation, _mfis = rfr_mfis()
    [june] = progress_as_of(for_page(innovation), D(2011, 6, 30))
    assert (june.status, june.as_of, june.stale) == (Status.ON_TRACK, D(2011, 6, 30), False)
    for month in (4, 5, 6):
        submit(planned["first"], month, on=D(2021, 7, 20))
    pilot = for_page(planned["innovation"])
    clients_then = {p.indicator.name_en: p for p in progress_as_of(pilot, D(2021, 6, 30))}["Insured clients"]
    assert "Cooperativa Uno" in clients_then.overdue.institutions
    clients_now = {p.indicator.name_en: p for p in progress_as_of(pilot, D(2021, 7, 31))}["Insured clients"]
    assert clients_now.overdue.institutions == ("Banco Dos",)


def test_the_stored_progress_keeps_the_same_status_and_overdue_and_a_submission_refreshes_it(planned):
    innovation, first = planned["innovation"], planned["first"]
    day = D(2021, 5, 11)
    ensure_current(day)
    row = IndicatorProgress.objects.get(indicator=planned["clients"])
    page = progress_on(innovation, day)["Insured clients"]
    assert (row.status, row.overdue_since, row.overdue_institutions) == (
        page.status,
        page.overdue.since,
        list(page.overdue.institutions),
    )
    submit(first, 4, on=D(2021, 5, 8))  # a report coming in marks the stored progress out of date
    assert not InnovationProgress.objects.filter(innovation=innovation).exists()
    assert ensure_current(day) == 1
    assert IndicatorProgress.objects.get(indicator=planned["clients"]).overdue_institutions == ["Banco Dos"]


def test_a_new_day_turns_a_recent_figure_into_no_recent_data_in_the_stored_progress():
    innovation, mfis = rfr_mfis()
    assert ensure_current(D(2011, 6, 30)) >= 1
    assert IndicatorProgress.objects.get(indicator=mfis).status == Status.ON_TRACK
    assert ensure_current(D(2013, 1, 2)) >= 1
    assert IndicatorProgress.objects.get(indicator=mfis).status == Status.NO_RECENT_DATA
    assert InnovationProgress.objects.get(innovation=innovation).status == Status.NO_RECENT_DATA


# --- Pages ------------------------------------------------------------------------------------------


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_page_says_how_old_the_figures_are_and_what_is_overdue(client, planned):
    """Today the pilot's 2021 figures are old, and its reports of April to June 2021 never came."""
    first = planned["first"]
    MeasurementFactory(
        indicator=planned["clients"], participation=first, measured_on=D(2021, 3, 31), value=Decimal(900)
    )
    today = timezone.localdate()
    years = today.year - 2021 - ((today.month, today.day) < (3, 31))
    page = text(client.get(f"/en/pilots/{planned['innovation'].slug}/"))
    assert f'as of 03/31/2021 · <strong class="age">{years} years ago</strong>' in page
    assert "No recent data" in page  # the status, and the legend saying what it means
    assert "Report overdue" in page and "since 03/10/2021, from 2 MFIs: Banco Dos, Cooperativa Uno" in page
    assert "Cooperativa Uno — March 2021: 900" not in page  # a staff figure is dated, not a report's period
    assert "Cooperativa Uno — 03/31/2021: 900" in page


def test_a_reported_value_names_its_period_and_the_rule_that_combined_the_values(client, planned, staff_user):
    first = planned["first"]
    report = submit(first, 4, on=D(2021, 5, 5))
    clients = planned["clients"]
    MeasurementFactory(indicator=clients, participation=first, measured_on=D(2021, 4, 30), value=1200, report=report)
    second = planned["innovation"].participations.exclude(pk=first.pk).get()
    MeasurementFactory(indicator=clients, participation=second, measured_on=D(2021, 3, 31), value=Decimal(800))
    page = text(client.get(f"/en/pilots/{planned['innovation'].slug}/"))
    assert "Sum of 2 MFIs&#x27; latest figures:" in page or "Sum of 2 MFIs' latest figures:" in page
    assert "Cooperativa Uno — April 2021: 1,200" in page and "Banco Dos — 03/31/2021: 800" in page


def test_the_list_dashboard_csv_and_api_read_the_status_the_page_shows(client):
    """RFR's MFIs today: no recent data on the page, in the progress filter, the dashboard's
    counts and table, its CSV and the API (list and detail, with the "as of" date judged)."""
    innovation, _mfis = rfr_mfis()
    waiting = IndicatorFactory(innovation=innovation, name_en="Insured clients", order=2)
    TargetFactory(indicator=waiting, stage=Stage.PILOT, value=Decimal(58500), due_date=D(2010, 12, 31))
    page = client.get(f"/en/pilots/{innovation.slug}/")
    statuses = [row["progress"].status for row in page.context["indicators"]]
    assert statuses == [Status.NO_RECENT_DATA, Status.NO_DATA] and page.context["freshness"].status == (
        Status.NO_RECENT_DATA
    )
    assert "no figure since the target was due on 12/31/2010" in text(page)

    listing = client.get("/en/pilots/", {"progress": Status.NO_RECENT_DATA})
    assert [row["innovation"].slug for row in listing.context["rows"]] == [innovation.slug]
    dashboard = client.get("/en/pilots/dashboard/")
    health = {row["status"]: row["count"] for row in dashboard.context["summary"]["health"]}
    assert health[Status.NO_RECENT_DATA] == 1 and sum(health.values()) == 1
    assert [row["progress"].status for row in dashboard.context["page"].object_list] == statuses
    csv = client.get("/en/pilots/dashboard/", {"format": "csv"}).content.decode()
    assert "No recent data" in csv and "12/31/2010" in csv.splitlines()[2].split(",")[-2]

    listed = client.get("/api/v1/innovations/", headers={"accept-language": "en"}).json()["results"]
    assert [item["health"] for item in listed] == [{"code": "no_recent_data", "label": "No recent data"}]
    detail = client.get(f"/api/v1/innovations/{innovation.slug}/", headers={"accept-language": "en"}).json()
    mfis, clients = detail["indicators"]
    assert (mfis["status"]["code"], mfis["actual_date"], mfis["as_of"], mfis["projection"], mfis["overdue"]) == (
        "no_recent_data",
        "2011-03-31",
        timezone.localdate().isoformat(),
        None,
        None,
    )
    assert clients["overdue"] == {"kind": "target", "since": "2010-12-31", "institutions": []}
    assert detail["overdue"] == clients["overdue"]


def test_the_schema_declares_the_statuses_and_what_is_overdue(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    status = schema["StatusCodeLabel"]["properties"]["code"]
    codes = status.get("enum") or schema[status["$ref"].split("/")[-1]]["enum"]
    assert "no_recent_data" in codes
    indicator = schema["Indicator"]["properties"]
    assert {"as_of", "overdue", "actual_date"} <= set(indicator)
    assert set(schema["Overdue"]["properties"]) == {"kind", "since", "institutions"}
