"""No silent override: a network-wide value replaces the MFIs' series in the actual (and a per-MFI
value counts nowhere once there are network-wide ones), so staff are told and asked to confirm;
the innovation page says which part of the progress rule made each actual."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.users.models import UserProfile

from pilots import services
from pilots.models import Innovation, Measurement, Unit
from pilots.selectors import ActualRule, actual_rule, innovation_for_page, innovation_progress
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, ParticipationFactory

D = datetime.date
MONTH_ENDS = [D(2011, 1, 31), D(2011, 2, 28), D(2011, 3, 31), D(2011, 4, 30)]


@pytest.fixture
def rfr(db):
    """RFR: ten MFIs report insured clients, January to April 2011."""
    innovation = InnovationFactory(slug="rfr", started_on=D(2010, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Insured clients", unit=Unit.COUNT)
    mfis = [ParticipationFactory(innovation=innovation) for _ in range(10)]
    for number, mfi in enumerate(mfis, start=1):
        for month, day in enumerate(MONTH_ENDS, start=1):
            MeasurementFactory(indicator=clients, participation=mfi, measured_on=day, value=100 * number + month)
    return {"innovation": innovation, "clients": clients, "mfis": mfis}


def _record(indicator, user, *, participation=None, **kwargs):
    return services.measurement_record(
        indicator=indicator,
        measured_on=D(2011, 5, 31),
        value=Decimal(6000),
        source="Network survey",
        participation=participation,
        user=user,
        **kwargs,
    )


def _override_error(refused) -> ValidationError:
    [error] = refused.value.error_dict["participation"]
    assert error.code == services.OVERRIDE
    return error


# --- The service --------------------------------------------------------------------------------


def test_a_network_wide_value_over_per_mfi_series_needs_confirmation(rfr, staff_user):
    with pytest.raises(ValidationError) as refused:
        _record(rfr["clients"], staff_user)
    message = _override_error(refused).messages[0]
    assert message == (
        "This indicator has per-MFI figures from 10 MFIs (Jan–Apr 2011). A network-wide value takes precedence: "
        "the chart and the actual will show the network-wide series instead."
    )
    assert not Measurement.objects.filter(participation__isnull=True).exists(), "nothing saved"

    recorded = _record(rfr["clients"], staff_user, confirm_override=True)
    assert recorded.pk and recorded.participation is None


def test_a_per_mfi_value_over_network_wide_series_needs_confirmation(db, staff_user):
    innovation = InnovationFactory(started_on=D(2010, 1, 1))
    clients = IndicatorFactory(innovation=innovation, unit=Unit.COUNT)
    MeasurementFactory(indicator=clients, measured_on=D(2011, 3, 31), value=5000)
    mfi = ParticipationFactory(innovation=innovation)
    with pytest.raises(ValidationError) as refused:
        _record(clients, staff_user, participation=mfi)
    message = _override_error(refused).messages[0]
    assert "network-wide figures (Mar 2011)" in message
    assert "without this MFI's value" in message
    assert not Measurement.objects.filter(participation=mfi).exists()

    assert _record(clients, staff_user, participation=mfi, confirm_override=True).participation == mfi


def test_one_mfi_in_one_month_is_said_so(db, staff_user):
    innovation = InnovationFactory(started_on=D(2010, 1, 1))
    clients = IndicatorFactory(innovation=innovation, unit=Unit.COUNT)
    MeasurementFactory(indicator=clients, participation=ParticipationFactory(innovation=innovation), value=5)
    with pytest.raises(ValidationError) as refused:
        _record(clients, staff_user)
    assert "per-MFI figures from 1 MFI (Jun 2021)." in _override_error(refused).messages[0]


def test_no_confirmation_when_nothing_changes_which_series_counts(rfr, staff_user):
    _record(rfr["clients"], staff_user, participation=rfr["mfis"][0])  # one more MFI figure
    _record(rfr["clients"], staff_user, confirm_override=True)
    _record(rfr["clients"], staff_user)  # the network-wide series already makes the actual
    other = IndicatorFactory(innovation=rfr["innovation"])
    _record(other, staff_user)  # a first value of any kind
    _record(other, staff_user)


def test_other_refusals_come_before_the_question(rfr, staff_user):
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            indicator=rfr["clients"], measured_on=D(2011, 5, 31), value=Decimal(-1), source="x", user=staff_user
        )
    assert refused.value.message_dict == {"value": ["A value cannot be negative."]}


def test_moving_a_measurement_between_network_and_mfi_needs_confirmation(rfr, staff_user):
    measurement = Measurement.objects.filter(participation=rfr["mfis"][0]).first()
    with pytest.raises(ValidationError) as refused:
        services.measurement_update(measurement=measurement, user=staff_user, participation=None)
    _override_error(refused)
    services.measurement_update(measurement=measurement, user=staff_user, value=Decimal(7))  # no move: no question
    services.measurement_update(measurement=measurement, user=staff_user, participation=None, confirm_override=True)
    measurement.refresh_from_db()
    assert measurement.participation is None


# --- The quick form on the innovation page ----------------------------------------------------------


def _post(indicator, **overrides):
    data = {
        "measurement-indicator": indicator.pk,
        "measurement-measured_on": "2011-05-31",
        "measurement-value": "6000",
        "measurement-source": "Network survey May",
        "measurement-participation": "",
        "measurement-submission_key": str(uuid.uuid4()),
    }
    data.update({f"measurement-{k}": v for k, v in overrides.items()})
    return data


def test_the_quick_form_warns_keeps_the_input_and_records_once_confirmed(staff_client, rfr):
    url = "/en/pilots/rfr/measurements/"
    data = _post(rfr["clients"])
    warned = staff_client.post(url, data)
    assert warned.status_code == 400
    html = warned.content.decode()
    assert "This indicator has per-MFI figures from 10 MFIs (Jan–Apr 2011)." in html
    assert "Record it anyway" in html and 'name="measurement-confirm_override"' in html
    assert 'value="Network survey May"' in html and 'value="2011-05-31"' in html and "6000" in html
    assert not Measurement.objects.filter(participation__isnull=True).exists()

    unticked = staff_client.post(url, data)
    assert unticked.status_code == 400, "asked again until the box is ticked"
    confirmed = staff_client.post(url, {**data, "measurement-confirm_override": "on"})
    assert confirmed.status_code == 302
    assert Measurement.objects.get(participation__isnull=True).source == "Network survey May"


def test_the_quick_form_has_no_confirmation_box_until_needed(staff_client, rfr):
    page = staff_client.get("/en/pilots/rfr/").content.decode()
    assert 'id="measurement-form"' in page
    assert "confirm_override" not in page


# --- The Wagtail admin ------------------------------------------------------------------------------


def test_the_admin_measurement_form_asks_to_confirm_too(staff_client, staff_user, rfr):
    profile = UserProfile.get_for_user(staff_user)
    profile.preferred_language = "en"  # the new messages are asserted in English
    profile.save()
    data = {"indicator": rfr["clients"].pk, "measured_on": "2011-05-31", "value": "6000", "source": "Survey"}
    warned = staff_client.post("/admin/measurements/new/", data)
    assert warned.status_code == 200
    html = warned.content.decode()
    assert "per-MFI figures from 10 MFIs (Jan–Apr 2011)" in html
    assert "Record it anyway" in html and 'name="confirm_override"' in html
    assert not Measurement.objects.filter(participation__isnull=True).exists()

    saved = staff_client.post("/admin/measurements/new/", {**data, "confirm_override": "on"})
    assert saved.status_code == 302
    assert Measurement.objects.filter(participation__isnull=True).count() == 1


# --- Which rule made the actual ---------------------------------------------------------------------


def _rules(innovation) -> dict[str, str]:
    page = innovation_for_page(Innovation.objects.all(), innovation.slug)
    return {p.indicator.name: p.rule.label if p.rule else None for p in innovation_progress(page)}


def test_the_rule_behind_each_actual(db, rfr, staff_user):
    innovation = rfr["innovation"]
    days = IndicatorFactory(innovation=innovation, name="Days", unit=Unit.DAYS)
    weighted = IndicatorFactory(innovation=innovation, name="Weighted", unit=Unit.PERCENT)
    plain = IndicatorFactory(innovation=innovation, name="Plain", unit=Unit.PERCENT)
    total = IndicatorFactory(innovation=innovation, name="Total", aggregation="cumulative")
    single = IndicatorFactory(innovation=innovation, name="Single")
    IndicatorFactory(innovation=innovation, name="Empty")
    a, b = rfr["mfis"][:2]
    for mfi, value in ((a, 4), (b, 6)):
        MeasurementFactory(indicator=days, participation=mfi, value=value)
        MeasurementFactory(indicator=weighted, participation=mfi, value=90, numerator=90, denominator=100)
        MeasurementFactory(indicator=plain, participation=mfi, value=value * 10)
        MeasurementFactory(indicator=total, participation=mfi, value=value)
    MeasurementFactory(indicator=single, participation=a, value=3)
    assert _rules(innovation) == {
        "Insured clients": "Sum of 10 MFIs' latest figures",
        "Days": "Average of 2 MFIs' latest figures",
        "Weighted": "Weighted percentage of 2 MFIs' latest figures",
        "Plain": "Average of 2 MFIs' latest figures",
        "Total": "Sum of 2 MFIs' figures",
        "Single": "One MFI's figure",
        "Empty": None,
    }
    _record(rfr["clients"], staff_user, confirm_override=True)
    MeasurementFactory(indicator=total, value=1)
    rules = _rules(innovation)
    assert rules["Insured clients"] == "Network-wide figure"
    assert rules["Total"] == "Sum of the network-wide figures"


def test_the_rule_counts_the_mfis_behind_the_actual_on_its_date(db, rfr):
    clients = rfr["clients"]
    rows = [(D(2011, 1, 31), 1, Decimal(5), None, None), (D(2011, 2, 28), 2, Decimal(5), None, None)]
    assert actual_rule(clients, rows, on=D(2011, 1, 31)) == ActualRule(ActualRule.MFI_SUM, 1)
    assert actual_rule(clients, rows, on=D(2011, 2, 28)) == ActualRule(ActualRule.MFI_SUM, 2)


def test_the_innovation_page_says_which_rule_made_the_actual(client, rfr, staff_user):
    page = client.get("/en/pilots/rfr/").content.decode()
    assert re.search(r'class="meta actual-rule">Sum of 10 MFIs(&#x27;|\') latest figures<', page)
    _record(rfr["clients"], staff_user, confirm_override=True)
    page = client.get("/en/pilots/rfr/").content.decode()
    assert 'class="meta actual-rule">Network-wide figure<' in page
