"""No request does whole-portfolio work for the stored progress (`pilots.progress`): bringing it
up to date costs no query per innovation when nothing changed, yet every write, every new day and
every cache outage still shows; the dashboard's warning signs are stored with the progress."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pilots import progress, services
from pilots.models import IndicatorProgress, Innovation, InnovationProgress, InstitutionRatio, PeerAverage
from pilots.pricing.signs import pricing_of, warning_signs_of
from pilots.progress import ensure_current
from tests.factories import MemberInstitutionFactory, StaffFactory
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)
from tests.portal.test_outages import _fresh_outage_state, redis_down  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2010, 6, 30)
DASHBOARD = "/en/pilots/dashboard/"
D = Decimal


def tracked(title: str = "RFR", actual=Decimal(51000)):
    innovation = InnovationFactory(title=title, started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name=f"Clients of {title}")
    TargetFactory(indicator=indicator, value=D(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=actual, measured_on=datetime.date(2010, 3, 31))
    return innovation, indicator


def queries_of(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


# --- ensure_current: O(1) when current, never stale ------------------------------------------


def test_when_everything_is_current_the_check_costs_the_same_for_3_or_20_innovations():
    for n in range(3):
        tracked(f"Small {n}")
    assert ensure_current(TODAY) == 3
    done, few = queries_of(lambda: ensure_current(TODAY))
    assert done == 0 and few <= 1
    for n in range(17):
        tracked(f"More {n}")
    assert ensure_current(TODAY) == 17
    done, many = queries_of(lambda: ensure_current(TODAY))
    assert done == 0 and many == few


def test_a_measurement_recorded_shows_at_once_even_in_a_process_that_checked_before_it():
    innovation, indicator = tracked()
    assert ensure_current(TODAY) == 1
    seen_before = progress._found_current  # what another process remembers from its last look
    services.measurement_record(
        indicator=indicator, measured_on=TODAY, value=D(58500), source="Informe RFR", user=StaffFactory()
    )
    progress._found_current = seen_before  # that process did not see the write; only the cache tells it
    assert ensure_current(TODAY) == 1
    assert IndicatorProgress.objects.get(indicator=indicator).actual == D(58500)


def test_a_new_day_recomputes_without_any_write():
    tracked()
    assert ensure_current(TODAY) == 1
    assert ensure_current(TODAY) == 0
    assert ensure_current(TODAY + datetime.timedelta(days=1)) == 1


def test_with_the_cache_unreachable_every_read_looks_for_stale_progress(redis_down):  # noqa: F811
    innovation, indicator = tracked()
    assert ensure_current(TODAY) == 1
    progress._found_current = (TODAY, "anything")  # whatever this process remembers, it cannot check it
    InnovationProgress.objects.filter(innovation=innovation).delete()  # as another process's write would
    assert ensure_current(TODAY) == 1
    done, checked = queries_of(lambda: ensure_current(TODAY))
    assert done == 0 and checked == 1  # the query over the innovations, as before the generation existed


def test_recomputing_everything_on_demand_is_seen_by_every_process():
    tracked()
    assert ensure_current(TODAY) == 1
    progress.mark_all_out_of_date()
    assert ensure_current(TODAY) == 1


# --- Warning signs stored with the progress -----------------------------------------------------


def test_the_stored_signs_are_pricings_signs_for_the_demo_in_both_languages():
    call_command("load_demo", verbosity=0)
    ensure_current()
    innovations = Innovation.objects.order_by("title")
    for language in ("es", "en"):
        with translation.override(language):
            priced = pricing_of(innovations)
            expected = [(i.pk, priced[i.pk]["signs"]) for i in innovations if priced[i.pk]["signs"]]
            stored = [(i.pk, signs) for i, signs in warning_signs_of(innovations)]
            assert stored == expected
            assert expected  # the demo shows warning signs


def priced(title: str = "Banca comunal", mfi: str = "Cooperativa Sur"):
    """Flat terms (APR 60.96 %), a peer average of 45 % (limit 51.75 %), an MFI with a low claims ratio."""
    innovation = InnovationFactory(title=title, countries=["PE"])
    services.product_terms_save(
        innovation=innovation,
        user=StaffFactory(),
        name="Crédito",
        name_en="Loan",
        country="PE",
        amount=D(1000),
        term=12,
        rate=D(3),
        method="flat",
    )
    peer, _new = PeerAverage.objects.get_or_create(
        country="PE",
        product_line=innovation.product_line,
        size_band="small",
        as_of=datetime.date(2011, 12, 31),
        defaults={"apr": D(45), "source": "MFTransparency"},
    )
    institution = MemberInstitutionFactory(name=mfi)
    ParticipationFactory(innovation=innovation, institution=institution)
    ratio = InstitutionRatio.objects.create(institution=institution, year=2011, claims_ratio=D(24), source="Informe")
    return innovation, peer, ratio


def signs_shown(client) -> list[tuple[str, str, str]]:
    return [
        (innovation.title, sign.subject, sign.message)
        for innovation, signs in client.get(DASHBOARD).context["warning_signs"]
        for sign in signs
    ]


def test_the_dashboard_shows_a_change_to_terms_ratios_peers_or_the_mfi_at_once(staff_client):
    innovation, peer, ratio = priced()
    first = signs_shown(staff_client)
    assert [subject for _title, subject, _message in first] == ["Loan", "Loan", "Cooperativa Sur"]
    assert "peer average of 45 %" in first[0][2] and "real APR is 60.96 %" in first[1][2]

    variant = innovation.product_terms.get()
    services.product_terms_save(innovation=innovation, user=StaffFactory(), instance=variant, rate=D(2))
    assert "the real APR is 41.7 %" in signs_shown(staff_client)[0][2]  # 2 % flat: no longer above peers

    peer.apr = D(20)
    peer.save()  # the admin's path
    assert "peer average of 20 %" in signs_shown(staff_client)[0][2]

    ratio.claims_ratio = D(60)
    ratio.save()
    assert "Cooperativa Sur" not in [subject for _title, subject, _message in signs_shown(staff_client)]
    InstitutionRatio.objects.create(institution=ratio.institution, year=2012, return_on_assets=D(9), source="x")
    mfi = ratio.institution
    mfi.name = "Cooperativa del Sur"
    mfi.save()
    assert ("Cooperativa del Sur", "Return on assets 9 % in 2012: above 7.5 % (Standard 6C; source: x, 2012).") in [
        (subject, message) for _title, subject, message in signs_shown(staff_client)
    ]

    PeerAverage.objects.create(
        country="PE",
        product_line=innovation.product_line,
        size_band="small",
        apr=D(60),
        source="Regulador",
        as_of=datetime.date(2012, 12, 31),
    )  # a newer peer average replaces the older one
    assert not any("peer average" in message for _title, _subject, message in signs_shown(staff_client))


def test_the_dashboard_does_not_price_the_portfolio_and_its_queries_do_not_grow(staff_client):
    priced("First", mfi="First MFI")
    ensure_current()
    with CaptureQueriesContext(connection) as one:
        assert len(staff_client.get(DASHBOARD).context["warning_signs"]) == 1
    for n in range(5):
        priced(f"More {n}", mfi=f"MFI {n}")
    ensure_current()
    with CaptureQueriesContext(connection) as six:
        assert len(staff_client.get(DASHBOARD).context["warning_signs"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
    read = " ".join(query["sql"] for query in six.captured_queries)
    assert "pilots_productterms" not in read and "pilots_peeraverage" not in read  # signs come stored
