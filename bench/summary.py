"""One table for README's "Speed" section from `bench/results/factor-*.csv`.

    .venv/bin/python bench/summary.py 1 10

Per page, the slowest role (lowest uncached requests/s) at each factor, and the highest
peak memory and query count over the roles. The full tables, role by role, stay in
`bench/results/factor-<N>.md`.
"""

import csv
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def load(factor: str) -> dict[str, list[dict]]:
    pages: dict[str, list[dict]] = {}
    with (RESULTS / f"factor-{factor}.csv").open() as source:
        for row in csv.DictReader(source):
            pages.setdefault(row["page"], []).append(row)
    return pages


def main(factors: list[str]) -> None:
    tables = {factor: load(factor) for factor in factors}
    header = ["page"]
    for factor in factors:
        header += [f"{factor}×: req/s (× floor)", f"{factor}×: p50 ms", f"{factor}×: queries", f"{factor}×: peak MiB"]
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for page in tables[factors[0]]:
        cells = [page]
        for factor in factors:
            rows = tables[factor].get(page)
            if not rows:
                cells += ["—"] * 4
                continue
            # lowest throughput; ties (rounded to 0.0 in older files) go to the higher median latency
            slowest = min(rows, key=lambda row: (float(row["rps"]), -float(row["p50_ms"])))
            rps = float(slowest["rps"])
            if rps >= 0.5:
                speed = f"{rps:.1f} ({float(slowest['ratio_to_floor']):.3f})"
            else:  # seconds per request: p50 says it better than a rounded rate
                speed = f"1 per {float(slowest['p50_ms']) / 1000:.0f} s (<0.001)"
            cells += [
                f"{speed} {slowest['role']}",
                f"{float(slowest['p50_ms']):,.0f}",
                str(max(int(row["queries"]) for row in rows)),
                f"{max(float(row['peak_mib']) for row in rows):.1f}",
            ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["1", "10"])
