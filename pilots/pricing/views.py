"""The public cost calculator: anyone enters a product's terms and sees what it costs the
client, flat and declining balance side by side (`pilots.pricing.cost`, the same computation
as the innovation page's)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .charts import money_figure
from .cost import cost_of
from .forms import CalculatorForm


@require_GET
def calculator(request):
    params = request.GET if request.GET else None
    form = CalculatorForm(params, initial=CalculatorForm.EXAMPLE)
    context = {"form": form, "example": CalculatorForm.EXAMPLE}
    if form.is_bound and form.is_valid():
        terms = form.terms()
        costs = {method: cost_of(terms.with_method(method)) for method in ("flat", "declining")}
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
            share_url=request.build_absolute_uri(),
        )
    return render(request, "pilots/pricing/calculator.html", context)
