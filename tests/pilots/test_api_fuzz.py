"""Property-based run of the API against its own OpenAPI schema (schemathesis): whatever the
query string, no server error, and every answer matches what the schema promises."""

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from pilots.models import Visibility
from surveys.models import QuestionType
from tests.factories import StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    TargetFactory,
)
from tests.surveys.factories import OptionFactory, QuestionFactory, RoundFactory, submitted_response

# The schema view reads no database: it can be loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


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
def innovations(db, keep_the_test_connection):
    innovation = InnovationFactory(slug="rfr", started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation)
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2011, 3, 31), value=Decimal(51000))
    ContributionFactory(innovation=innovation, amount=None)
    MilestoneFactory(innovation=innovation)
    InnovationFactory(slug="hidden", visibility=Visibility.STAFF)
    survey_round = RoundFactory(year=2025, semester=1)
    asked = QuestionFactory(round=survey_round, code="asked", kind=QuestionType.SINGLE)
    OptionFactory(question=asked, code="yes")
    QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER)
    for value in range(4):
        submitted_response(survey_round, {"asked": "yes", "clients": value})
    # As staff, who may read everything the API serves (the survey rounds too).
    return Token.objects.create(user=StaffFactory()).key


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_schema_and_never_fails(innovations, case):
    # The filters work like the portal's filter form, which the schema cannot say: an empty value
    # means "any" (so an empty `status` is accepted, though not in the enum), and an id that names
    # nothing (`product_line=0`) is a documented 400. Every other check runs: no server error,
    # documented status codes and content types, answers that match the schema.
    case.call_and_validate(
        headers={"Authorization": f"Token {innovations}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
