"""The error summary of a refused form (portal/templatetags/portal_forms.py): how many things are
wrong, each linked to its input, the form's own problems listed without a link."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


class Terms(forms.Form):
    amount = forms.IntegerField(label="Amount", min_value=1)
    note = forms.CharField(label="Note", required=False)
    key = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("These terms cannot go together.")


def render(text: str, **context) -> str:
    with translation.override("en"):
        return Template("{% load portal_forms %}" + text).render(Context(context))


def test_a_valid_or_unbound_form_has_no_summary():
    assert render("{% error_summary form %}", form=Terms()).strip() == ""
    assert render("{% error_summary problems=problems %}", problems=[]).strip() == ""


def test_a_refused_form_counts_its_problems_and_links_each_field():
    form = Terms({"amount": "0", "note": "fine"})
    html = render("{% error_summary form %}", form=form)
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "data-error-summary" in html
    assert "There are 3 problems to fix" in html  # the form's own, the amount's, the hidden key's
    assert '<a href="#id_amount">Amount: Ensure this value is greater than or equal to 1.</a>' in html
    assert "<li>These terms cannot go together.</li>" in html  # no input of its own: no link
    assert "<li>This field is required.</li>" in html  # a hidden field has no input to go to
    assert "#id_note" not in html and "#id_key" not in html


def test_one_problem_is_singular_and_a_prefixed_form_names_its_own_box():
    form = forms.Form({})
    form.add_error(None, "Only one thing.")
    assert "There is 1 problem to fix" in render("{% error_summary form %}", form=form)
    prefixed = Terms({}, prefix="measurement")
    assert 'id="measurement-error-summary"' in render("{% error_summary form %}", form=prefixed)


@pytest.mark.parametrize(
    ("problems", "heading"),
    [
        ([("q-1", "Place", "Fill every place.")], "There is a problem: 1 answer needs your attention"),
        ([("q-1", "A", "x"), ("q-2", "B", "y")], "There is a problem: 2 answers need your attention"),
        ([("", "", "The form was incomplete."), ("q-2", "B", "y")], "There are 2 problems to fix"),
    ],
)
def test_answers_are_counted_as_answers_when_each_problem_is_one(problems, heading):
    html = render('{% error_summary problems=problems noun="answers" note="Shown again." %}', problems=problems)
    assert heading in html
    assert "<p>Shown again.</p>" in html


def test_pairs_link_their_input_without_a_label():
    html = render("{% error_summary problems=problems %}", problems=[("q-7", "Choose one.")])
    assert '<a href="#q-7">Choose one.</a>' in html
