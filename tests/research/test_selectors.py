"""research_for_innovation: what the innovation page lists."""

from datetime import date

import pytest

from research.selectors import research_for_innovation
from tests.research.fixtures import make_innovation, make_report, translate

pytestmark = pytest.mark.django_db


def test_lists_live_public_research_linked_to_the_innovation(research_index, english_index, locales):
    innovation = make_innovation(title="Microseguro", slug="microseguro")
    other = make_innovation(title="Otra", slug="otra", line=innovation.product_line)
    older = make_report(research_index, title="Demanda", innovations=[innovation], publication_date=date(2008, 9, 1))
    make_report(research_index, title="Oferta", innovations=[innovation], publication_date=date(2008, 9, 15))
    make_report(research_index, title="Borrador", innovations=[innovation], publish=False)
    make_report(research_index, title="De otra", innovations=[other])
    english = translate(older, locales[1], title="Demand")
    english.innovations.set([innovation])
    english.save_revision().publish()

    spanish = research_for_innovation(innovation=innovation, language_code="es")
    assert [item["title"] for item in spanish] == ["Oferta", "Demanda"]
    assert (
        spanish[1]
        == {
            "title": "Demanda",
            "url": "/research/demanda/",
            "date": date(2008, 9, 1),
            "type": "market",
            "type_label": "Estudio de mercado y demanda",
            "language": "es",
        }
        or spanish[1]["type_label"] == "Market and demand study"
    )

    # English: the translation where there is one, the Spanish page otherwise
    in_english = research_for_innovation(innovation=innovation, language_code="en")
    assert [(item["title"], item["url"]) for item in in_english] == [
        ("Oferta", "/research/oferta/"),
        ("Demand", "/en/research/demanda/"),
    ]
    assert in_english[1]["type_label"] == "Market and demand study"
    assert [item["language"] for item in in_english] == ["es", "en"]  # what each page is written in
