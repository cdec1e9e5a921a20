"""Staff "try it as a member": they see a round's questionnaire as a member institution sees it.

The page is the member's answer form (the same question templates, numbering and
conditional display) with no invitation behind it, so nothing can be saved: its
buttons are disabled, and what the page's autosave posts is answered with the
preview notice and dropped. It follows the page's language (/es/ or /en/).
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .models import Round
from .views.answering import form_items
from .views.refusals import staff_only


def preview_notice() -> str:
    return _("Preview: nothing you type is saved.")


@staff_only
def round_preview(request, pk: int):
    survey_round = get_object_or_404(Round, pk=pk)
    if request.method == "POST":
        return JsonResponse({"ok": False, "code": "preview", "error": preview_notice()})
    questions = selectors.round_questions(survey_round=survey_round)
    context = {
        "round": survey_round,
        "items": form_items(questions, {}, {}),
        "notice": preview_notice(),
        "when": selectors.round_when(survey_round=survey_round),
        "round_admin_url": reverse("survey_rounds:edit", args=[survey_round.pk]),
    }
    return render(request, "surveys/preview.html", context)
