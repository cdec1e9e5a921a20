import datetime
from decimal import Decimal

import factory

from pilots.cycle import Stage
from pilots.models import (
    Contribution,
    Indicator,
    Innovation,
    Measurement,
    Milestone,
    Participation,
    StageChange,
    Target,
    Visibility,
)
from tests.factories import FunderFactory, MemberInstitutionFactory, ProductLineFactory


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation

    title = factory.Sequence(lambda n: f"Innovation {n}")
    slug = factory.Sequence(lambda n: f"innovation-{n}")
    summary = "A new product for member MFIs."
    product_line = factory.SubFactory(ProductLineFactory, code="micro-insurance")
    countries = ["EC"]
    visibility = Visibility.PUBLIC
    stage = Stage.PILOT
    started_on = datetime.date(2020, 1, 1)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    innovation = factory.SubFactory(InnovationFactory)
    from_stage = Stage.DESIGN
    to_stage = Stage.PILOT
    decided_on = datetime.date(2021, 1, 1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    innovation = factory.SubFactory(InnovationFactory)
    name = factory.Sequence(lambda n: f"Clients {n}")
    unit = "count"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    stage = Stage.PILOT
    value = Decimal("1000")
    due_date = datetime.date(2022, 1, 1)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = datetime.date(2021, 6, 1)
    value = Decimal("500")
    source = "Quarterly report"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    innovation = factory.SubFactory(InnovationFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    stage = Stage.PILOT
    planned_date = datetime.date(2021, 6, 30)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    innovation = factory.SubFactory(InnovationFactory)
    institution = factory.SubFactory(MemberInstitutionFactory)
    since = datetime.date(2021, 1, 1)
    stage = Stage.PILOT


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    innovation = factory.SubFactory(InnovationFactory)
    funder = factory.SubFactory(FunderFactory)
    stage = Stage.PILOT
    amount = Decimal("10000")
