"""Labels the site search shows (content types, facet titles).

They live here, not in portal/search, so that they are in the research app's
message catalogue with the search templates (research/templates/research/search.html).
"""

from django.utils.translation import gettext as _


def kind_labels() -> dict[str, str]:
    return {"research": _("Research"), "innovation": _("Innovation"), "lesson": _("Lesson learned")}


def facet_titles() -> dict[str, str]:
    return {
        "kind": _("Content type"),
        "country": _("Country"),
        "product_line": _("Product line"),
        "stage": _("Stage"),
        "year": _("Year"),
    }
