"""Numbers as people type and read them, in the page's language: one way in, one way out.

Every number the portal shows is written by `format_number`, and every number a person
types is read by `parse_number`, both with the separators of the active language (Django's
format modules; Spanish's are overridden in `portal/formats/es/` to the point Latin America
writes). A value shown in a form reads back as itself, so a draft saved and submitted
unchanged submits.

The rule, with its worked examples (tests/portal/test_numbers.py repeats them):

- Spanish writes decimals after a comma and may separate thousands with points or spaces:
  "18.500", "18500" and "18 500" are eighteen thousand five hundred; "62,5" is sixty-two
  and a half; "1.234.567,89" is what it looks like. English is the mirror: "18,500",
  "62.5", "1,234,567.89".
- Separators must sit where thousands are: "1.23" is no Spanish number (a point there is
  no thousands separator) and is refused, with the reading the other convention gives
  offered as a suggestion ("did you mean 1,23?"), never guessed.
- A reading that the field cannot take, when the other convention's reading would fit, is
  refused as ambiguous with both spelled out: "1.234" in a Spanish percentage field reads as
  1234 (over 100), and the message asks whether 1,234 was meant; "18,500" in a Spanish
  whole-number field reads as 18,5 and the message asks whether 18.500 was meant.
- Decimals are counted as typed: "45,00" is not a whole number, "18,500" has three decimals.
  Nothing is rounded or truncated on the way in.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Spaces people and programs put between thousands: the plain one, the no-break space and
# the narrow no-break space (what French and some spreadsheets write), the thin space.
SPACES = " \u00a0\u202f\u2009"
MINUS = "-\u2212"  # the hyphen-minus a keyboard types and the minus sign a copied text may carry
_DIGITS = re.compile(r"[0-9]+")


def separators(language: str | None = None) -> tuple[str, str]:
    """(decimal separator, thousands separator) of `language`, or of the active language."""
    with translation.override(language) if language else nullcontext():
        return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


def _language(language: str | None) -> str | None:
    return language or translation.get_language()


def _read(text: str, decimal: str, group: str) -> tuple[Decimal, int] | None:
    """The number `text` writes with these separators and how many decimals were typed, or
    None when `text` does not follow them (a separator out of place, a stray character)."""
    sign = ""
    if text and text[0] in MINUS + "+":
        sign, text = ("-" if text[0] in MINUS else ""), text[1:]
    if text.count(decimal) > 1:
        return None
    whole, has_fraction, fraction = text.partition(decimal)
    if has_fraction and not _DIGITS.fullmatch(fraction):
        return None
    if not whole and not has_fraction:
        return None
    if whole:
        used = {char for char in whole if char == group or char in SPACES}
        if len(used) > 1:  # "1.234 567": two kinds of separator in one number
            return None
        parts = re.split(f"[{re.escape(group)}{SPACES}]", whole) if used else [whole]
        if not all(_DIGITS.fullmatch(part) for part in parts):
            return None
        if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])):
            return None
        whole = "".join(parts)
    try:
        number = Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        return None
    return number, len(fraction)


def _check(
    number: Decimal,
    typed_places: int,
    *,
    places: int | None,
    minimum: Decimal | None,
    maximum: Decimal | None,
    max_digits: int | None,
    language: str | None,
) -> ValidationError | None:
    """What the field refuses in a number read correctly, or None when it takes it."""
    if places == 0 and typed_places:
        return ValidationError(_("Enter a whole number, without decimals."), code="whole")
    if places is not None and typed_places > places:
        return ValidationError(
            ngettext("Use at most %(places)s decimal.", "Use at most %(places)s decimals.", places)
            % {"places": places},
            code="places",
        )
    if minimum is not None and number < minimum:
        return ValidationError(
            _("Enter a number of at least %(min)s.") % {"min": format_number(minimum, language=language)},
            code="min_value",
        )
    if maximum is not None and number > maximum:
        return ValidationError(
            _("Enter a number of at most %(max)s.") % {"max": format_number(maximum, language=language)},
            code="max_value",
        )
    if max_digits is not None:
        whole_digits = max_digits - (places or 0)
        if abs(number) >= Decimal(10) ** whole_digits:
            return ValidationError(_("This number is too large."), code="max_digits")
    return None


def parse_number(
    text,
    *,
    places: int | None = None,
    minimum=None,
    maximum=None,
    max_digits: int | None = None,
    language: str | None = None,
) -> Decimal | None:
    """Read what a person typed as the page's language writes numbers; None when empty.

    `places` is the most decimals the field takes (0 for a whole number), `minimum` and
    `maximum` its range, `max_digits` its storage size. Raises ValidationError with a
    message that says how to write the number (the module docstring gives the rule).
    """
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        text = format_number(text, language=language)  # a stored number: checked as it is shown
    text = str(text).strip().strip(SPACES)
    if not text:
        return None
    language = _language(language)
    decimal, group = separators(language)
    limits = {
        "places": places,
        "minimum": None if minimum is None else Decimal(minimum),
        "maximum": None if maximum is None else Decimal(maximum),
        "max_digits": max_digits,
        "language": language,
    }
    ours = _read(text, decimal, group)
    theirs = _read(text, group, decimal) if group not in SPACES else None
    meant = None
    if theirs is not None and _check(*theirs, **limits) is None:
        meant = format_number(theirs[0], language=language)
    if ours is None:
        if meant is not None:
            raise ValidationError(_wrong_convention(meant), code="separator")
        raise ValidationError(
            _("Enter a number, such as %(example)s.") % {"example": _example(language)}, code="invalid"
        )
    refusal = _check(*ours, **limits)
    if refusal is None:
        return ours[0]
    if meant is not None and theirs[0] != ours[0]:
        raise ValidationError(f"{refusal.message} {_wrong_convention(meant)}", code="ambiguous")
    if group in text:  # "1.234" in a Spanish percentage: say how this page reads a point
        raise ValidationError(f"{refusal.message} {_rule()}", code=refusal.code)
    raise refusal


def _rule() -> str:
    # The message states the page language's own rule: English's here, Spanish's in its catalogue.
    return _("Here decimals go after a point and thousands are separated by commas.")


def _wrong_convention(meant: str) -> str:
    return _("Did you mean %(number)s?") % {"number": meant} + " " + _rule()


def _example(language: str | None) -> str:
    return _("%(thousands)s or %(decimal)s") % {
        "thousands": format_number(18500, language=language),
        "decimal": format_number(Decimal("62.5"), language=language),
    }


def format_number(
    value, *, places: int | None = None, fixed: bool = False, grouping: bool = True, language: str | None = None
) -> str:
    """A number as the page's language writes it, with thousands separated: "18.500" / "18,500".

    `places` is the most decimals shown (rounded half up); without it a value shows every
    decimal it has. Trailing zeros go unless `fixed` (money with its currency's cents):
    format_number(Decimal("8600.00")) is "8.600" in Spanish; format_number(86.666, places=1)
    is "86,7"; format_number(87, places=1) is "87"; format_number(5, places=2, fixed=True)
    is "5,00"; `grouping=False` leaves out the thousands separator (a year, a query string).
    Empty values give "".
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if not fixed:
        number = number.normalize() if number != number.to_integral_value() else number.quantize(Decimal(1))
    decimals = max(0, -number.as_tuple().exponent)
    with translation.override(language) if language else nullcontext():
        return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)


class NumberInput(forms.TextInput):
    """A text box for a number, shown as the page's language writes it ("8.600", not "8600,00").

    A text box, not `type=number`: browsers read a number box in their own locale, not the
    page's, and refuse "18.500". `inputmode` still brings up the phone's number keyboard.
    """

    def __init__(self, attrs=None, *, places: int | None = None, grouping: bool = True):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.places = places
        self.grouping = grouping

    def format_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format_number(value, places=self.places, grouping=self.grouping)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """A decimal typed as the page's language writes it; see `parse_number` for the rule.

    Takes DecimalField's arguments (`max_digits`, `decimal_places`, `min_value`,
    `max_value`); a value it shows reads back as itself.
    """

    widget = NumberInput

    def __init__(self, *, grouping: bool = True, **kwargs):
        kwargs.pop("localize", None)  # always: the page's language decides
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)
        self.widget.places = self.decimal_places
        self.widget.grouping = grouping

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_number(
            value,
            places=self.decimal_places,
            minimum=self.min_value,
            maximum=self.max_value,
            max_digits=self.max_digits,
        )

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)  # no `step`/`min` for a text box


class WholeNumberField(NumberField):
    """A whole number (a count, a term in instalments) typed as the page's language writes it."""

    def __init__(self, **kwargs):
        kwargs["decimal_places"] = 0
        kwargs.setdefault("max_digits", 18)
        super().__init__(**kwargs)

    def clean(self, value):
        number = super().clean(value)  # checked as a Decimal, handed on as an int
        return None if number is None else int(number)


class YearFormField(WholeNumberField):
    """A year: 2011, never "2.011"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 4)
        super().__init__(grouping=False, **kwargs)


class YearField(models.PositiveSmallIntegerField):
    """A calendar year: a number, but one no one writes with a thousands separator."""

    def formfield(self, **kwargs):
        kwargs["form_class"] = YearFormField  # over any admin override of integer fields
        return super().formfield(**kwargs)
