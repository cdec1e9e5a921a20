"""Forms of the staff pages. Answering uses the questionnaire itself (see views.answer_page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pilots.models import Innovation

from .models import Question


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of this response."),
    )


class OpportunityForm(forms.Form):
    innovation = forms.ModelChoiceField(label=_("Innovation"), queryset=Innovation.objects.none())
    question = forms.ModelChoiceField(label=_("Question that revealed it"), queryset=Question.objects.none())
    note = forms.CharField(label=_("What the answers showed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, survey_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = Innovation.objects.order_by("title")
        self.fields["question"].queryset = survey_round.questions.order_by("position", "pk")
        self.fields["question"].label_from_instance = lambda question: f"{question.code} · {question.label}"
