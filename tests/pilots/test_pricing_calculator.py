"""The calculator's new terms as a person types them: each impossible value refused next to
its own field with everything typed kept, Spanish numbers read as Spanish, and a result's
address that gives the same result when shared."""

import re

import pytest
from django.test import Client

BASE = "amount=1000&term=12&frequency=monthly&method=flat&rate=3"


def page(query: str, language: str = "en") -> str:
    prefix = "/en" if language == "en" else ""
    response = Client().get(f"{prefix}/pricing/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def field_errors(html: str) -> set[str]:
    """The fields with a message next to them."""
    return set(re.findall(r'id="id_(\w+)-error"', html))


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("balloon=100", "balloon"),
        ("balloon=-5", "balloon"),
        ("balloon=abc", "balloon"),
        ("first_payment_days=400", "first_payment_days"),
        ("first_payment_days=-3", "first_payment_days"),
        ("first_payment_days=4.5", "first_payment_days"),
        ("frequency=maturity&first_payment_days=45", "first_payment_days"),
        ("method=declining&interest_upfront=on", "interest_upfront"),
        ("grace_kind=forever", "grace_kind"),
        ("rate_per=decade", "rate_per"),
        ("rate=30&rate_per=month&frequency=weekly", "rate"),
        ("upfront_fee=2&upfront_fee_kind=balance", "upfront_fee_kind"),
        ("late_fee=5&late_fee_kind=percent", "late_fee_kind"),
        ("late_fee=-1", "late_fee"),
        ("late_fee=150&late_fee_kind=instalment", "late_fee"),
        ("prepayment_fee=120&prepayment_fee_kind=prepaid", "prepayment_fee"),
        ("tax_on_fees=150", "tax_on_fees"),
        ("tax_on_insurance=-2", "tax_on_insurance"),
        ("periodic_savings=10&periodic_savings_kind=monthly", "periodic_savings_kind"),
        ("periodic_insurance=0.5&periodic_insurance_kind=amount", "periodic_insurance_kind"),
    ],
)
def test_each_new_term_is_refused_next_to_its_field_and_what_was_typed_is_kept(db, extra, field):
    terms = dict(part.split("=") for part in BASE.split("&")) | dict(part.split("=") for part in extra.split("&"))
    query = "&".join(f"{name}={value}" for name, value in terms.items())
    html = page(query)
    assert field in field_errors(html), field_errors(html)
    assert 'class="apr"' not in html  # no result for terms that cannot be a product
    assert "Everything you typed is still here." in html
    typed = dict(part.split("=") for part in extra.split("&"))
    if field == "interest_upfront":
        assert re.search(r'<input[^>]*name="interest_upfront"[^>]*checked', html)  # still ticked
    elif field in typed and field not in ("grace_kind", "rate_per") and not field.endswith("_kind"):
        assert value_of(html, field) == typed[field]  # the typed text, not a cleaned-up or empty value
    # the section holding the refused field is open, so the message is seen
    section = re.search(
        rf'<details class="more-terms terms-(\w+)" open>(?:(?!</details>).)*id="id_{field}"', html, re.S
    )
    assert section or field in ("rate", "rate_per"), f"{field}'s section is closed"


def test_a_combination_of_new_terms_typed_the_spanish_way_is_priced_and_its_address_shared(db):
    query = (
        "amount=1000&term=12&frequency=monthly&method=declining&rate=36&rate_per=year"
        "&balloon=12,5&upfront_fee=2&tax_on_fees=18&periodic_insurance=0,1&periodic_insurance_kind=balance"
        "&late_fee=5&late_fee_kind=instalment"
    )
    html = page(query, language="es")
    assert not field_errors(html), field_errors(html)
    apr = re.search(r'<dd class="apr">([\d.,]+) %</dd>', html).group(1)
    assert "," in apr  # written the Spanish way
    assert value_of(html, "balloon") == "12,5"
    # the sections with something entered are open, the penalties' included
    assert re.search(r'<details class="more-terms terms-repayment" open>', html)
    assert re.search(r'<details class="more-terms terms-penalties" open>', html)
    # the same terms in English give the same APR
    english = page(query.replace("12,5", "12.5").replace("0,1", "0.1"))
    assert re.search(r'<dd class="apr">([\d.,]+) %</dd>', english).group(1) == apr.replace(",", ".")


def test_an_address_without_the_new_parameters_means_the_defaults_the_form_shows(db):
    html = page(BASE)
    assert '<dd class="apr">60.96 %</dd>' in html
    assert re.search(r'<option value="period" selected>', html)  # "quoted per instalment period"
    assert re.search(r'<option value="interest" selected>', html)  # grace: interest is paid
    assert not re.search(r'<details class="more-terms terms-\w+" open>', html)  # nothing entered beyond the loan


def test_every_problem_shows_at_once_not_only_the_first_kind(db):
    html = page(
        "amount=1000&term=12&frequency=monthly&method=declining&rate=3"
        "&interest_upfront=on&balloon=100&late_fee=5&late_fee_kind=percent"
    )
    assert field_errors(html) == {"interest_upfront", "balloon", "late_fee_kind"}
    assert "There are 3 problems to fix" in html
    assert "“percent” is not one of them" in html  # not Django's "Select a valid choice"
