"""A refused form says so at its top: an error summary with how many things are wrong and a link
to each field's input (portal/includes/error_summary.html), inside the very form that was refused,
which the staff quick forms' address points the browser to (`#measurement-error-summary`)."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from pilots.cycle import Stage
from pilots.models import MFIReport
from pilots.reporting import services
from pilots.reporting.services import Entry
from tests.factories import StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MilestoneFactory
from tests.pilots.test_reporting import pilot  # noqa: F401 (fixture)
from tests.pilots.test_reports import REPORT, rfr, write  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def summaries(html: str) -> list[str]:
    return re.findall(r'<div class="error-summary".*?</div>', html, flags=re.S)


def form_block(html: str, form_id: str) -> str:
    return html.split(f'id="{form_id}"')[1].split("</form>")[0]


def measurement(indicator, **overrides) -> dict:
    data = {
        "measurement-indicator": indicator.pk,
        "measurement-measured_on": "2021-06-01",
        "measurement-value": "120",
        "measurement-source": "Field report",
        "measurement-participation": "",
        "measurement-submission_key": str(uuid.uuid4()),
    }
    return data | {f"measurement-{key}": value for key, value in overrides.items()}


def test_a_refused_measurement_is_summarised_at_the_top_of_its_own_form(staff_client):
    indicator = IndicatorFactory(unit="percent")
    slug = indicator.innovation.slug
    response = staff_client.post(f"/en/pilots/{slug}/measurements/", measurement(indicator, value="140"))
    assert response.status_code == 400
    html = response.content.decode()
    [summary] = summaries(html)
    assert summary in form_block(html, "measurement-form")  # in the refused form, not elsewhere
    assert 'id="measurement-error-summary"' in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert "There is 1 problem to fix" in summary
    assert '<a href="#id_measurement-value">Value: A percentage cannot be above 100.</a>' in summary
    assert 'id="id_measurement-value"' in html  # the link's target
    # The form posts to an address that brings the browser back to it when refused.
    assert f'action="/en/pilots/{slug}/measurements/#measurement-error-summary"' in html


def test_every_missing_field_is_counted_and_linked(staff_client):
    indicator = IndicatorFactory()
    response = staff_client.post(f"/en/pilots/{indicator.innovation.slug}/measurements/", {})
    [summary] = summaries(response.content.decode())
    assert "There are 5 problems to fix" in summary  # indicator, date, value, source; the hidden key
    for field in ("indicator", "measured_on", "value", "source"):
        assert f'href="#id_measurement-{field}"' in summary
    assert "#id_measurement-submission_key" not in summary


def test_the_other_quick_forms_are_summarised_in_place_too(staff_client):
    innovation = InnovationFactory(stage=Stage.DESIGN)
    stage = staff_client.post(
        f"/en/pilots/{innovation.slug}/stage/",
        {
            "stage-to_stage": Stage.EVALUATE,
            "stage-decided_on": "2022-01-01",
            "stage-expected_stage": Stage.DESIGN,
            "stage-rationale": "",
        },
    )
    html = stage.content.decode()
    [summary] = summaries(html)
    assert summary in form_block(html, "stage-form") and "Skipping a stage needs a rationale" in summary
    assert f'action="/en/pilots/{innovation.slug}/stage/#stage-error-summary"' in html
    milestone = staff_client.post(f"/en/pilots/{innovation.slug}/milestones/", {"milestone-stage": Stage.PILOT})
    html = milestone.content.decode()
    [summary] = summaries(html)
    assert summary in form_block(html, "milestone-form")
    assert 'href="#id_milestone-title"' in summary and 'href="#id_milestone-planned_date"' in summary
    assert f'action="/en/pilots/{innovation.slug}/milestones/#milestone-error-summary"' in html


def test_a_page_shown_without_a_refusal_has_no_summary(staff_client):
    indicator = IndicatorFactory()
    assert not summaries(staff_client.get(f"/en/pilots/{indicator.innovation.slug}/").content.decode())


def test_a_refused_mfi_report_names_the_indicator_of_each_problem(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": "2021-04"})
    clients, num = f"value-{pilot['clients'].pk}", f"num-{pilot['satisfaction'].pk}"
    assert url.startswith("/en/")  # the English page (the tests' language)
    response = client.post(url, {"action": "save", clients: "-3", num: "x"})
    assert response.status_code == 400
    html = response.content.decode()
    [summary] = summaries(html)
    assert summary in form_block(html, "mfi-report-form")
    assert "There are 2 problems to fix" in summary
    assert f'<a href="#id_{clients}">Insured clients · Value: ' in summary
    assert f'<a href="#id_{num}">Satisfaction · How many (numerator): ' in summary
    assert f'id="id_{clients}"' in html and f'id="id_{num}"' in html
    assert not MFIReport.objects.exists()


def test_a_refused_return_of_an_mfi_report_has_one_summary_above_the_review(client, pilot, member_user, staff_user):  # noqa: F811
    report = services.report_save_draft(
        participation=pilot["participation"],
        period_start=datetime.date(2021, 4, 1),
        entries={
            pilot["clients"].pk: Entry(value=Decimal(300)),
            pilot["satisfaction"].pk: Entry(numerator=Decimal(4), denominator=Decimal(5)),
        },
        comment="",
        version=None,
        user=member_user,
    )
    services.report_submit(report=report, version=report.version, user=member_user)
    client.force_login(staff_user)
    response = client.post(
        f"/en/pilots/mfi-reports/{report.pk}/",
        {"action": "return", "review_comment": "", "version": report.version + 1},
    )
    assert response.status_code == 400
    [summary] = summaries(response.content.decode())
    assert 'href="#id_review_comment"' in summary


def test_a_refused_period_report_is_summarised(rfr):  # noqa: F811
    innovation, _ = rfr
    client = Client()
    client.force_login(StaffFactory())
    stale = write(innovation, StaffFactory()).updated_at
    write(innovation, StaffFactory(), progress="Someone else's newer text")
    response = client.post(REPORT, {"progress": "", "expected_updated_at": stale.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    [summary] = summaries(html)
    assert summary in form_block(html, "report-form")
    assert '<a href="#id_progress">Progress: This field is required.</a>' in summary


def test_the_calculator_summarises_impossible_terms(db):
    html = Client().get("/en/pricing/?amount=-5&term=0&frequency=monthly&method=flat&rate=90").content.decode()
    [summary] = summaries(html)
    assert re.search(r"There are \d+ problems to fix", summary)
    assert 'href="#id_amount"' in summary and 'href="#id_term"' in summary
    assert "Everything you typed is still here." in summary


def test_a_refused_login_is_summarised(db):
    html = Client().post("/en/accounts/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    [summary] = summaries(html)
    assert "There is 1 problem to fix" in summary and "correct username and password" in summary


def test_a_refused_quick_action_lands_at_the_top_where_its_message_is(staff_client):
    milestone = MilestoneFactory()
    page = f"/en/pilots/{milestone.innovation.slug}/"
    refused = staff_client.post(f"{page}milestones/done/", {"milestone": milestone.pk, "actual_date": ""})
    assert refused.status_code == 302 and refused["Location"] == page  # not "#milestones", below the message
    assert "Give the date the milestone was completed." in staff_client.get(page).content.decode()
    ticked = staff_client.post(f"{page}checklist/", {"action": "nonsense", "done_on": ""})
    assert ticked["Location"] == page
    done = staff_client.post(f"{page}milestones/done/", {"milestone": milestone.pk, "actual_date": "2021-07-01"})
    assert done["Location"] == f"{page}#milestones"


def test_filters_that_cannot_be_applied_are_summarised(client):
    InnovationFactory()
    html = client.get("/en/pilots/", {"stage": "nonsense"}).content.decode()
    [summary] = summaries(html)
    assert 'href="#id_stage"' in summary
    assert not summaries(client.get("/en/pilots/").content.decode())
