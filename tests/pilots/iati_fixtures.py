"""What the IATI tests share: the association's IATI settings and a product line with its DAC
sector (tests/pilots/conftest.py offers them to every test here)."""

import pytest
from wagtail.models import Site

from portal.models import AssociationSettings
from tests.factories import ProductLineFactory

REF = "EC-RUC-1790012345001"


@pytest.fixture
def association(db):
    """The association ready to publish: identifier, type (national NGO) and name."""
    settings = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.iati_ref, settings.iati_type, settings.name = REF, "22", "Red de prueba"
    settings.save()
    return settings


@pytest.fixture
def line(db):
    return ProductLineFactory(code="iati-savings", name_es="Ahorro", name_en="Savings", dac_sector="24030")
