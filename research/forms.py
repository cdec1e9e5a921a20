"""Forms of the research admin: the quick author form the study editor's chooser posts."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuthorQuickForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("Full name or institution name."))
    affiliation = forms.CharField(
        label=_("Affiliation (optional)"),
        max_length=200,
        required=False,
        help_text=_("Organisation the author worked for, if any."),
    )
