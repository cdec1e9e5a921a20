"""The results of `bench/run.py`: `bench/results/{latest,factor-<N>}.{md,csv}`, each cell
checked against its target (`bench/summary.py`)."""

import csv
import io
from pathlib import Path

from bench.measure import FLOOR, PDF_POLL
from bench.summary import LEGEND, cell, targets, upper_cell

RESULTS = Path(__file__).resolve().parent / "results"


# --- tables ----------------------------------------------------------------------------------

COLUMNS = [
    "page",
    "role",
    "kind",
    "url",
    "status",
    "requests",
    "rps",
    "p50_ms",
    "p95_ms",
    "warm_ratio",
    "cold_elsewhere_ms",
    "cold_elsewhere_status",
    "cold_elsewhere_ratio",
    "cold_own_ms",
    "cold_own_status",
    "cold_own_ratio",
    "seconds",
    "again_seconds",
    "uncached_rps",
    "uncached_ratio",
    "bytes",
    "queries",
    "peak_mib",
    "inprocess_ms",
    "inprocess_status",
]
FORMATS = {
    "rps": "{:.3f}",
    "p50_ms": "{:.1f}",
    "p95_ms": "{:.1f}",
    "warm_ratio": "{:.6g}",
    "cold_elsewhere_ms": "{:.1f}",
    "cold_elsewhere_ratio": "{:.6g}",
    "cold_own_ms": "{:.1f}",
    "cold_own_ratio": "{:.6g}",
    "seconds": "{:.2f}",
    "again_seconds": "{:.2f}",
    "uncached_rps": "{:.3f}",
    "uncached_ratio": "{:.6g}",
    "peak_mib": "{:.2f}",
    "inprocess_ms": "{:.1f}",
}


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def page_line(row: dict, uncached: bool) -> str:
    goal = targets(row["kind"], row["role"])
    statuses = {row.get("status"), row.get("cold_elsewhere_status"), row.get("cold_own_status")} - {None, "200"}
    flag = f" (HTTP {', '.join(sorted(statuses))})" if statuses else ""
    cells = [
        f"{row['page']}{flag}",
        row["role"],
        f"{row['rps']:.3g}",
        cell(row.get("warm_ratio"), goal["warm"]),
        ms(row.get("cold_elsewhere_ms")),
        cell(row.get("cold_elsewhere_ratio"), goal["cold_elsewhere"]),
        ms(row.get("cold_own_ms")),
        cell(row.get("cold_own_ratio"), goal["cold_own"]),
        *([cell(row.get("uncached_ratio"), None)] if uncached else []),
        f"{row['bytes'] / 1024:.1f}",
        str(row.get("queries", "—")),
        upper_cell(row.get("peak_mib"), goal["peak_mib"]),
    ]
    return "| " + " | ".join(cells) + " |"


def pdf_line(row: dict) -> str:
    goal = targets("pdf", row["role"])
    flag = "" if row["status"] == "200" else f" ({row['status']})"
    cells = [
        f"{row['page']}{flag}",
        row["role"],
        upper_cell(row["seconds"], goal["seconds"], 2),
        str(row["pdf_requests"]),
        upper_cell(row["again_seconds"], goal["seconds"], 2),
        f"{row['bytes'] / 1024:.0f}",
        str(row.get("queries", "—")),
        upper_cell(row.get("peak_mib"), goal["peak_mib"]),
    ]
    return "| " + " | ".join(cells) + " |"


def misses(rows: list[dict]) -> dict[str, list[str]]:
    """The rows that miss each target, by target."""
    found: dict[str, list[str]] = {}

    def miss(name: str, row: dict) -> None:
        found.setdefault(name, []).append(f"{row['page']} ({row['role']})")

    for row in rows:
        goal = targets(row["kind"], row["role"])
        for key in ("warm", "cold_elsewhere", "cold_own"):
            ratio = row.get(f"{key}_ratio")
            if ratio is not None and goal[key] is not None and ratio < goal[key]:
                miss(key.replace("_", " "), row)
        if row.get("peak_mib") is not None and row["peak_mib"] > goal["peak_mib"]:
            miss("peak memory", row)
        if goal["seconds"] is not None and row.get("seconds") is not None and row["seconds"] > goal["seconds"]:
            miss("PDF seconds", row)
        statuses = {row.get(key) for key in ("status", "cold_elsewhere_status", "cold_own_status", "again_status")}
        statuses.add(str(row.get("inprocess_status", "200")))
        if statuses - {None, "200"}:
            miss("not HTTP 200", row)
    return found


def write_results(rows, pdf_rows, info, data, timings, factor, options, picked, floor_ms) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["factor", *COLUMNS], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in [*rows, *pdf_rows]:
        formatted = {"factor": factor, **row}
        for key, pattern in FORMATS.items():
            if row.get(key) is not None:
                formatted[key] = pattern.format(row[key])
        writer.writerow(formatted)
    floor = rows[0]
    uncached = options.uncached
    lines = [
        f"# Benchmark, factor {factor}",
        "",
        f"- Date: {info['date']}; code: {info['code']}",
        f"- Machine: {info['cpu']}; {info['os']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']}",
        "- Data: " + ", ".join(f"{value:,} {name}" for name, value in data.items()),
        "- Setup: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()),
        "- Served by gunicorn (`gunicorn.conf.py`, 2 workers × 2 threads), `bench.settings` (production, DEBUG "
        "off, production's Redis cache), client on the same machine. "
        f"Floor (`{FLOOR}`): {floor['rps']:.0f} req/s in the throughput loop"
        + (f", {floor_ms:.2f} ms median one request at a time." if floor_ms else "."),
        f"- **Warm**: the throughput loop, {options.concurrency} connection(s), ~{options.seconds:g} s per row after "
        "two warm-up requests; × floor = the page's requests/s ÷ the floor's (the mean of the floor measured first "
        "and last).",
        f"- **Cold**: before each of {options.cold_runs} requests, one real write through `pilots.services` in the "
        "bench process (a copy of the innovation's latest measurement, recorded with `measurement_record` and "
        "deleted after the request), whose signals retire cached values in the same Redis database and key prefix "
        "as gunicorn; then one request, timed. The median; × floor = the floor's median single-request latency "
        "(measured the same way, one request at a time on the same keep-alive connection) ÷ the page's. *Write "
        f"elsewhere*: to `{picked['other']}`, a public innovation every role sees (so pages that aggregate what "
        "the viewer sees may rightly be retired by it). *Write to this*: to the page's own innovation, "
        f"`{picked['busiest']}` (the innovation page and its API detail).",
        "- **Queries and peak memory** (tracemalloc): one request in process with Django's test client and no "
        "cache (the cold path at its worst).",
        *(
            ["- *Uncached × floor*: a whole throughput pass with Django's dummy cache (nothing cached)."]
            if uncached
            else []
        ),
        "",
        "| page | role | warm req/s | warm × floor | cold, write elsewhere: ms | × floor | cold, write to this: ms "
        f"| × floor |{' uncached × floor |' if uncached else ''} KiB | queries | peak MiB |",
        "| --- | --- |" + " ---: |" * (10 + uncached),
        *(page_line(row, uncached) for row in rows),
    ]
    if pdf_rows:
        lines += [
            "",
            "PDFs: the time until the file is served (redirects and refreshing “rendering…” pages followed, at most "
            f"{PDF_POLL:g} s between requests), after a write to the innovation, then again at once; peak memory and "
            "queries over every request to the file after a write, in process with production's cache (the task "
            "backend renders there too, as it does in gunicorn here: `ImmediateBackend`).",
            "",
            "| report | role | after a write: s | requests | again: s | KiB | queries | peak MiB |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(pdf_line(row) for row in pdf_rows),
        ]
    found = misses([row for row in [*rows, *pdf_rows] if row["kind"] != "floor"])
    lines += ["", LEGEND, ""]
    lines += [f"- Not met, {name}: {len(names)} ({', '.join(names)})." for name, names in found.items()]
    if not found:
        lines.append("- Every target met.")
    lines.append("")
    markdown = "\n".join(lines)
    for stem in ("latest", f"factor-{factor}"):
        (RESULTS / f"{stem}.csv").write_text(buffer.getvalue())
        (RESULTS / f"{stem}.md").write_text(markdown)
    return markdown
