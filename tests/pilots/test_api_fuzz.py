"""Property-based run of the API against its own OpenAPI schema (schemathesis), with every
check schemathesis has (`--checks all`), as each of the four roles: whatever the query string
or the path, no server error, only documented status codes and content types, answers that
match the schema, schema-valid input accepted and invalid input refused, authentication not
ignored. The path parameters are seeded with the slugs and round codes the test creates, so the
detail endpoints answer with real content (200) as well as with 404."""

import datetime
import os
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks
from wagtail.models import Site

from pilots import services
from pilots.models import Counted, Unit, Visibility
from portal.accounts.models import ProductLine
from portal.models import AssociationSettings
from surveys.models import QuestionType
from tests.factories import DonorFactory, FunderFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    TargetFactory,
)
from tests.surveys.factories import OptionFactory, QuestionFactory, RoundFactory, submitted_response

# The schema view reads no database: it can be loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

# What the `portfolio` fixture creates: one innovation per visibility case, and a closed round.
SLUGS = ["rfr", "funded", "taking-part", "hidden"]
ROUND_CODES = ["2025-S1"]
SEEDS = {"slug": SLUGS, "code": ROUND_CODES}
ROLES = ["anonymous", "member", "donor", "staff"]

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())  # `--checks all`: nothing excluded


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Besides whatever the schema allows, the slugs and codes that exist (seen or not by the role)."""
    name = next(iter(context.operation.path_parameters), None)
    if name is None or name.name not in SEEDS:
        return strategy
    return st.one_of(st.sampled_from(SEEDS[name.name]).map(lambda value: {name.name: value}), strategy)


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the WSGI application directly, and Django closes the database connection
    at the start and end of each request — the test's own, inside its transaction (PostgreSQL). As
    Django's test client does, leave the connection alone during the test."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def portfolio(db, keep_the_test_connection):
    """A public innovation with every kind of figure (a count and a weighted percentage, targets,
    a projection, funding, a milestone), a restricted one the donor's funder pays for, one the
    member's MFI takes part in, one for staff only; a closed survey round the member answered.
    Returns each role's headers (token authentication)."""
    funder, mfi = FunderFactory(), MemberInstitutionFactory()
    rfr = InnovationFactory(slug="rfr", started_on=datetime.date(2008, 9, 1))
    clients = IndicatorFactory(innovation=rfr, counted=Counted.CLIENTS)
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2012, 12, 31))
    MeasurementFactory(indicator=clients, measured_on=datetime.date(2011, 3, 31), value=Decimal(51000))
    satisfied = IndicatorFactory(innovation=rfr, unit=Unit.PERCENT, name="Satisfied")  # recent: with a projection
    today = timezone.localdate()
    TargetFactory(indicator=satisfied, value=Decimal(90), due_date=today + datetime.timedelta(days=365))
    for institution, numerator, denominator in [(MemberInstitutionFactory(), 90, 100), (mfi, 40, 50)]:
        participation = ParticipationFactory(innovation=rfr, institution=institution)
        MeasurementFactory(  # 130 of 150: 86.666… %, shown as 86.7
            indicator=satisfied,
            participation=participation,
            measured_on=today - datetime.timedelta(days=30),
            value=Decimal(numerator * 100) / denominator,
            numerator=numerator,
            denominator=denominator,
        )
    ContributionFactory(innovation=rfr, amount=Decimal("1000.50"))
    ContributionFactory(innovation=rfr, amount=None)
    MilestoneFactory(innovation=rfr)
    services.product_terms_save(  # a repayment schedule, an APR, a warning sign
        innovation=rfr,
        user=StaffFactory(),
        name="Flat",
        country="EC",
        amount=Decimal(1000),
        term=12,
        rate=Decimal(3),
        method="flat",
    )
    ContributionFactory(innovation=InnovationFactory(slug="funded", visibility=Visibility.DONORS), funder=funder)
    ParticipationFactory(
        innovation=InnovationFactory(slug="taking-part", visibility=Visibility.DONORS), institution=mfi
    )
    InnovationFactory(slug="hidden", visibility=Visibility.STAFF)
    # Ready to publish in IATI: the association's identifier, and a DAC sector for the product line.
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.iati_ref, association.iati_type, association.name = "EC-RUC-1790012345001", "22", "Red"
    association.save()
    ProductLine.objects.update(dac_sector="24040")
    survey_round = RoundFactory(
        year=2025, semester=1, opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30)
    )
    asked = QuestionFactory(round=survey_round, code="asked", kind=QuestionType.SINGLE)
    OptionFactory(question=asked, code="yes")
    QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER)
    for value in range(4):
        submitted_response(survey_round, {"asked": "yes", "clients": value}, institution=mfi if value == 0 else None)
    users = {
        "member": MemberUserFactory(institution=mfi),
        "donor": DonorFactory(funder=funder),
        "staff": StaffFactory(),
    }
    headers = {role: {"Authorization": f"Token {Token.objects.create(user=user).key}"} for role, user in users.items()}
    return headers | {"anonymous": {}}


# What each role reads at least once from each operation, among all the generated requests: the
# detail endpoints too (the seeded slugs and codes), unless the role may not read the survey.
REACHED = {"anonymous": {"/api/v1/survey-rounds/": 401}, "donor": {"/api/v1/survey-rounds/": 403}}


@pytest.fixture
def statuses(role):
    """The status of every GET answer one operation gave one role, checked once all its examples ran."""
    seen: list[tuple[str, int]] = []
    yield seen
    path = seen[0][0]
    expected = next((status for prefix, status in REACHED.get(role, {}).items() if path.startswith(prefix)), 200)
    assert expected in {status for _path, status in seen}, f"{role} never got a {expected} from {path}"


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=30 * int(os.environ.get("API_FUZZ_SCALE", "1")),  # a deeper hunt: API_FUZZ_SCALE=10
    deadline=None,
    database=None,  # no .hypothesis directory in the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_schema_and_never_fails(portfolio, role, statuses, case):
    response = case.call_and_validate(headers=portfolio[role], checks=ALL_CHECKS)
    if case.method == "GET":  # not the probes of other methods (405, or 200 for OPTIONS)
        statuses.append((case.operation.path, response.status_code))
