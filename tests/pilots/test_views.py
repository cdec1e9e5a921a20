"""The innovation list and page as each role sees them, the filters, the staff
quick forms, the CSV, and query counts that stay flat as data grows."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilots.cycle import Stage
from pilots.models import Innovation, Measurement, Milestone, StageChange, Visibility
from pilots.progress import ensure_current
from tests.factories import FunderFactory, ProductLineFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/pilots/"


def page_url(innovation, lang: str = "es") -> str:
    prefix = "" if lang == "es" else f"/{lang}"
    return f"{prefix}/pilots/{innovation.slug}/"


def titles(response) -> set[str]:
    return {row["innovation"].title for row in response.context["rows"]}


@pytest.fixture
def portfolio(donor_user, member_user):
    """One innovation per visibility, plus restricted ones funded by / joined by our donor / member."""
    public = InnovationFactory(title="Public one", visibility=Visibility.PUBLIC)
    staff_only = InnovationFactory(title="Staff only", visibility=Visibility.STAFF)
    funded = InnovationFactory(title="Funded by donor", visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=donor_user.funder)
    other_funded = InnovationFactory(title="Funded by someone else", visibility=Visibility.DONORS)
    ContributionFactory(innovation=other_funded)
    joined = InnovationFactory(title="Joined by member", visibility=Visibility.DONORS)
    ParticipationFactory(innovation=joined, institution=member_user.institution)
    return {"public": public, "staff": staff_only, "funded": funded, "other": other_funded, "joined": joined}


def test_anonymous_sees_only_public_innovations(client, portfolio):
    assert titles(client.get(LIST)) == {"Public one"}
    assert client.get(portfolio["public"].get_absolute_url()).status_code == 200
    for key in ("staff", "funded", "other", "joined"):
        assert client.get(portfolio[key].get_absolute_url()).status_code == 404


def test_donor_sees_public_and_what_its_funder_funds(donor_client, portfolio):
    assert titles(donor_client.get(LIST)) == {"Public one", "Funded by donor"}
    assert donor_client.get(portfolio["funded"].get_absolute_url()).status_code == 200
    assert donor_client.get(portfolio["other"].get_absolute_url()).status_code == 404
    assert donor_client.get(portfolio["staff"].get_absolute_url()).status_code == 404


def test_member_sees_public_and_what_its_institution_takes_part_in(member_client, portfolio):
    assert titles(member_client.get(LIST)) == {"Public one", "Joined by member"}
    assert member_client.get(portfolio["funded"].get_absolute_url()).status_code == 404


def test_staff_sees_everything(staff_client, portfolio):
    assert titles(staff_client.get(LIST)) == {p.title for p in portfolio.values()}


def test_csv_download_respects_visibility(client, portfolio):
    assert client.get(reverse("pilots:indicators_csv", args=[portfolio["staff"].slug])).status_code == 404


def test_filters_by_stage_product_line_country_funder_status_and_progress(client):
    insurance = ProductLineFactory(code="micro-insurance")
    pensions = ProductLineFactory(code="micro-pensions")
    funder = FunderFactory(name="HIVOS")
    a = InnovationFactory(title="A", stage=Stage.PILOT, product_line=insurance, countries=["EC"], status="active")
    b = InnovationFactory(
        title="B",
        summary="Micro-pensiones",
        stage=Stage.SCALE,
        product_line=pensions,
        countries=["GT", "NI"],
        status="completed",
    )
    ContributionFactory(innovation=b, funder=funder)
    achieved = IndicatorFactory(innovation=a)
    TargetFactory(indicator=achieved, value=Decimal(10))
    MeasurementFactory(indicator=achieved, value=Decimal(12))

    assert titles(client.get(LIST, {"stage": "scale"})) == {"B"}
    assert titles(client.get(LIST, {"product_line": insurance.pk})) == {"A"}
    assert titles(client.get(LIST, {"country": "NI"})) == {"B"}
    assert titles(client.get(LIST, {"funder": funder.pk})) == {"B"}
    assert titles(client.get(LIST, {"status": "completed"})) == {"B"}
    assert titles(client.get(LIST, {"progress": "achieved"})) == {"A"}
    assert titles(client.get(LIST, {"q": "pensiones"})) == {"B"}
    assert titles(client.get(LIST, {"stage": "pilot", "country": "NI"})) == set()


def test_bad_filter_value_is_explained_not_a_500(client):
    response = client.get(LIST, {"stage": "launch"})
    assert response.status_code == 200
    assert (
        "Select a valid choice" in response.content.decode() or "Escoja una opción válida" in response.content.decode()
    )


def _grow(n: int) -> None:
    """n more public innovations, each with participants, funders, indicators, targets, measurements, milestones."""
    for _ in range(n):
        innovation = InnovationFactory()
        ContributionFactory(innovation=innovation)
        ParticipationFactory(innovation=innovation)
        for _ in range(2):
            indicator = IndicatorFactory(innovation=innovation)
            TargetFactory(indicator=indicator)
            for day in range(1, 4):
                MeasurementFactory(indicator=indicator, measured_on=datetime.date(2021, 1, day))
        for _ in range(3):
            MilestoneFactory(innovation=innovation)


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    _grow(2)
    ensure_current()  # stored progress up to date, as the scheduler keeps it (its own count: test_dashboard)
    with django_assert_max_num_queries(10) as small:
        client.get(LIST)
    _grow(8)
    ensure_current()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST, {"progress": "no_data"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST)


def test_detail_query_count_does_not_grow(client, django_assert_max_num_queries):
    innovation = InnovationFactory()
    indicator = IndicatorFactory(innovation=innovation)
    TargetFactory(indicator=indicator)
    MeasurementFactory(indicator=indicator)
    MilestoneFactory(innovation=innovation)
    ParticipationFactory(innovation=innovation)
    with django_assert_max_num_queries(25) as small:
        client.get(innovation.get_absolute_url())
    for _ in range(5):
        more = IndicatorFactory(innovation=innovation)
        TargetFactory(indicator=more)
        for day in range(1, 10):
            MeasurementFactory(
                indicator=more,
                measured_on=datetime.date(2021, 2, day),
                participation=ParticipationFactory(innovation=innovation),
            )
        MilestoneFactory(innovation=innovation)
        ContributionFactory(innovation=innovation)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(innovation.get_absolute_url())


def test_detail_loads_only_its_own_measurements(client):
    from django.db.models.signals import post_init

    innovation = InnovationFactory()
    own = IndicatorFactory(innovation=innovation)
    for day in range(1, 4):
        MeasurementFactory(indicator=own, measured_on=datetime.date(2021, 2, day))
    other = IndicatorFactory(innovation=InnovationFactory())
    for day in range(1, 29):
        MeasurementFactory(indicator=other, measured_on=datetime.date(2021, 2, day))
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.indicator_id)

    post_init.connect(count, sender=Measurement)
    try:
        assert client.get(innovation.get_absolute_url()).status_code == 200
    finally:
        post_init.disconnect(count, sender=Measurement)
    assert loaded == [own.pk] * 3


def test_indicator_chart_is_plain_plotly_json_with_the_series_and_safe_in_a_script(client):
    import json
    import re

    innovation = InnovationFactory()
    indicator = IndicatorFactory(innovation=innovation, name="Clients </script><b>")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    html = client.get(page_url(innovation, "en")).content.decode()
    source = re.search(rf'<script type="application/json" id="figure-{indicator.pk}">(.*?)</script>', html, re.S)
    figure = json.loads(source.group(1))
    assert figure["data"][0]["y"] == [51000.0] and figure["data"][1]["y"] == [58500.0]
    assert figure["layout"]["title"]["text"] == "Clients </script><b>"
    assert figure["layout"]["shapes"][0]["y0"] == 58500.0
    assert figure["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
    assert "data" not in figure["layout"]["template"]  # no copy of Plotly's whole template per figure


def test_rfr_like_page_shows_target_against_actual_as_table_and_chart(client, settings):
    innovation = InnovationFactory(title="RFR micro-insurance", started_on=datetime.date(2008, 9, 1))
    clients = IndicatorFactory(innovation=innovation, name="Insured clients")
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=clients, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    html = client.get(page_url(innovation, "en")).content.decode()
    assert "51,000" in html and "58,500" in html and "87 %" in html
    assert 'data-figure="figure-' in html
    assert "/static/vendor/plotly.min.js" in html
    spanish = client.get(page_url(innovation)).content.decode()
    # Spanish groups thousands with a non-breaking space (Django's es locale).
    assert "51.000" in spanish and "58.500" in spanish  # Spanish thousands: a point


def test_csv_has_the_same_numbers(client):
    innovation = InnovationFactory()
    indicator = IndicatorFactory(innovation=innovation, name="Insured clients")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    response = client.get(f"/en/pilots/{innovation.slug}/indicators.csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Indicator,Unit,Target stage,Target,Due date,Actual")
    assert lines[1].split(",")[:8] == [
        "Insured clients",
        "Count",
        "Pilot",
        "58500",
        "12/31/2010",
        "51000",
        "03/31/2011",
        "87.2",
    ]


def test_late_milestones_are_flagged(client):
    innovation = InnovationFactory()
    MilestoneFactory(innovation=innovation, title="Overdue report", planned_date=datetime.date(2021, 1, 1))
    html = client.get(page_url(innovation, "en")).content.decode()
    assert "1 late" in html and 'class="is-late"' in html


# --- staff quick forms ------------------------------------------------------------


def _measurement_post(indicator, **overrides):
    data = {
        "measurement-indicator": indicator.pk,
        "measurement-measured_on": "2021-06-01",
        "measurement-value": "120",
        "measurement-source": "Field report",
        "measurement-participation": "",
        "measurement-submission_key": str(uuid.uuid4()),
    }
    data.update({f"measurement-{k}": v for k, v in overrides.items()})
    return data


def test_staff_logs_a_measurement_and_sees_it(staff_client):
    indicator = IndicatorFactory()
    url = reverse("pilots:log_measurement", args=[indicator.innovation.slug])
    response = staff_client.post(url, _measurement_post(indicator), follow=True)
    assert response.status_code == 200
    assert Measurement.objects.get().value == Decimal(120)
    assert "120" in response.content.decode()


def test_refused_measurement_keeps_the_input_and_explains(staff_client):
    indicator = IndicatorFactory(unit="percent")
    reverse("pilots:log_measurement", args=[indicator.innovation.slug])
    response = staff_client.post(
        f"/en/pilots/{indicator.innovation.slug}/measurements/",
        _measurement_post(indicator, value="140", source="Survey of clients"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A percentage cannot be above 100." in html
    assert 'value="140"' in html and 'value="Survey of clients"' in html
    assert not Measurement.objects.exists()


def test_double_submitted_measurement_is_recorded_once(staff_client):
    indicator = IndicatorFactory()
    url = reverse("pilots:log_measurement", args=[indicator.innovation.slug])
    data = _measurement_post(indicator)
    staff_client.post(url, data)
    staff_client.post(url, data)
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize("who", ["client", "member_client", "donor_client"])
def test_non_staff_cannot_post_quick_forms(who, request):
    client = request.getfixturevalue(who)
    indicator = IndicatorFactory()
    slug = indicator.innovation.slug
    for name in ("log_measurement", "record_milestone", "advance_stage", "complete_milestone"):
        response = client.post(reverse(f"pilots:{name}", args=[slug]), _measurement_post(indicator))
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert not Measurement.objects.exists()
    assert not StageChange.objects.exists()


def test_quick_forms_are_shown_to_staff_only(staff_user, member_user):
    innovation = InnovationFactory()
    IndicatorFactory(innovation=innovation)
    staff, member, anonymous = Client(), Client(), Client()
    staff.force_login(staff_user)
    member.force_login(member_user)
    assert 'id="measurement-form"' in staff.get(page_url(innovation)).content.decode()
    assert 'id="measurement-form"' not in member.get(page_url(innovation)).content.decode()
    assert 'id="measurement-form"' not in anonymous.get(page_url(innovation)).content.decode()


def test_staff_advances_stage_and_skip_without_rationale_is_refused(staff_client):
    innovation = InnovationFactory(stage=Stage.DESIGN)
    url = reverse("pilots:advance_stage", args=[innovation.slug])
    base = {"stage-decided_on": "2022-01-01", "stage-expected_stage": Stage.DESIGN, "stage-rationale": ""}
    refused = staff_client.post(f"/en/pilots/{innovation.slug}/stage/", base | {"stage-to_stage": Stage.EVALUATE})
    assert refused.status_code == 400
    assert "Skipping a stage needs a rationale" in refused.content.decode()
    staff_client.post(url, base | {"stage-to_stage": Stage.PILOT})
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PILOT


def test_staff_records_and_completes_a_milestone(staff_client):
    innovation = InnovationFactory()
    url = reverse("pilots:record_milestone", args=[innovation.slug])
    refused = staff_client.post(
        f"/en/pilots/{innovation.slug}/milestones/",
        {
            "milestone-title": "Pilot launched",
            "milestone-stage": Stage.PILOT,
            "milestone-planned_start": "2021-03-01",
            "milestone-planned_date": "2021-06-01",
            "milestone-actual_date": "2021-02-01",
            "milestone-status": "planned",
        },
    )
    assert refused.status_code == 400
    assert "before it was planned to start" in refused.content.decode()
    staff_client.post(
        url,
        {
            "milestone-title": "Pilot launched",
            "milestone-stage": Stage.PILOT,
            "milestone-planned_date": "2021-06-01",
            "milestone-status": "planned",
        },
    )
    milestone = Milestone.objects.get()
    staff_client.post(
        reverse("pilots:complete_milestone", args=[innovation.slug]),
        {"milestone": milestone.pk, "actual_date": "2021-05-30"},
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.actual_date) == ("done", datetime.date(2021, 5, 30))


def test_milestone_of_another_innovation_cannot_be_completed_through_this_one(staff_client):
    mine = InnovationFactory()
    theirs = MilestoneFactory()
    staff_client.post(
        reverse("pilots:complete_milestone", args=[mine.slug]), {"milestone": theirs.pk, "actual_date": "2021-05-30"}
    )
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_admin_refuses_bad_measurement_with_the_service_message(staff_client):
    indicator = IndicatorFactory(unit="percent")
    response = staff_client.post(
        "/admin/measurements/new/",
        {"indicator": indicator.pk, "measured_on": "2021-06-01", "value": "150", "source": "x"},
    )
    assert response.status_code == 200
    # The admin speaks the staff member's language: Spanish by default.
    assert "Un porcentaje no puede ser mayor que 100." in response.content.decode()
    assert not Measurement.objects.exists()


def test_admin_lists_are_staff_only(staff_user, member_user, donor_user):
    clients = {}
    for name, user in (("anonymous", None), ("member", member_user), ("donor", donor_user), ("staff", staff_user)):
        clients[name] = Client()
        if user:
            clients[name].force_login(user)
    assert clients["anonymous"].get("/admin/innovations/").status_code == 302
    assert clients["member"].get("/admin/innovations/").status_code in (302, 403)
    assert clients["donor"].get("/admin/innovations/").status_code in (302, 403)
    assert clients["staff"].get("/admin/innovations/").status_code == 200


def test_staff_ticks_a_checklist_action_with_evidence(staff_client):
    innovation = InnovationFactory()
    url = reverse("pilots:tick_checklist", args=[innovation.slug])
    staff_client.post(
        url, {"action": "feasibility", "done_on": "2021-03-01", "evidence_url": "https://example.org/f.pdf"}
    )
    item = innovation.checklist.get()
    assert (item.action, item.done_on, item.evidence_url) == (
        "feasibility",
        datetime.date(2021, 3, 1),
        "https://example.org/f.pdf",
    )
    staff_client.post(url, {"action": "launch_rocket", "done_on": "2021-03-01"})
    assert innovation.checklist.count() == 1


def test_member_cannot_tick_the_checklist(member_client):
    innovation = InnovationFactory()
    response = member_client.post(
        reverse("pilots:tick_checklist", args=[innovation.slug]), {"action": "feasibility", "done_on": "2021-03-01"}
    )
    assert response.status_code == 403
    assert not innovation.checklist.exists()


def test_english_pages_show_the_english_title_and_indicator_name_when_given(client):
    innovation = InnovationFactory(title="Microseguro simplificado", title_en="Simplified micro-insurance")
    IndicatorFactory(innovation=innovation, name="Clientes asegurados", name_en="Insured clients")
    untranslated = InnovationFactory(title="Micropensiones")
    english = client.get(page_url(innovation, "en")).content.decode()
    spanish = client.get(page_url(innovation)).content.decode()
    assert "<h1>Simplified micro-insurance</h1>" in english and "Insured clients" in english
    assert "<h1>Microseguro simplificado</h1>" in spanish and "Clientes asegurados" in spanish
    assert "<h1>Micropensiones</h1>" in client.get(page_url(untranslated, "en")).content.decode()


def test_country_filter_does_not_reveal_where_restricted_innovations_are(client):
    InnovationFactory(countries=["EC"])
    InnovationFactory(countries=["RU"], visibility=Visibility.STAFF)
    choices = dict(client.get(LIST).context["filter"].form.fields["country"].choices)
    assert "EC" in choices and "RU" not in choices


def test_admin_edit_over_someone_elses_newer_save_is_refused_and_input_kept(staff_client):
    innovation = InnovationFactory(title="Old title")
    url = f"/admin/innovations/edit/{innovation.pk}/"
    form = staff_client.get(url).context["form"]
    loaded = form.initial["loaded_version"]
    data = {
        "title": "My new title",
        "title_en": "",
        "slug": innovation.slug,
        "summary": innovation.summary,
        "summary_en": "",
        "product_line": innovation.product_line_id,
        "countries": ["EC"],
        "lead": "",
        "visibility": innovation.visibility,
        "status": innovation.status,
        "started_on": "2020-01-01",
        "loaded_version": loaded,
    }
    # Someone else saves first.
    Innovation.objects.filter(pk=innovation.pk).update(title="Their title", updated_at=timezone.now())
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "My new title" in refused.content.decode()
    assert "Otra persona guardó esta innovación mientras usted la editaba" in refused.content.decode()
    innovation.refresh_from_db()
    assert innovation.title == "Their title"
    # Reloaded, the edit goes through.
    data["loaded_version"] = staff_client.get(url).context["form"].initial["loaded_version"]
    assert staff_client.post(url, data).status_code == 302
    innovation.refresh_from_db()
    assert innovation.title == "My new title"


def test_admin_edit_of_a_participation_updates_it_instead_of_adding_another(staff_client):
    participation = ParticipationFactory(stage=Stage.PILOT)
    url = f"/admin/participations/edit/{participation.pk}/"
    assert "institution" not in staff_client.get(url).context["form"].fields
    response = staff_client.post(url, {"since": "2021-02-01", "stage": Stage.SCALE})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.stage, participation.since) == (Stage.SCALE, datetime.date(2021, 2, 1))
    assert participation.innovation.participations.count() == 1


def _series_innovation():
    from tests.factories import StaffFactory

    innovation = InnovationFactory(slug="series")
    indicator = IndicatorFactory(innovation=innovation, name="Clientes", name_en="Clients")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    mfi = ParticipationFactory(innovation=innovation)
    MeasurementFactory(
        indicator=indicator,
        participation=mfi,
        measured_on=datetime.date(2011, 3, 31),
        value=Decimal(51000),
        source="Informe SEEP",
        logged_by=StaffFactory(first_name="Ana", last_name="Programas"),
    )
    return innovation, mfi


def test_the_full_series_download_has_every_measurement_and_target_and_staff_see_who_logged_them(staff_client):
    innovation, mfi = _series_innovation()
    public = Client().get("/en/pilots/series/series.csv").content.decode().splitlines()
    assert public[0] == "Indicator,Row,Date,Value,Unit,Stage,Source,Institution"
    assert public[1:] == [
        "Clients,Target,12/31/2010,58500,Count,Pilot,,",
        f"Clients,Actual,03/31/2011,51000,Count,,Informe SEEP,{mfi.institution.name}",
    ]
    # in Spanish, dates as Spanish writes them, in the dialect of Spanish spreadsheets (portal.downloads)
    spanish = Client().get("/pilots/series/series.csv").content.decode("utf-8-sig").splitlines()
    assert spanish[0] == "Indicador;Fila;Fecha;Valor;Unidad;Etapa;Fuente;Institución"
    assert spanish[2].startswith("Clientes;Real;31/03/2011;51000;")
    staff_rows = staff_client.get("/en/pilots/series/series.csv").content.decode().splitlines()
    assert staff_rows[0].endswith(",Logged by") and staff_rows[2].endswith(",Ana Programas")
    xlsx = staff_client.get("/en/pilots/series/series.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[3]][1:4] == ["Actual", datetime.datetime(2011, 3, 31), 51000]


def test_the_page_shows_each_measurements_source_and_only_staff_who_logged_it(staff_client):
    _series_innovation()
    public = Client().get("/en/pilots/series/").content.decode()
    assert "Informe SEEP" in public and "Ana Programas" not in public
    assert "Ana Programas" in staff_client.get("/en/pilots/series/").content.decode()


def test_a_restricted_innovations_series_is_a_404_for_others(client):
    InnovationFactory(slug="hidden", visibility=Visibility.STAFF)
    assert client.get("/en/pilots/hidden/series.csv").status_code == 404
    assert client.get("/en/pilots/hidden/series.xlsx").status_code == 404


def test_the_innovation_page_charts_participants_joining_over_time(client):
    """REDCAMIF's MFIs joined in waves: two in March 2010, one in June, two more in January 2011;
    the work began in September 2009 with none."""
    innovation = InnovationFactory(started_on=datetime.date(2009, 9, 1))
    for since in ("2010-03-01", "2010-03-01", "2010-06-15", "2011-01-10", "2011-01-10"):
        ParticipationFactory(innovation=innovation, since=datetime.date.fromisoformat(since))
    response = client.get(f"/en/pilots/{innovation.slug}/")
    figure = response.context["participants_figure"]
    today = timezone.localdate().isoformat()
    assert f'"x":["2009-09-01","2010-03-01","2010-06-15","2011-01-10","{today}"]' in figure
    assert '"y":[0.0,2.0,3.0,5.0,5.0]' in figure
    assert 'data-figure="figure-participants"' in response.content.decode()
    empty = InnovationFactory()
    assert client.get(f"/en/pilots/{empty.slug}/").context["participants_figure"] is None
