"""Numbers in and out (`portal.numbers`): the rule's worked examples, and for every numeric
field of every form the portal has, in both languages, what a field shows reads back as
itself (a draft saved and submitted unchanged submits).

The enumeration walks every form class of the project's apps, every FilterSet, and every
Wagtail admin form, so a new numeric field cannot escape the property test.
"""

import importlib
import pkgutil
from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from pilots.models import Indicator, Unit
from pilots.reporting.forms import MFIReportForm
from portal.numbers import NumberField, YearFormField, format_number, parse_number, separators
from surveys.answers import clean_answer
from surveys.models import Question, QuestionType

APPS = ("portal", "pilots", "research", "surveys")
LANGUAGES = ("es", "en")
NUMERIC = (forms.DecimalField, forms.IntegerField, forms.FloatField)


def rule(text, language, **field):
    with translation.override(language):
        return parse_number(text, **field)


def refusal(text, language, **field) -> str:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        parse_number(text, **field)
    return " ".join(refused.value.messages)


class TestTheRule:
    """The module docstring's examples."""

    @pytest.mark.parametrize("text", ["18.500", "18500", "18 500", "18\u00a0500", "18\u202f500"])
    def test_spanish_thousands(self, text):
        assert rule(text, "es", places=0) == 18500

    @pytest.mark.parametrize("text", ["18,500", "18500", "18 500"])
    def test_english_thousands(self, text):
        assert rule(text, "en", places=0) == 18500

    def test_decimals_each_language(self):
        assert rule("62,5", "es") == Decimal("62.5")
        assert rule("62.5", "en") == Decimal("62.5")
        assert rule("1.234.567,89", "es") == Decimal("1234567.89")
        assert rule("1,234,567.89", "en") == Decimal("1234567.89")
        assert rule("-1.234,5", "es") == Decimal("-1234.5")

    def test_a_separator_out_of_place_is_refused_with_the_reading_offered(self):
        assert "62,5" in refusal("62.5", "es", places=2)  # "did you mean 62,5?"
        assert "62.5" in refusal("62,5", "en", places=2)
        assert "Escriba un número" in refusal("1.2.3", "es")  # Spanish pages answer in Spanish

    def test_a_percentage_refuses_a_thousands_reading(self):
        message = refusal("1.234", "es", places=2, minimum=0, maximum=100)
        assert "100" in message

    def test_a_count_refuses_decimals_and_offers_the_thousands(self):
        assert "18.500" in refusal("18,500", "es", places=0)
        assert "18,500" in refusal("18.500", "en", places=0)
        assert "número entero" in refusal("45,5", "es", places=0)
        assert "whole number" in refusal("45.5", "en", places=0)

    def test_money_with_three_decimals_is_ambiguous_not_rounded(self):
        assert "8.600" in refusal("8,600", "es", places=2)
        assert rule("8.600", "es", places=2) == 8600

    def test_junk_is_refused_not_guessed(self):
        for text in ["abc", "1e3", "NaN", "Infinity", "١٢", "12abc", "--1", "1,,5"]:
            assert refusal(text, "es")
        assert rule("", "es") is None and rule("   ", "en") is None

    def test_formatting(self):
        with translation.override("es"):
            assert format_number(Decimal("8600.00")) == "8.600"
            assert format_number(Decimal("62.50")) == "62,5"
            assert format_number(86.666, places=1) == "86,7"
            assert format_number(87, places=1) == "87"
            assert format_number(5, places=2, fixed=True) == "5,00"
        with translation.override("en"):
            assert format_number(18500) == "18,500"
            assert format_number(Decimal("2000000")) == "2,000,000"


# --- Every numeric field of every form ---------------------------------------------------------


def _import_everything() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            skipped = (".migrations", ".management", ".settings", ".wsgi", "demo")
            if any(part in module.name for part in skipped):
                continue
            importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in APPS


def _mfi_report_fields():
    indicators = [Indicator(pk=number, unit=unit, name=unit) for number, unit in enumerate(Unit.values, 1)]
    return MFIReportForm(indicators=indicators).fields


def numeric_fields():
    """(where, field) for every numeric field a person can type into."""
    _import_everything()
    found = []
    for form_class in _subclasses(forms.BaseForm):
        if _ours(form_class):
            found += [(f"{form_class.__qualname__}.{name}", field) for name, field in form_class.base_fields.items()]
    for filterset in _subclasses(django_filters.FilterSet):
        if _ours(filterset) and filterset._meta.model is not None:
            found += [(f"{filterset.__qualname__}.{name}", f.field) for name, f in filterset.base_filters.items()]
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet) and _ours(viewset.model):
            for for_update in (False, True):
                form_class = viewset.get_form_class(for_update=for_update)
                found += [(f"{viewset.name}.{name}", field) for name, field in form_class.base_fields.items()]
    found += [(f"MFIReportForm.{name}", field) for name, field in _mfi_report_fields().items()]
    return [
        (where, field)
        for where, field in found
        if isinstance(field, NUMERIC) and not isinstance(field.widget, forms.HiddenInput)
    ]


@pytest.fixture(scope="module")
def every_numeric_field(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return numeric_fields()


def test_the_enumeration_finds_the_forms_people_type_numbers_into(every_numeric_field):
    places = {where.split(".")[0] for where, _field in every_numeric_field}
    assert {"MeasurementForm", "MFIReportForm", "CalculatorForm"} <= places
    assert any(where.startswith("survey_questions.") for where, _field in every_numeric_field)
    assert any(where.startswith("targets.") or "target" in where for where, _field in every_numeric_field)


def test_every_numeric_field_reads_the_page_language(every_numeric_field):
    """A field that is not a NumberField reads "18.500" as 18.5 or refuses "8600,00"."""
    strays = [where for where, field in every_numeric_field if not isinstance(field, NumberField)]
    assert strays == []


def _values(field):
    places = field.decimal_places
    maximum = Decimal(10) ** ((field.max_digits or 12) - (places or 0)) - 1
    if field.max_value is not None:
        maximum = min(maximum, Decimal(field.max_value))
    minimum = Decimal(field.min_value) if field.min_value is not None else -maximum
    return st.decimals(min_value=minimum, max_value=maximum, places=places if places is not None else 2)


def _round_trip(field, where, language):
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=_values(field))
    def shown_then_submitted(value):
        with translation.override(language):
            shown = field.widget.format_value(field.prepare_value(value))
            written = format_number(value, places=field.decimal_places)
            if not getattr(field.widget, "grouping", True):
                written = written.replace(separators()[1], "")
            assert shown == written, (where, language, shown)  # as the page's language writes it
            assert field.clean(shown) == value, (where, language, shown)  # and it reads back
            bare = written.replace(separators()[1], "")  # typed without thousands separators
            assert field.clean(bare) == value, (where, language, bare)

    return shown_then_submitted


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_every_field_shows_reads_back_as_itself(every_numeric_field, language):
    for where, field in every_numeric_field:
        _round_trip(field, where, language)()


def test_a_year_is_never_grouped(every_numeric_field):
    years = [field for where, field in every_numeric_field if isinstance(field, YearFormField)]
    assert years, "the rounds' and the institution ratios' years"
    with translation.override("es"):
        assert years[0].widget.format_value(2011) == "2011"


# --- The survey's number questions ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "kind,decimals", [(QuestionType.NUMBER, 0), (QuestionType.NUMBER, 2), (QuestionType.PERCENTAGE, 0)]
)
def test_a_survey_answer_shown_reads_back_as_itself(language, kind, decimals):
    question = Question(kind=kind, decimals=decimals, min_value=0, max_value=Decimal("2000000"))
    top = 100 if kind == QuestionType.PERCENTAGE else 2_000_000

    @settings(max_examples=60, deadline=None)
    @given(value=st.decimals(min_value=0, max_value=top, places=2 if kind == QuestionType.PERCENTAGE else decimals))
    def shown_then_submitted(value):
        with translation.override(language):
            stored = clean_answer(question, format_number(value))
            assert Decimal(str(stored)) == value

    shown_then_submitted()
