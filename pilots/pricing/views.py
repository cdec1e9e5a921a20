"""The public cost calculator: anyone enters a product's terms and sees what it costs the
client, flat and declining balance side by side (`pilots.pricing.cost`, the same computation
as the innovation page's), and what its APR is made of (`pilots.pricing.breakdown`)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .breakdown import apr_breakdown
from .charts import breakdown_figure, money_figure
from .cost import cost_of
from .forms import CalculatorForm


def _costs(terms) -> dict:
    """The terms' cost flat and on the declining balance, the other method left out when the
    terms cannot be charged that way (interest deducted up front is flat only)."""
    costs = {}
    for method in ("flat", "declining"):
        try:
            costs[method] = cost_of(terms.with_method(method))
        except ValidationError:
            if method == terms.method:
                raise
    return costs


@require_GET
def calculator(request):
    params = request.GET if request.GET else None
    form = CalculatorForm(params, initial=CalculatorForm.EXAMPLE)
    context = {"form": form, "example": CalculatorForm.EXAMPLE}
    if form.is_bound and form.is_valid():
        terms = form.terms()
        costs = _costs(terms)
        breakdown = apr_breakdown(terms, cost=costs[terms.method])
        context.update(
            cost=costs[terms.method],
            costs=costs,
            # Flat rate against declining balance, the person's own method marked.
            comparison=[
                {"method": method, "cost": other, "chosen": method == terms.method, "is_flat": method == "flat"}
                for method, other in costs.items()
            ],
            currency=form.cleaned_data.get("currency") or "USD",
            figure=money_figure(costs),
            breakdown=breakdown,
            breakdown_figure=breakdown_figure(breakdown),
            breakdown_id="calculator",  # the chart's element ids: one breakdown on the page
            share_url=request.build_absolute_uri(),
        )
    return render(request, "pilots/pricing/calculator.html", context)
