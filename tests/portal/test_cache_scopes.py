"""A write retires only what shows it (portal.cache): the written innovation's page and the
aggregates whose portfolio includes it, never another innovation's page; drafts retire nothing.

"Warm" is read from the response: a body served from the cache was not rendered in this
request, so the body's context (`indicators`, `page`) is not in the response's context."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from pilots import services
from pilots.models import Visibility
from pilots.reporting import services as reporting
from pilots.reporting.services import Entry
from portal import cache as page_cache
from tests.factories import DonorFactory, FunderFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def innovation_with_figure(slug: str, **kwargs):
    innovation = InnovationFactory(slug=slug, title=slug.upper(), started_on=D(2020, 1, 1), **kwargs)
    indicator = IndicatorFactory(innovation=innovation, name=f"Clients {slug}")
    MeasurementFactory(indicator=indicator, value=Decimal(100), measured_on=D(2021, 3, 31))
    return innovation, indicator


JUNE = D(2021, 6, 30)


def record(indicator, value, staff, on=JUNE):
    return services.measurement_record(
        indicator=indicator, measured_on=on, value=Decimal(value), source="Informe", user=staff
    )


def warm_page(client, url) -> bool:
    """Whether the page's body came from the cache (its context was not built in this request)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context.get("indicators") is None and response.context.get("page") is None


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_write_to_one_innovation_leaves_anothers_page_cached_and_shows_at_once_on_its_own(
    client, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    a, a_clients = innovation_with_figure("a")
    innovation_with_figure("b")
    for url in ("/en/pilots/a/", "/en/pilots/b/"):
        assert not warm_page(client, url)
        assert warm_page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        record(a_clients, 2345, staff)
    assert warm_page(client, "/en/pilots/b/")  # B did not change: still served from the cache
    page = client.get("/en/pilots/a/")
    assert "2,345" in page.content.decode() and page.context.get("indicators") is not None
    # Every viewer's page of A shows it at once, staff's too.
    assert "2,345" in as_user(staff).get("/en/pilots/a/").content.decode()


def test_a_public_innovations_write_retires_every_scopes_aggregates(client, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    a, a_clients = innovation_with_figure("a")
    donor = as_user(DonorFactory())
    for viewer in (client, donor):
        assert not warm_page(viewer, "/en/pilots/")
        assert warm_page(viewer, "/en/pilots/")
    with django_capture_on_commit_callbacks(execute=True):
        record(a_clients, 2345, staff)
    for viewer in (client, donor):
        assert not warm_page(viewer, "/en/pilots/")


def test_a_restricted_innovations_write_retires_only_the_portfolios_that_include_it(
    client, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    hivos = FunderFactory(name="HIVOS")
    funded, funded_clients = innovation_with_figure("funded", visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=hivos)
    innovation_with_figure("public")
    paying, other_donor, staff_client = as_user(DonorFactory(funder=hivos)), as_user(DonorFactory()), as_user(staff)
    viewers = {"public": client, "paying donor": paying, "other donor": other_donor, "staff": staff_client}
    for viewer in viewers.values():
        warm_page(viewer, "/en/pilots/dashboard/")
    with django_capture_on_commit_callbacks(execute=True):
        record(funded_clients, 777, staff)
    retired = {name for name, viewer in viewers.items() if not warm_page(viewer, "/en/pilots/dashboard/")}
    assert retired == {"paying donor", "staff"}


def test_who_may_see_an_innovation_changes_every_list_at_once(client, django_capture_on_commit_callbacks):
    hivos = FunderFactory(name="HIVOS")
    innovation, _ = innovation_with_figure("changing")
    donor = as_user(DonorFactory(funder=hivos))
    member_user = MemberUserFactory()
    member = as_user(member_user)
    for viewer in (client, donor, member):
        assert "CHANGING" in viewer.get("/en/pilots/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        innovation.visibility = Visibility.DONORS
        innovation.save()
    for viewer in (client, donor, member):
        assert "CHANGING" not in viewer.get("/en/pilots/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        contribution = ContributionFactory(innovation=innovation, funder=hivos)
        ParticipationFactory(innovation=innovation, institution=member_user.institution)
    assert "CHANGING" in donor.get("/en/pilots/").content.decode()
    assert "CHANGING" in member.get("/en/pilots/").content.decode()
    assert donor.get("/en/pilots/changing/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        contribution.delete()
    assert "CHANGING" not in donor.get("/en/pilots/").content.decode()
    assert donor.get("/en/pilots/changing/").status_code == 404


@pytest.fixture
def reporting_pilot(staff_user, member_user):
    innovation, _ = innovation_with_figure("reported")
    clients = IndicatorFactory(innovation=innovation, name="Insured clients", order=1)
    reporting.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2021, 1, 1),
        last_period=D(2021, 6, 1),
        days_to_report=10,
    )
    participation = ParticipationFactory(innovation=innovation, institution=member_user.institution)
    reporting.reported_indicators_set(participation=participation, indicators=[clients], user=staff_user)
    return participation, clients


def test_a_draft_saved_as_the_mfi_types_retires_nothing_its_submission_does(
    client, reporting_pilot, member_user, django_capture_on_commit_callbacks
):
    participation, clients = reporting_pilot
    staff = as_user(StaffFactory())

    def save(value, version):
        return reporting.report_save_draft(
            participation=participation,
            period_start=D(2021, 4, 1),
            entries={clients.pk: Entry(value=Decimal(value))},
            comment="",
            version=version,
            user=member_user,
        )

    with django_capture_on_commit_callbacks(execute=True):
        report = save(10, None)  # starting a draft: the MFI's pages now say "Finish the draft"
    for viewer in (client, staff):
        for url in ("/en/pilots/dashboard/", "/en/pilots/reported/"):
            viewer.get(url)
    before = page_cache.versions(["portfolio:public", "portfolio:staff", f"innovation:{participation.innovation_id}"])
    with django_capture_on_commit_callbacks(execute=True):
        report = save(20, report.version)
        report = save(30, report.version)
    assert page_cache.versions(before) == before
    for viewer in (client, staff):
        assert warm_page(viewer, "/en/pilots/dashboard/")
        assert warm_page(viewer, "/en/pilots/reported/")
    with django_capture_on_commit_callbacks(execute=True):
        reporting.report_submit(report=report, version=report.version, user=member_user)
    assert not warm_page(staff, "/en/pilots/reported/")


def test_a_warm_page_reads_its_versions_in_one_cache_call(client, monkeypatch):
    innovation_with_figure("a")
    client.get("/en/pilots/dashboard/")
    calls = []
    real = page_cache.cache.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get_many", counting)
    assert warm_page(client, "/en/pilots/dashboard/")
    version_reads = [keys for keys in calls if any(key.startswith("version:") for key in keys)]
    assert len(version_reads) == 1


def test_the_dashboards_download_is_kept_until_a_write_to_one_of_its_innovations(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    _a, a_clients = innovation_with_figure("a")
    TargetFactory(indicator=a_clients, value=Decimal(10_000), due_date=D(2030, 1, 1))
    first = client.get("/en/pilots/dashboard/?format=csv")
    assert b"2345" not in first.content
    assert first.status_code == 200 and first["Content-Type"].startswith("text/csv")
    assert "attachment" in first["Content-Disposition"]
    with django_assert_max_num_queries(0):  # from the cache
        again = client.get("/en/pilots/dashboard/?format=csv")
    assert again.content == first.content and again["Content-Disposition"] == first["Content-Disposition"]
    assert client.get("/en/pilots/dashboard/?format=xlsx")["Content-Type"].startswith("application/vnd.openxml")
    with django_capture_on_commit_callbacks(execute=True):
        record(a_clients, 2345, staff)
    assert b"2345" in client.get("/en/pilots/dashboard/?format=csv").content
