"""Forms of the staff pages, and the reading of a questionnaire post.

The questionnaire itself is drawn by the templates (see views.answer_page);
`AnswersPostForm` only reads what it posts, before anything reaches a service.
"""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilots.public import Innovation

from . import services
from .models import Question

MAX_VERSION = 2**31 - 1  # the largest value of Invitation.version's column on every database


class AnswersPostForm(forms.Form):
    """One post of the questionnaire, from the page or its autosave.

    It reads the input and refuses what cannot be saved as it is: a missing or
    garbled `version`, a field naming a question that is not part of the round,
    a null character in an answer. The answers themselves are judged by the
    services at submission. After `is_valid()`, even when it is False, `values`
    holds what the member typed for every question of the round, so that the
    page can show it again and nothing typed is lost, and `answer_errors` the
    problems by question field name (`q-<id>`).
    """

    version = forms.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        widget=forms.HiddenInput,
        error_messages={
            key: _("The form was incomplete (the version of the answers was missing or wrong), so nothing was saved.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )

    def __init__(self, data, *, survey_round):
        super().__init__(data)
        self.survey_round = survey_round
        self.values: dict[int, object] = {}
        self.answer_errors: dict[str, list[str]] = {}

    def clean(self):
        posted = services.answers_read_posted(survey_round=self.survey_round, posted=self.data)
        self.values = posted.values
        for name, errors in posted.errors.items():
            if name == NON_FIELD_ERRORS:
                self.add_error(None, errors)
            else:
                self.answer_errors[name] = [message for error in errors for message in error.messages]
        if self.answer_errors:
            self.add_error(
                None,
                ValidationError(
                    _("Some answers need your attention: see the messages next to each question."),
                    code="invalid_character",
                ),
            )
        return self.cleaned_data

    @property
    def post_errors(self) -> list[str]:
        """The problems of the post as a whole, for the top of the page or the autosave's status line."""
        return [*self.errors.get("version", []), *self.non_field_errors()]

    @property
    def summary_errors(self) -> list[str]:
        """The problems of the post as a whole for the page's error summary, which lists each
        answer's own problem itself: without the note that some answers need attention."""
        whole = [error for error in self.non_field_errors().as_data() if error.code != "invalid_character"]
        return [*self.errors.get("version", []), *(message for error in whole for message in error.messages)]

    @property
    def error_code(self) -> str:
        """One code for the JSON answer of the autosave: the most specific problem first."""
        codes = {error.code for errors in self.errors.as_data().values() for error in errors}
        return next((code for code in ("unknown_question", "invalid_character") if code in codes), "invalid")


class RemindForm(forms.Form):
    """Which invitations of a round to remind; none ticked means every one not yet submitted.

    The ticked values are checked against the round's own invitations, so that
    an odd value ("²", a 30-digit number) is refused here and never reaches the database.
    """

    invitation = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, data, *, survey_round):
        super().__init__(data)
        self.survey_round = survey_round
        ids = survey_round.invitations.order_by("pk").values_list("pk", flat=True)
        self.fields["invitation"].choices = [(str(pk), str(pk)) for pk in ids]

    def clean_invitation(self):
        ids = self.cleaned_data["invitation"]
        return list(self.survey_round.invitations.filter(pk__in=ids)) if ids else []


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of this response."),
    )


class OpportunityForm(forms.Form):
    """Link an innovation to the question whose answers revealed its opportunity.

    Any innovation may be linked (it is looked up by id), but the menu offers a short
    list: the most recently updated innovations, or those whose title matches `find`
    (the "find an innovation" box next to it). A portfolio of a thousand innovations
    is never written into the page.
    """

    PICKER_SIZE = 20

    innovation = forms.ModelChoiceField(
        label=_("Innovation"), queryset=Innovation.objects.none(), empty_label=_("Choose an innovation")
    )
    question = forms.ModelChoiceField(
        label=_("Question that revealed it"), queryset=Question.objects.none(), empty_label=_("Choose a question")
    )
    note = forms.CharField(label=_("What the answers showed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, survey_round, find: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["innovation"]
        field.queryset = Innovation.objects.all()
        shortlist = Innovation.objects.order_by("-updated_at", "-pk")
        find = find.replace("\x00", "").strip()[:100]
        if find:
            shortlist = shortlist.filter(
                Q(title__icontains=find) | Q(title_en__icontains=find) | Q(slug__icontains=find.replace(" ", "-"))
            )
            field.help_text = _("Innovations whose title contains “%(find)s”.") % {"find": find}
        else:
            field.help_text = _("The %(count)s most recently updated innovations; find another with the box above.") % {
                "count": self.PICKER_SIZE
            }
        field.choices = [("", field.empty_label)] + [
            (innovation.pk, innovation.display_title) for innovation in shortlist[: self.PICKER_SIZE]
        ]
        self.fields["question"].queryset = survey_round.questions.order_by("position", "pk")
        self.fields["question"].label_from_instance = lambda question: f"{question.code} · {question.label}"


class InviteForm(forms.Form):
    """The confirmation of "invite every member not yet invited".

    It posts back the institutions the preview listed, so that confirming invites those
    the person saw (a member added meanwhile waits for the next preview); those invited
    since, by a double submit or a colleague, are skipped by the service.
    """

    WITH_EMAIL = "with_email"
    ALL = "all"

    who = forms.ChoiceField(
        label=_("Whom to invite"),
        widget=forms.RadioSelect,
        choices=[
            (WITH_EMAIL, _("Only the institutions with a contact e-mail (recommended)")),
            (ALL, _("All of them, also those without an e-mail (you give them their personal links)")),
        ],
        initial=WITH_EMAIL,
    )
    institution = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, data=None, *, institutions):
        super().__init__(data)
        self.institutions = {institution.pk: institution for institution in institutions}
        self.fields["institution"].initial = list(self.institutions)

    def clean_institution(self):
        """Those of the preview that are still not invited. Others (invited meanwhile, by a double
        submit or a colleague) and values that are no id at all are left out, not refused."""
        values = self.cleaned_data["institution"] or []
        ids = {int(value) for value in values if re.fullmatch(r"[0-9]{1,18}", str(value))}
        return [institution for pk, institution in self.institutions.items() if pk in ids]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the round's history."),
    )
