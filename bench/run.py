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

Speed is measured, not asserted: nothing here fails because a page is slow.
"""

import argparse
import datetime
import logging
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    FLOOR,
    HEADERS,
    HOST,
    ROLES,
    SITE,
    Writes,
    follow_to_pdf,
    http_getter,
    local,
    log,
    measure_http,
    measure_inprocess,
    measure_single,
    session_for,
)
from bench.report import write_results  # noqa: E402

STARTED = time.perf_counter()


@dataclass(frozen=True)
class Page:
    """A page of the plan: its `kind` (`bench.summary.KINDS`) decides its targets; `innovation`
    is the slug of the innovation it shows, the one a "write to this one" goes to."""

    name: str
    url: str
    roles: tuple[str, ...]
    kind: str = "portfolio"
    innovation: str = ""


# --- setting up ------------------------------------------------------------------------------


def environment(name: str, database_url: str, static_root: str) -> dict[str, str]:
    """What production settings need, for a throw-away deployment on this machine."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
            "SITE_URL": SITE,
            "EMAIL_URL": "consolemail://",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
            "CACHE_KEY_PREFIX": name.replace("_", "-"),
            "SECURE_COOKIES": "false",  # requests.Session talks plain HTTP to gunicorn
            "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",  # no worker to run them
            "STATIC_ROOT": static_root,
            # this run's uploads and rendered PDFs, not the checkout's media/ and private-media/
            "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / f"portal-{name}-media"),
            "PRIVATE_MEDIA_ROOT": str(Path(tempfile.gettempdir()) / f"portal-{name}-private-media"),
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def fresh_database(server: str, name: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        version = connection.execute("SHOW server_version").fetchone()[0]
    log(f"Fresh database {name} (PostgreSQL {version})")
    return f"{server}/{name}"


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


def flush_cache(url: str, prefix: str) -> None:
    """Drop this run's keys from the bench Redis database, nothing else."""
    client = redis_client(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def versions(url: str, prefix: str) -> dict[bytes, bytes | None]:
    """This run's cache keys that look like data versions, with their values."""
    client = redis_client(url)
    keys = sorted(client.scan_iter(match=f"{prefix}:*version*", count=1000))
    return dict(zip(keys, client.mget(keys), strict=True)) if keys else {}


def step(title: str, command: list[str], env: dict[str, str], setup_log: Path, quiet: bool = False) -> float:
    """Run one setup command; its stdout is shown (progress), its logging goes to `setup_log`."""
    log(title)
    started = time.perf_counter()
    output = subprocess.DEVNULL if quiet else None
    with setup_log.open("ab") as errors:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=errors)
    if result.returncode:
        sys.stderr.write(setup_log.read_text()[-4000:])
        raise SystemExit(f"{title} failed ({result.returncode}); the log is in {setup_log}")
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, logfile: Path) -> subprocess.Popen:
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile.open("wb"), stderr=subprocess.STDOUT)
    for _ in range(120):
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {logfile}")
        try:
            if requests.get(f"http://127.0.0.1:{port}{FLOOR}", headers=HEADERS, timeout=10).status_code == 200:
                log(f"gunicorn up on 127.0.0.1:{port} (2 workers; log in {logfile})")
                return process
        except requests.RequestException:
            continue
    process.terminate()
    raise SystemExit(f"gunicorn did not answer {FLOOR} in 60 s; see {logfile}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# --- what is measured ------------------------------------------------------------------------


def resolve_redirect(path: str) -> str:
    """Where `path` redirects an anonymous reader (the period choosers), as a path."""
    from django.test import Client

    response = Client().get(path, headers={"host": HOST, "x-forwarded-proto": "https"}, secure=True)
    if response.status_code not in (301, 302):
        raise SystemExit(f"{path} answered {response.status_code}, not a redirect to a period")
    return local(response["Location"], path)


def research_page() -> str:
    """A live public research report, one with an indicator chart block if there is one (the
    longest such body), else the longest body."""
    from research.models import ResearchReportPage

    best, best_key = None, None
    for page in ResearchReportPage.objects.live().public().order_by("path"):
        blocks = page.body.raw_data
        key = (any(block.get("type") == "chart" for block in blocks), len(blocks))
        if best_key is None or key > best_key:
            best, best_key = page, key
    if best is None:
        raise SystemExit("No live public research report to measure")
    log(f"Research report: {best.title} ({best_key[1]} blocks, {'a' if best_key[0] else 'no'} chart block)")
    return urlsplit(best.get_url()).path


def pick_urls() -> dict[str, str]:
    """The busiest public innovation (the pages' "own" innovation) and the next busiest (where
    a write "elsewhere" goes), the survey round with the most submissions, a research report
    and the semesters the period reports open on, from the database."""
    from django.db.models import Count, Q

    from pilots.models import Innovation, Visibility
    from surveys.models import Round

    busiest = list(
        Innovation.objects.filter(visibility=Visibility.PUBLIC)
        .annotate(n=Count("indicators__measurements"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("slug", "n")[:2]
    )
    if len(busiest) < 2:
        raise SystemExit("The bench needs two public innovations with measurements")
    survey_round = (
        Round.objects.annotate(n=Count("invitations", filter=Q(invitations__status="submitted")))
        .order_by("-n", "-year", "-semester")
        .values_list("pk", "n")
        .first()
    )
    log(
        f"Busiest public innovation: {busiest[0][0]} ({busiest[0][1]:,} measurements); writes elsewhere go to "
        f"{busiest[1][0]} ({busiest[1][1]:,}); round {survey_round[0]} ({survey_round[1]:,} submissions)"
    )
    slug = busiest[0][0]
    period_report = resolve_redirect(f"/pilots/{slug}/reports/")
    portfolio_report = resolve_redirect("/pilots/reports/")
    return {
        "busiest": slug,
        "other": busiest[1][0],
        "round": str(survey_round[0]),
        "research": research_page(),
        "period_pdf": period_report.rstrip("/") + ".pdf",
        "portfolio_pdf": portfolio_report.split("?")[0].rstrip("/") + ".pdf",
    }


def plan(picked: dict[str, str]) -> list[Page]:
    """Every page a user opens, with the roles that open it."""
    from pilots.pricing.forms import CalculatorForm

    everyone = tuple(ROLES)
    slug = picked["busiest"]
    return [
        Page("floor (bare view)", FLOOR, ("anonymous",), "floor"),
        Page("home", "/", everyone),
        Page("innovation list", "/pilots/", everyone),
        Page("busiest innovation", f"/pilots/{slug}/", everyone, "innovation", slug),
        Page("dashboard", "/pilots/dashboard/", everyone),
        Page("dashboard CSV", "/pilots/dashboard/?format=csv", everyone),
        Page("dashboard XLSX", "/pilots/dashboard/?format=xlsx", everyone),
        Page("list, off track", "/pilots/?progress=off_track", everyone),
        Page("survey results", f"/surveys/rounds/{picked['round']}/results/", ("staff",), "independent"),
        Page("research index", "/research/", everyone),
        Page("research report", picked["research"], everyone),
        Page("search microseguros", "/search/?q=microseguros", everyone, "search"),
        Page("suggest micr", "/search/suggest/?q=micr", everyone, "suggest"),
        Page("pricing calculator", f"/pricing/?{urlencode(CalculatorForm.EXAMPLE)}", everyone, "independent"),
        Page("API innovations", "/api/v1/innovations/", everyone),
        Page("API innovation", f"/api/v1/innovations/{slug}/", everyone, "innovation data", slug),
        Page("innovation period PDF", picked["period_pdf"], ("anonymous", "staff"), "pdf", slug),
        Page("portfolio period PDF", picked["portfolio_pdf"], ("donor", "staff"), "pdf", slug),
    ]


def selected(pages: list[Page], filters: list[str] | None, *, pdf: bool) -> list[Page]:
    """The floor and the pages whose name contains one of `filters` (all without filters)."""

    def wanted(page: Page) -> bool:
        if page.kind == "floor":
            return True
        if page.kind == "pdf" and not pdf:
            return False
        return not filters or any(text.lower() in page.name.lower() for text in filters)

    chosen = [page for page in pages if wanted(page)]
    if len(chosen) == 1 and filters:
        names = ", ".join(page.name for page in pages)
        raise SystemExit(f"No page name contains {' or '.join(filters)}; the pages: {names}")
    return chosen


def counts() -> dict[str, int]:
    from pilots.models import Innovation, Measurement, Milestone
    from portal.accounts.models import MemberInstitution
    from research.models import ResearchReportPage
    from surveys.models import Answer, Round

    return {
        "innovations": Innovation.objects.count(),
        "measurements": Measurement.objects.count(),
        "milestones": Milestone.objects.count(),
        "member MFIs": MemberInstitution.objects.count(),
        "survey rounds": Round.objects.count(),
        "survey answers": Answer.objects.count(),
        "research pages": ResearchReportPage.objects.count(),
    }


def machine(database_version: str) -> dict[str, str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} × {model}",
        "python": platform.python_version(),
        "postgresql": database_version,
        "os": platform.platform(),
    }


# --- one gunicorn run ------------------------------------------------------------------------


def serve(env: dict[str, str], cache: str):
    """gunicorn with the cache on ("redis") or off ("none"), on this run's keys, flushed first."""
    env = {**env, "BENCH_CACHE": cache}
    flush_cache(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
    port = free_port()
    logfile = Path(tempfile.gettempdir()) / f"portal-{env['CACHE_KEY_PREFIX']}-gunicorn-{cache}.log"
    return start_gunicorn(env, port, logfile), f"http://127.0.0.1:{port}"


def throughput(base: str, sessions: dict, pages: list[Page], options, label: str) -> list[dict]:
    """The throughput loop for every page and role, the floor first and again last (the
    machine is shared: its requests/s is the mean of both readings)."""
    measure = {
        "seconds": options.seconds,
        "min_requests": options.min_requests,
        "max_requests": options.max_requests,
        "concurrency": options.concurrency,
    }
    rows: list[dict] = []
    total = sum(len(page.roles) for page in pages if page.kind != "pdf") + 1
    for page in pages:
        if page.kind == "pdf":
            continue
        for role in page.roles:
            result = measure_http(sessions[role], base + page.url, **measure)
            rows.append({"page": page.name, "role": role, "url": page.url, "kind": page.kind, **result})
            log(
                f"  {label} [{len(rows):2d}/{total}] {page.name:<22} {role:<9} HTTP {result['status']:<4}"
                f"{result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.0f} ms  p95 {result['p95_ms']:6.0f} ms  "
                f"{result['bytes'] / 1024:6.1f} KiB"
            )
    again = measure_http(sessions["anonymous"], base + FLOOR, **measure)
    log(f"  {label} [{total:2d}/{total}] floor again: {again['rps']:.1f} req/s")
    rows[0]["rps"] = (rows[0]["rps"] + again["rps"]) / 2
    rows[0]["requests"] += again["requests"]
    for row in rows:
        row["ratio"] = row["rps"] / rows[0]["rps"]
    return rows


def cold(base: str, sessions: dict, pages: list[Page], rows: list[dict], picked: dict, env: dict, options) -> float:
    """The cold measurements (see the module docstring) into `rows`; returns the floor's median
    single-request latency in ms, the reference of their ratios."""
    from django.test import override_settings

    from portal.settings import production

    with override_settings(CACHES=production.CACHES):  # the cache gunicorn uses: same Redis db and prefix
        writes = Writes([picked["busiest"], picked["other"]])
        floor = measure_single(sessions["anonymous"], base + FLOOR, runs=max(20, 4 * options.cold_runs))["ms"]
        log(f"  cold: the floor, one request at a time: {floor:.2f} ms (median)")
        before = versions(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
        writes.to(picked["other"])()
        after = versions(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
        changed = [key.decode() for key in after if after[key] != before.get(key)]
        if changed:
            log(f"  cold: a write changed {len(changed)} version key(s) in Redis, e.g. {changed[0]}")
        else:
            log("  cold: WARNING a write changed no '*version*' key in Redis: the cold numbers may be warm ones")
        by_name = {page.name: page for page in pages}
        for row in rows:
            page = by_name[row["page"]]
            if page.kind == "floor":
                continue
            session = sessions[row["role"]]
            kinds = [("elsewhere", picked["other"])] + ([("own", page.innovation)] if page.innovation else [])
            for name, slug in kinds:
                result = measure_single(
                    session, base + page.url, runs=options.cold_runs, before=lambda s=slug: writes.to(s)
                )
                row[f"cold_{name}_ms"] = result["ms"]
                row[f"cold_{name}_status"] = result["status"]
                row[f"cold_{name}_ratio"] = floor / result["ms"]
            log(
                f"  cold: {row['page']:<22} {row['role']:<9} after a write elsewhere {row['cold_elsewhere_ms']:8.1f} ms"
                + (f", to this one {row['cold_own_ms']:8.1f} ms" if "cold_own_ms" in row else "")
            )
    return floor


def pdfs(base: str, sessions: dict, pages: list[Page], env: dict, picked: dict, options) -> list[dict]:
    """Each PDF as each role: the time until the file is served after a write to its
    innovation, then again at once (a cached file, if the portal keeps one)."""
    from django.test import override_settings

    from portal.settings import production

    rows = []
    with override_settings(CACHES=production.CACHES):
        writes = Writes([picked["busiest"]])
        for page in pages:
            if page.kind != "pdf":
                continue
            for role in page.roles:
                get = http_getter(sessions[role], base)
                follow_to_pdf(get, page.url, timeout=options.pdf_timeout)  # this worker has imported WeasyPrint
                undo = writes.to(page.innovation)
                try:
                    first = follow_to_pdf(get, page.url, timeout=options.pdf_timeout)
                    again = follow_to_pdf(get, page.url, timeout=options.pdf_timeout)
                finally:
                    undo()
                rows.append(
                    {
                        "page": page.name,
                        "role": role,
                        "url": page.url,
                        "kind": "pdf",
                        "innovation": page.innovation,
                        "status": first["status"],
                        "seconds": first["seconds"],
                        "pdf_requests": first["requests"],
                        "again_seconds": again["seconds"],
                        "again_status": again["status"],
                        "bytes": first["bytes"],
                    }
                )
                log(
                    f"  PDF: {page.name:<22} {role:<9} {first['status']}: {first['seconds']:.2f} s after a write "
                    f"({first['requests']} request(s)), {again['seconds']:.2f} s again; {first['bytes'] / 1024:.0f} KiB"
                )
    return rows


# --- main ------------------------------------------------------------------------------------


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


def prepare(options, name: str) -> tuple[dict[str, str], dict[str, float]]:
    """The database, migrated and loaded (step 1), and the environment gunicorn runs in."""
    factor = options.factor
    static_root = str(Path(tempfile.gettempdir()) / f"portal-{name}-static")
    setup_log = Path(tempfile.gettempdir()) / f"portal-{name}-setup.log"
    timings: dict[str, float] = {}
    if options.reuse:
        database_url = f"{options.server}/{name}"
        log(f"Reusing database {name}")
    else:
        database_url = fresh_database(options.server, name)
    env = environment(name, database_url, static_root)
    setup_log.write_text("")
    manage = [sys.executable, "manage.py"]
    timings["migrate"] = step("Migrating", [*manage, "migrate", "--no-input", "-v0"], env, setup_log)
    if not options.reuse:
        timings["load_demo"] = step("Loading the demo (load_demo)", [*manage, "load_demo"], env, setup_log)
        if factor > 1:
            scale = [sys.executable, "bench/scale.py", "--factor", str(factor)]
            if options.max_pages is not None:
                scale += ["--max-pages", str(options.max_pages)]
            timings["scale"] = step(f"Scaling to factor {factor} (bench/scale.py)", scale, env, setup_log)
    timings["refresh_progress"] = step("Stored progress", [*manage, "refresh_progress"], env, setup_log)
    timings["collectstatic"] = step(
        "Collecting static files", [*manage, "collectstatic", "--no-input", "-v0"], env, setup_log, quiet=True
    )
    return env, timings


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
