"""`make bench`: every page a user opens, warm and cold, against a bare Django view, served as
in production.

    make bench                                  # the demo data (factor 1)
    make bench BENCH_FACTOR=10                  # the demo plus bench/scale.py --factor 10
    make bench BENCH_ARGS="--pages dashboard --seconds 0.5"   # a short run of some pages

What it does, in one run:

1. creates a fresh PostgreSQL database `<prefix>bench_f<factor>` (dropping an older one of
   that name; `--database-prefix`, default none), migrates it, loads the demo and, for a
   factor above 1, runs the scale generator; collects the static files into a temporary
   directory;
2. serves it with gunicorn (`gunicorn.conf.py`, 2 workers, production settings through
   `bench.settings`, which adds the bare view `/bench/floor/`), production's Redis cache in
   `BENCH_REDIS_URL` (default db 13) under the key prefix `<prefix>bench-f<factor>`;
3. signs in as member, donor and staff through `/accounts/login/` and requests each page as
   each role the page allows (every request carries the allowed Host and
   `X-Forwarded-Proto: https`, as the HTTPS proxy would):
   - *warm*: the throughput loop (two warm-up requests, then ~`--seconds` of requests):
     requests per second, p50/p95 latency, size; the ratio to the floor's requests per
     second (the floor measured first and last, the mean of both);
   - *cold*, two ways: before each of `--cold-runs` requests this process makes a real
     write through the services (`pilots.services.measurement_record`: a copy of the
     innovation's latest measurement, deleted again after the request with
     `pilots.reporting.services.measurement_delete`), with the same cache settings and key
     prefix as gunicorn, so that the write's signals retire in Redis what they retire in
     production; then it requests the page once and times it. *After a write elsewhere*:
     the write goes to another public innovation (every role sees it; pages that aggregate
     what the viewer sees may include it). *After a write to this one*: to the page's own
     innovation (the innovation page and its API detail). The median over the runs; the
     ratio is the floor's median single-request latency (measured the same way, one request
     at a time on the same keep-alive connection) over the page's;
   - the PDFs (the innovation's and the portfolio's period report): the time until the
     file is served, following redirects and "rendering…" pages that refresh, after a write
     to the innovation and again right after — not the throughput loop;
   - with `--uncached`, first a whole pass with Django's dummy cache (throughput only);
4. stops gunicorn and measures, in this process with Django's test client against the same
   database and no cache (the cold path at its worst), the queries and the peak memory
   (tracemalloc) of one request per page and role — gunicorn cannot report those — and the
   median time of `--inprocess-runs` requests; for the PDFs, of every request to the file
   after a write, with production's cache (where the render's state waits);
5. writes `bench/results/latest.{md,csv}` and `bench/results/factor-<N>.{md,csv}`, with the
   targets of issue 24 checked cell by cell (`bench/summary.py`).

Options: `--factor N` (or BENCH_FACTOR), `--pages TEXT` (only the pages whose name contains
TEXT, case-insensitive; repeatable; the floor is always measured), `--seconds S` (per row,
warm), `--min-requests`/`--max-requests`, `--concurrency`, `--cold-runs N`, `--no-cold`,
`--no-pdf`, `--pdf-timeout S`, `--inprocess-runs N`, `--uncached`, `--reuse` (keep the
database), `--max-pages` (research pages generated), `--database-prefix` (or
BENCH_DATABASE_PREFIX), `--server` (or BENCH_DATABASE_SERVER). Environment: BENCH_REDIS_URL.

The parts: `bench/server.py` (step 1, the environment, Redis and gunicorn), `bench/pages.py`
(the pages and what the results record about the data and the machine), `bench/timing.py`
(step 3), `bench/measure.py` (how a request is timed and counted, step 4), `bench/report.py`
(step 5).

Speed is measured, not asserted: nothing here fails because a page is slow.
"""

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import ROLES, Writes, log, measure_inprocess, session_for  # noqa: E402
from bench.pages import counts, machine, pick_urls, plan, selected  # noqa: E402
from bench.report import write_results  # noqa: E402
from bench.server import prepare, stop  # noqa: E402
from bench.timing import cold, pdfs, serve, throughput  # noqa: E402

STARTED = time.perf_counter()


def code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty.strip() else ''}"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=int(os.environ.get("BENCH_FACTOR", 1)))
    parser.add_argument(
        "--pages", action="append", metavar="TEXT", help="only pages whose name contains TEXT (repeatable)"
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="warm: time spent on each page and role")
    parser.add_argument("--min-requests", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1, help="warm: simultaneous connections (threads)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold: write-then-request pairs per page and role")
    parser.add_argument("--no-cold", dest="cold", action="store_false", help="skip the cold measurements")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDFs")
    parser.add_argument("--pdf-timeout", type=float, default=120.0, help="give up on a PDF after this many seconds")
    parser.add_argument("--inprocess-runs", type=int, default=3, help="in-process requests per page and role")
    parser.add_argument("--uncached", action="store_true", help="also a whole pass with Django's dummy cache")
    parser.add_argument("--max-pages", type=int, default=None, help="cap the generated research pages")
    parser.add_argument("--reuse", action="store_true", help="keep the existing database (no rebuild)")
    parser.add_argument(
        "--database-prefix",
        default=os.environ.get("BENCH_DATABASE_PREFIX", ""),
        help="the database is <prefix>bench_f<factor> (and the cache keys <prefix>bench-f<factor>)",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (the bench creates its own database there)",
    )
    return parser.parse_args()


def main() -> int:
    options = arguments()
    factor = options.factor
    name = f"{options.database_prefix}bench_f{factor}"
    env, timings = prepare(options, name)

    # This process reads and writes the database with Django's dummy cache, except for the cold
    # writes, which run with production's cache (`cold`, `pdfs`).
    os.environ.update({**env, "BENCH_CACHE": "none"})
    import django

    django.setup()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # the writes' tasks, run here, one line each
    from django.db import connection

    picked = pick_urls()
    data = counts()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info = {**machine(cursor.fetchone()[0]), "code": code_version()}
    connection.close()
    pages = selected(plan(picked), options.pages, pdf=options.pdf)

    uncached_rows = None
    if options.uncached:
        server, base = serve(env, "none")
        try:
            sessions = {role: session_for(base, role) for role in ROLES}
            uncached_rows = throughput(base, sessions, pages, options, "uncached")
        finally:
            stop(server)

    server, base = serve(env, "redis")
    floor_ms, pdf_rows = None, []
    try:
        sessions = {role: session_for(base, role) for role in ROLES}
        log("signed in as member, donor and staff")
        rows = throughput(base, sessions, pages, options, "warm")
        for row in rows:
            row["warm_ratio"] = row["ratio"]
        if options.cold:
            floor_ms = cold(base, sessions, pages, rows, picked, env, options)
        if options.pdf:
            pdf_rows = pdfs(base, sessions, pages, env, picked, options)
        connection.close()
    finally:
        stop(server)
    if uncached_rows:
        for row, other in zip(rows, uncached_rows, strict=True):
            row["uncached_rps"] = other["rps"]
            row["uncached_ratio"] = other["ratio"]

    log("Queries, peak memory and time, in process, no cache")
    writes_for = Writes([picked["busiest"]]).to if pdf_rows else None
    measure_inprocess(
        [*rows, *pdf_rows], runs=options.inprocess_runs, pdf_timeout=options.pdf_timeout, writes_for=writes_for
    )
    markdown = write_results(rows, pdf_rows, info, data, timings, factor, options, picked, floor_ms or 0.0)
    print()
    print(markdown)
    log(
        f"Wrote bench/results/latest.md and latest.csv (and factor-{factor}.*) in {time.perf_counter() - STARTED:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
