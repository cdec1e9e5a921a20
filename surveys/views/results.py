"""Staff reading a round's results and the trends, and their exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pilots.public import Innovation
from portal.cache import CSRF_PLACEHOLDER, portfolio, render_cached
from portal.cache import subject as cache_subject
from portal.downloads import download

from .. import charts, selectors, services
from ..exports import non_respondents_dataset, results_dataset, round_dataset, trend_dataset
from ..forms import OpportunityForm
from ..models import Opportunity, Round
from .refusals import refused, staff_only


def _with_figures(results: dict) -> dict:
    for item in results["questions"]:
        if item["n"] == 0:
            continue
        if "ranking" in item:
            item["figure"] = charts.ranking_figure(item)
        elif "shares" in item:
            item["figure"] = charts.shares_figure(item)
        elif "numbers" in item:
            item["figure"] = charts.numbers_figure(item)
        labels = {option.code: option.label for option in item["question"].options.all()}
        for key in ("ranking", "shares"):
            for row in item.get(key, []):
                row["label"] = labels.get(row["code"], row["code"])
        item["columns"] = [{"code": code, "label": label} for code, label in labels.items()]
        for group in item.get("by_country", []) + item.get("by_type", []):
            if "ranking" in group:
                group["cells"] = _cells(group["ranking"], labels, "average")
            elif "shares" in group:
                group["cells"] = _cells(group["shares"], labels, "share")
    if results["gap"] and results["gap"]["rows"]:
        results["gap_figure"] = charts.gap_figure(results["gap"])
    return results


def _cells(rows: list[dict], labels: dict, field: str) -> list:
    by_code = {row["code"]: row[field] for row in rows}
    return [by_code.get(code) for code in labels]


@staff_only
def round_results(request, pk: int):
    survey_round = get_object_or_404(Round, pk=pk)
    find = request.GET.get("find", "")
    form = OpportunityForm(request.POST or None, survey_round=survey_round, find=find)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_link(
                innovation=form.cleaned_data["innovation"],
                question=form.cleaned_data["question"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The innovation is now linked to the question that revealed it."))
            return redirect("surveys:results", pk=pk)
    if request.GET.get("format") == "csv":
        results = selectors.round_results(survey_round=survey_round)
        return download(
            results_dataset(results=results), filename=f"demand-survey-{survey_round.code}-results", fmt="csv"
        )

    def context() -> dict:
        results = _with_figures(selectors.round_results(survey_round=survey_round))
        return {
            **results,
            "form": form,
            "find": find,
            "has_innovations": Innovation.objects.exists(),
            "opportunities": Opportunity.objects.filter(question__round=survey_round).select_related(
                "innovation", "question"
            ),
        }

    if form.is_bound:  # a refused link: the form shows what is wrong, with what was typed
        return render(request, "surveys/results.html", context())
    # Results change when a member submits or is reopened, or the round changes (its version),
    # the network (the "surveys" namespace); linked innovations with the viewer's portfolio.
    return render_cached(
        request,
        name="survey-results",
        page_template="surveys/results.html",
        body_template="surveys/includes/results_body.html",
        params={"round": pk, "find": find},
        depends=[*portfolio(request.user), cache_subject("round", pk)],
        context=lambda: {**context(), "csrf_token": CSRF_PLACEHOLDER, "round_code": survey_round.code},
        keep=("round_code",),
        fill={CSRF_PLACEHOLDER: lambda: get_token(request)},
        namespace="surveys",
    )


@staff_only
def trends(request):
    """How each product line's demand rank moves across rounds."""
    codes = selectors.ranking_question_codes()
    code = request.GET.get("code") or ("demand-ranking" if "demand-ranking" in codes else (codes[0] if codes else ""))
    if code and code not in codes:
        return refused(request, _("There is no ranking question with this code."), status=404)
    trend = selectors.demand_trend(code=code) if code else None
    if trend and request.GET.get("format") == "csv":
        return download(trend_dataset(trend=trend), filename=f"demand-trend-{code}", fmt="csv")
    context = {
        "codes": codes,
        "code": code,
        "code_choices": [{"code": choice, "selected": choice == code} for choice in codes],
        "trend": trend,
    }
    if trend and trend["rounds"]:
        context["figure"] = charts.trend_figure(trend)
    return render(request, "surveys/trends.html", context)


@staff_only
def round_export(request, pk: int, fmt: str):
    survey_round = get_object_or_404(Round, pk=pk)
    anonymised = request.GET.get("anonymised") in {"1", "true", "on"}
    free_text = request.GET.get("free_text") in {"1", "true", "on"}
    data = round_dataset(survey_round=survey_round, anonymised=anonymised, free_text=free_text)
    suffix = "-anonymised" if anonymised else ""
    return download(data, filename=f"demand-survey-{survey_round.code}{suffix}", fmt=fmt)


@staff_only
def round_non_respondents(request, pk: int, fmt: str):
    """Who has not submitted yet, with the contact e-mail and reminders: the list staff chase."""
    survey_round = get_object_or_404(Round, pk=pk)
    data = non_respondents_dataset(survey_round=survey_round)
    return download(data, filename=f"demand-survey-{survey_round.code}-not-answered", fmt=fmt)
