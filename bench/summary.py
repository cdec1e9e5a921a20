"""The speed targets and how a result is written against them, and one table for README's
"Speed" section from `bench/results/factor-*.csv`.

    .venv/bin/python bench/summary.py 1 10

Targets (issue 24; search and suggest: issue 25), as ratios to the floor measured in the same
run:

- warm (cached, the throughput loop): ≥ 1/2 anonymous and donor, ≥ 1/4 signed in
  (member, staff); search on PostgreSQL ≥ 1/20, search as you type ≥ 1/4 for every role;
- cold after a write elsewhere: the warm target — except pages that aggregate the
  innovations the viewer sees (list, dashboard, home, research, search, API list,
  downloads), where the write goes to one of those innovations and the page may rightly be
  retired: ≥ 1/10;
- cold after a write to the page's own innovation: ≥ 1/20 the innovation page, ≥ 1/10 the
  rest (its API detail);
- peak memory (tracemalloc) ≤ 20 MiB a request, the PDFs ≤ 30 MiB and ≤ 5 s.

`fraction(0.027)` is "1/37"; `cell(0.027, 1 / 20)` is "1/37 ✗". Per page the README
table shows the role furthest from its target; the full tables, role by role, stay in
`bench/results/factor-<N>.md`.
"""

import csv
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

WARM = {"anonymous": 1 / 2, "donor": 1 / 2, "member": 1 / 4, "staff": 1 / 4}
SEARCH = 1 / 20
SUGGEST = 1 / 4
COLD_OWN = {"innovation": 1 / 20, "innovation data": 1 / 10}
AGGREGATE = 1 / 10
PEAK_MIB = 20.0
PDF_PEAK_MIB = 30.0
PDF_SECONDS = 5.0

# What a page shows, which decides its targets (`targets`):
KINDS = {
    "floor": "the bare view",
    "innovation": "one innovation's page",
    "innovation data": "one innovation's data (API detail)",
    "portfolio": "aggregates the innovations the viewer sees",
    "search": "search results (PostgreSQL)",
    "suggest": "search as you type",
    "independent": "shows nothing an innovation write changes",
    "pdf": "a PDF report",
}

LEGEND = (
    "Targets (issue 24, ratios to the floor of the same run): warm ≥ 1/2 anonymous and donor, ≥ 1/4 member and "
    "staff (search ≥ 1/20, suggest ≥ 1/4, issue 25); cold after a write elsewhere = the warm target, except pages that aggregate the "
    "innovations the viewer sees (the write goes to one of them): ≥ 1/10; cold after a write to the page's own "
    "innovation ≥ 1/20 the innovation page, ≥ 1/10 the rest; peak memory ≤ 20 MiB a request, PDFs ≤ 30 MiB and "
    "≤ 5 s. ✓ met, ✗ not met, — not measured or not applicable."
)


def targets(kind: str, role: str) -> dict[str, float | None]:
    """The targets of one page kind (`KINDS`) for one role: ratios, MiB and seconds (None: none applies)."""
    warm = {"search": SEARCH, "suggest": SUGGEST}.get(kind, WARM[role])
    # a write to an innovation the viewer sees may rightly retire its aggregates and its suggestions
    elsewhere = AGGREGATE if kind in ("portfolio", "suggest") else warm
    return {
        "warm": None if kind in ("floor", "pdf") else warm,
        "cold_elsewhere": None if kind in ("floor", "pdf") else elsewhere,
        "cold_own": COLD_OWN.get(kind),
        "peak_mib": PDF_PEAK_MIB if kind == "pdf" else PEAK_MIB,
        "seconds": PDF_SECONDS if kind == "pdf" else None,
    }


def fraction(ratio: float | None) -> str:
    """A ratio to the floor as the issue writes it: 0.5 → "1/2", 0.027 → "1/37", 1.1 → "1.1"."""
    if ratio is None:
        return "—"
    if ratio <= 0:
        return "0"
    if ratio >= 1:
        return f"{ratio:.2g}"
    inverse = 1 / ratio
    if inverse >= 10:
        return f"1/{inverse:,.0f}"
    # "1/2" only when it is 1/2: 0.49 is "1/2.0" (✗ against 1/2), not a "1/2" that fails
    return f"1/{inverse:.0f}" if abs(inverse - round(inverse)) < 0.005 else f"1/{inverse:.1f}"


def mark(met: bool | None) -> str:
    return "" if met is None else (" ✓" if met else " ✗")


def cell(ratio: float | None, target: float | None) -> str:
    """A ratio and whether it reaches its target (at least the target)."""
    if ratio is None:
        return "—"
    return fraction(ratio) + mark(None if target is None else ratio >= target)


def upper_cell(value: float | None, limit: float | None, digits: int = 1) -> str:
    """A value that must stay at or under `limit` (MiB, seconds)."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}" + mark(None if limit is None else value <= limit)


# --- the README table ------------------------------------------------------------------------


def number(row: dict, key: str) -> float | None:
    value = row.get(key, "")
    return float(value) if value not in ("", None) else None


def load(factor: str) -> dict[str, list[dict]]:
    pages: dict[str, list[dict]] = {}
    with (RESULTS / f"factor-{factor}.csv").open() as source:
        for row in csv.DictReader(source):
            pages.setdefault(row["page"], []).append(row)
    return pages


def worst(rows: list[dict], key: str) -> str:
    """The role furthest below its target for `key` (a ratio column), as "1/37 ✗ (member)"."""
    scored = []
    for row in rows:
        ratio = number(row, key)
        target = targets(row.get("kind") or "independent", row["role"])[key.removesuffix("_ratio")]
        if ratio is None or target is None:
            continue
        scored.append((ratio / target, ratio, target, row["role"]))
    if not scored:
        return "—"
    _score, ratio, target, role = min(scored)
    return f"{cell(ratio, target)} ({role})"


def main(factors: list[str]) -> None:
    tables = {factor: load(factor) for factor in factors}
    header = ["page"]
    for factor in factors:
        header += [f"{factor}×: warm", f"{factor}×: cold, write elsewhere", f"{factor}×: cold, write to this"]
        header += [f"{factor}×: queries", f"{factor}×: peak MiB", f"{factor}×: PDF s"]
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for page in tables[factors[0]]:
        cells = [page]
        for factor in factors:
            rows = tables[factor].get(page)
            if not rows:
                cells += ["—"] * 6
                continue
            kind = rows[0].get("kind") or "independent"
            peaks = [number(row, "peak_mib") for row in rows if number(row, "peak_mib") is not None]
            queries = [int(row["queries"]) for row in rows if row.get("queries")]
            seconds = [number(row, "seconds") for row in rows if number(row, "seconds") is not None]
            cells += [
                worst(rows, "warm_ratio"),
                worst(rows, "cold_elsewhere_ratio"),
                worst(rows, "cold_own_ratio"),
                str(max(queries)) if queries else "—",
                upper_cell(max(peaks) if peaks else None, targets(kind, "anonymous")["peak_mib"]),
                upper_cell(max(seconds) if seconds else None, targets(kind, "anonymous")["seconds"], 2),
            ]
        print("| " + " | ".join(cells) + " |")
    print()
    print(LEGEND)


if __name__ == "__main__":
    main(sys.argv[1:] or ["1", "10"])
