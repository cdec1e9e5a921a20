"""The study editor's searchable multiple choosers (authors, countries, product lines, innovations).

A plain `<select multiple>` that still works without JavaScript, enhanced by
`research/chooser.js`: staff type to search (the admin's `research_chooser_search` view answers),
the chosen items stay listed above the box, each with a button to remove it, and authors can be
created on the spot (`research_author_create`, through `services.author_create`). The field and
the values posted are the select's own, so the page form validates and saves them as before.
"""

from django import forms
from django.urls import reverse


class SearchableSelectMultiple(forms.SelectMultiple):
    template_name = "research/widgets/searchable_select_multiple.html"

    def __init__(self, *, kind: str, can_create: bool = False, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.kind = kind
        self.can_create = can_create

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["kind"] = self.kind
        widget["search_url"] = reverse("research_chooser_search", args=[self.kind])
        widget["create_url"] = reverse("research_author_create") if self.can_create else ""
        widget["chosen"] = [
            option
            for _group, options, _index in widget["optgroups"]
            for option in options
            if option["selected"] and option["value"] not in ("", None)
        ]
        return context

    @property
    def media(self):
        return forms.Media(js=["research/chooser.js"], css={"all": ["research/chooser.css"]})
