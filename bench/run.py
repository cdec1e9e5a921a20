"""`make bench`: every page against a bare Django view, served as in production.

    make bench                      # the demo data (factor 1)
    make bench BENCH_FACTOR=10      # the demo plus bench/scale.py --factor 10

What it does, in one run:

1. creates a fresh PostgreSQL database `bench_f<factor>` (dropping an older one of
   that name), migrates it, loads the demo and, for a factor above 1, runs the
   scale generator; collects the static files into a temporary directory;
2. serves it with gunicorn (`gunicorn.conf.py`, 2 workers, production settings
   through `bench.settings`, which adds the bare view `/bench/floor/`), Redis db 13;
3. signs in as member, donor and staff through `/accounts/login/` and requests each
   page as each role the page allows (every request carries the allowed Host and
   `X-Forwarded-Proto: https`, as the HTTPS proxy would): requests per second,
   p50/p95 latency, ratio to the floor's requests per second, response size;
4. stops gunicorn and measures, in this process with Django's test client against
   the same database, the queries and the peak memory (tracemalloc) of one request
   per page and role — gunicorn cannot report those;
5. writes `bench/results/latest.{md,csv}` and `bench/results/factor-<N>.{md,csv}`.

Speed is measured, not asserted: nothing here fails because a page is slow.
"""

import argparse
import csv
import datetime
import io
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
HOST = "bench.example.org"
SITE = f"https://{HOST}"
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
ROLES = ["anonymous", "member", "donor", "staff"]
LOGINS = {"member": "demo-member-2026", "donor": "demo-donor-2026", "staff": "demo-staff-2026"}
FLOOR = "/bench/floor/"

STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - STARTED:6.1f} s] {message}", flush=True)


# --- setting up ------------------------------------------------------------------------------


def environment(factor: int, database_url: str, static_root: str) -> dict[str, str]:
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
            "CACHE_KEY_PREFIX": f"bench-f{factor}",
            "SECURE_COOKIES": "false",  # requests.Session talks plain HTTP to gunicorn
            "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",  # no worker to run them
            "STATIC_ROOT": static_root,
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


def flush_cache(url: str, prefix: str) -> None:
    """Drop this run's keys from the bench Redis database (db 13), nothing else."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


SETUP_LOG = Path(tempfile.gettempdir()) / "portal-bench-setup.log"


def step(title: str, command: list[str], env: dict[str, str], quiet: bool = False) -> float:
    """Run one setup command; its stdout is shown (progress), its logging goes to SETUP_LOG."""
    log(title)
    started = time.perf_counter()
    output = subprocess.DEVNULL if quiet else None
    with SETUP_LOG.open("ab") as errors:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=errors)
    if result.returncode:
        sys.stderr.write(SETUP_LOG.read_text()[-4000:])
        raise SystemExit(f"{title} failed ({result.returncode}); the log is in {SETUP_LOG}")
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


# --- measuring over HTTP ---------------------------------------------------------------------


def session_for(base: str, role: str) -> requests.Session:
    session = requests.Session()
    session.headers.update(HEADERS)
    if role == "anonymous":
        return session
    login = f"{base}/accounts/login/"
    session.get(login).raise_for_status()
    response = session.post(
        login,
        data={
            "username": role,
            "password": LOGINS[role],
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            "next": "/",
        },
        headers={"Referer": f"{SITE}/accounts/login/"},
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"Could not sign in as {role}: HTTP {response.status_code}")
    return session


def measure_http(
    session: requests.Session, url: str, *, seconds: float, min_requests: int, max_requests: int, concurrency: int
) -> dict:
    """Warm up, then request `url` for about `seconds`: throughput, latency percentiles, size.

    Two warm-up requests (one when the page takes longer than `seconds`: at 10× some pages
    take many seconds, and a run must stay short), then at least `min_requests`.
    """
    started = time.perf_counter()
    session.get(url, allow_redirects=False)
    if time.perf_counter() - started < seconds:
        session.get(url, allow_redirects=False)
    latencies: list[float] = []
    sizes: list[int] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while True:
            with lock:
                done = len(latencies)
                if done >= max_requests or (done >= min_requests and time.perf_counter() > deadline):
                    return
            started = time.perf_counter()
            response = session.get(url, allow_redirects=False)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                sizes.append(len(response.content))
                statuses.add(response.status_code)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))] * 1000,
        "bytes": int(statistics.median(sizes)),
        "status": ",".join(str(status) for status in sorted(statuses)),
    }


# --- measuring in process --------------------------------------------------------------------


def _median_ms(client, url: str, headers: dict) -> float:
    times = []
    for _ in range(INPROCESS_RUNS):
        started = time.perf_counter()
        response = client.get(url, headers=headers, secure=True)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_inprocess(rows: list[dict], mode: str = "uncached") -> None:
    """Queries, peak Python memory and time of each page and role in one process (Django test
    client), the time as a multiple of the login page's (the bare page in that process).

    *uncached*: Django's dummy cache, nothing cached. *cached*: production's cache settings
    (Redis), warmed by one request per page, as in a running worker; only the time is kept
    (`cached_inprocess_ms`, `cached_ratio_to_login`)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User
    from portal.settings import production

    cached = mode == "cached"
    overrides = override_settings(CACHES=production.CACHES) if cached else override_settings()
    prefix = "cached_" if cached else ""
    with overrides:
        clients = {"anonymous": Client()}
        for role in LOGINS:
            clients[role] = Client()
            clients[role].force_login(
                User.objects.get(username=role), backend="django.contrib.auth.backends.ModelBackend"
            )
        headers = {"host": HOST, "x-forwarded-proto": "https"}
        login_ms = {}  # the login page as each role gets it: the same session and user lookups as its pages
        for role, client in clients.items():
            client.get(LOGIN, headers=headers, secure=True)
            login_ms[role] = _median_ms(client, LOGIN, headers)
            log(f"  {mode}: login page as {role} (the in-process floor): {login_ms[role]:.1f} ms")
        warmed = set()
        for row in rows:
            client = clients[row["role"]]
            if (row["url"], row["role"]) not in warmed:  # imports, templates (and the cache) warm
                client.get(row["url"], headers=headers, secure=True)
                warmed.add((row["url"], row["role"]))
            if not cached:
                tracemalloc.start()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(row["url"], headers=headers, secure=True)
                    if hasattr(response, "render") and not response.is_rendered:
                        response.render()
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                row["queries"] = len(queries)
                row["peak_mib"] = peak / 1024 / 1024
                row["inprocess_status"] = response.status_code
            row[f"{prefix}inprocess_ms"] = _median_ms(client, row["url"], headers)
            row[f"{prefix}ratio_to_login"] = row[f"{prefix}inprocess_ms"] / login_ms[row["role"]]
            log(
                f"  {mode}: {row['page']:<28} {row['role']:<9} {row.get('queries', 0):4d} queries  "
                f"{row[f'{prefix}inprocess_ms']:7.1f} ms ({row[f'{prefix}ratio_to_login']:.1f}× login)"
            )


def pick_urls() -> dict[str, str]:
    """The busiest public innovation and the survey round with the most submissions, from the database."""
    import django

    django.setup()
    from django.db.models import Count, Q

    from pilots.models import Innovation, Visibility
    from surveys.models import Round

    busiest = (
        Innovation.objects.filter(visibility=Visibility.PUBLIC)
        .annotate(n=Count("indicators__measurements"))
        .order_by("-n", "pk")
        .values_list("slug", "n")
        .first()
    )
    survey_round = (
        Round.objects.annotate(n=Count("invitations", filter=Q(invitations__status="submitted")))
        .order_by("-n", "-year", "-semester")
        .values_list("pk", "n")
        .first()
    )
    log(
        f"Busiest public innovation: {busiest[0]} ({busiest[1]:,} measurements); "
        f"round {survey_round[0]} ({survey_round[1]:,} submissions)"
    )
    return {"busiest": busiest[0], "round": str(survey_round[0])}


def pages(picked: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    everyone = ROLES
    return [
        ("floor (bare view)", FLOOR, ["anonymous"]),
        ("home", "/", everyone),
        ("innovation list", "/pilots/", everyone),
        ("busiest innovation", f"/pilots/{picked['busiest']}/", everyone),
        ("dashboard", "/pilots/dashboard/", everyone),
        ("list, off track", "/pilots/?progress=off_track", everyone),
        ("survey results", f"/surveys/rounds/{picked['round']}/results/", ["staff"]),
        ("research index", "/research/", everyone),
        ("search microseguros", "/search/?q=microseguros", everyone),
    ]


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


# --- reporting -------------------------------------------------------------------------------

COLUMNS = [
    "page",
    "role",
    "url",
    "status",
    "requests",
    "rps",
    "p50_ms",
    "p95_ms",
    "ratio_to_floor",
    "cached_status",
    "cached_rps",
    "cached_p50_ms",
    "cached_ratio_to_floor",
    "bytes",
    "queries",
    "peak_mib",
    "inprocess_ms",
    "ratio_to_login",
    "cached_inprocess_ms",
    "cached_ratio_to_login",
]
LOGIN = "/accounts/login/"
INPROCESS_RUNS = 7


def write_results(rows: list[dict], info: dict, data: dict, timings: dict, factor: int, options) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["factor", *COLUMNS], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        formatted = {"factor": factor, **row}
        for key in ("p50_ms", "p95_ms", "cached_p50_ms"):
            formatted[key] = f"{row[key]:.1f}"
        for key in ("rps", "cached_rps"):
            formatted[key] = f"{row[key]:.3f}"  # slow pages serve well under one request a second
        for key in ("ratio_to_floor", "cached_ratio_to_floor"):
            formatted[key] = f"{row[key]:.5f}"
        formatted["peak_mib"] = f"{row['peak_mib']:.2f}"
        for key in ("inprocess_ms", "cached_inprocess_ms"):
            formatted[key] = f"{row[key]:.1f}"
        for key in ("ratio_to_login", "cached_ratio_to_login"):
            formatted[key] = f"{row[key]:.2f}"
        writer.writerow(formatted)
    lines = [
        f"# Benchmark, factor {factor}",
        "",
        f"- Date: {info['date']}; code: {info['code']}",
        f"- Machine: {info['cpu']}; {info['os']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']}",
        "- Served by gunicorn (`gunicorn.conf.py`, 2 workers × 2 threads), `bench.settings` (production, DEBUG off), "
        f"client on the same machine, {options.concurrency} connection(s) at a time, ~{options.seconds:g} s per row "
        "and mode. *Uncached*: Django's dummy cache (nothing cached; sessions read from the database). "
        "*Cached*: production's Redis cache, warmed by two requests. Queries and peak Python memory (tracemalloc): "
        "one uncached request in process with Django's test client; *in-process ms*: the median of "
        f"{INPROCESS_RUNS} such requests, and *× login* that time over the login page's, for the same role, in "
        "the same process; *cached*: the same with production's Redis cache, warm, as in a running worker.",
        "- Data: " + ", ".join(f"{value:,} {name}" for name, value in data.items()),
        "- Setup: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()),
        "",
        "| page | role | req/s | p50 ms | p95 ms | × floor | cached req/s | cached × floor | KiB | queries "
        "| peak MiB | in-process ms | × login | cached in-process ms | cached × login |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        flag = "" if row["status"] == "200" else f" (HTTP {row['status']})"
        lines.append(
            f"| {row['page']}{flag} | {row['role']} | {row['rps']:.3g} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['ratio_to_floor']:.3g} | {row['cached_rps']:.3g} | {row['cached_ratio_to_floor']:.3g} "
            f"| {row['bytes'] / 1024:.1f} | {row['queries']} | {row['peak_mib']:.1f} "
            f"| {row['inprocess_ms']:.1f} | {row['ratio_to_login']:.1f} "
            f"| {row['cached_inprocess_ms']:.1f} | {row['cached_ratio_to_login']:.1f} |"
        )
    pages_only = [row for row in rows if row["url"] != FLOOR]
    slow = [row for row in pages_only if row["ratio_to_floor"] < 0.1]
    slow_cached = [
        row for row in pages_only if row["role"] in ("anonymous", "donor") and row["cached_ratio_to_floor"] < 0.5
    ]
    heavy = [row for row in pages_only if row["peak_mib"] >= 20]
    above_login = [row for row in pages_only if row["ratio_to_login"] > 8]
    above_login_cached = [row for row in pages_only if row["cached_ratio_to_login"] > 8]
    failed = [
        row
        for row in pages_only
        if row["status"] != "200" or row["cached_status"] != "200" or row["inprocess_status"] != 200
    ]
    slowest = min(pages_only, key=lambda row: row["rps"])

    def names(selected: list[dict]) -> str:
        return ", ".join(f"{row['page']} ({row['role']})" for row in selected) or "none"

    lines += [
        "",
        "Targets (the issue, at 10× data): every page ≥ 0.10 × the floor's requests/s uncached and, for "
        "anonymous and donor views, ≥ 0.5 × cached; peak memory per request under 20 MiB; at demo data, "
        "no page above 8 × the login page in process.",
        "",
        f"- Below 0.10 × floor uncached: {len(slow)} of {len(pages_only)} ({names(slow)}).",
        f"- Below 0.5 × floor cached (anonymous, donor): {len(slow_cached)} ({names(slow_cached)}).",
        *(
            [
                f"- Above 8 × the login page in process, uncached: {len(above_login)} ({names(above_login)}).",
                f"- Above 8 × the login page in process, cached: {len(above_login_cached)} "
                f"({names(above_login_cached)}).",
            ]
            if factor == 1
            else []
        ),
        f"- At or above 20 MiB: {names(heavy)}.",
        f"- Not HTTP 200: {names(failed)}.",
        f"- Slowest: {slowest['page']} ({slowest['role']}), {slowest['rps']:.1f} req/s, "
        f"p50 {slowest['p50_ms']:.0f} ms.",
        "",
    ]
    markdown = "\n".join(lines)
    for stem in ("latest", f"factor-{factor}"):
        (RESULTS / f"{stem}.csv").write_text(buffer.getvalue())
        (RESULTS / f"{stem}.md").write_text(markdown)
    return markdown


# --- main ------------------------------------------------------------------------------------


def serve_and_measure(env: dict[str, str], mode: str, plan: list, options) -> list[dict]:
    """One gunicorn run: every page and role allowed, with the floor measured first and last."""
    cache = "none" if mode == "uncached" else "redis"
    env = {**env, "BENCH_CACHE": cache}
    flush_cache(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
    port = free_port()
    logfile = Path(tempfile.gettempdir()) / f"portal-bench-gunicorn-{mode}.log"
    server = start_gunicorn(env, port, logfile)
    base = f"http://127.0.0.1:{port}"
    measure = {
        "seconds": options.seconds,
        "min_requests": options.min_requests,
        "max_requests": options.max_requests,
        "concurrency": options.concurrency,
    }
    rows: list[dict] = []
    try:
        sessions = {role: session_for(base, role) for role in ROLES}
        log(f"{mode}: signed in as member, donor and staff")
        total = sum(len(roles) for _page, _url, roles in plan) + 1
        done = 0
        for page, url, roles in plan:
            for role in roles:
                done += 1
                result = measure_http(sessions[role], base + url, **measure)
                rows.append({"page": page, "role": role, "url": url, **result})
                log(
                    f"  {mode} [{done:2d}/{total}] {page:<20} {role:<9} HTTP {result['status']:<4}"
                    f"{result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.0f} ms  p95 {result['p95_ms']:6.0f} ms  "
                    f"{result['bytes'] / 1024:6.1f} KiB"
                )
        # The floor again at the end: the machine is shared, so take the mean of both readings.
        again = measure_http(sessions["anonymous"], base + FLOOR, **measure)
        log(f"  {mode} [{total:2d}/{total}] floor again: {again['rps']:.1f} req/s")
        rows[0]["rps"] = (rows[0]["rps"] + again["rps"]) / 2
        rows[0]["requests"] += again["requests"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    for row in rows:
        row["ratio_to_floor"] = row["rps"] / rows[0]["rps"]
    return rows


def code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty.strip() else ''}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=int(os.environ.get("BENCH_FACTOR", 1)))
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each page, role and mode")
    parser.add_argument("--min-requests", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1, help="simultaneous connections (threads)")
    parser.add_argument("--max-pages", type=int, default=None, help="cap the generated research pages")
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench_f<N> database (no rebuild)")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (the bench creates its own database there)",
    )
    options = parser.parse_args()
    factor = options.factor
    name = f"bench_f{factor}"
    static_root = str(Path(tempfile.gettempdir()) / "portal-bench-static")
    timings: dict[str, float] = {}

    if options.reuse:
        database_url = f"{options.server}/{name}"
        log(f"Reusing database {name}")
    else:
        database_url = fresh_database(options.server, name)
    env = environment(factor, database_url, static_root)
    SETUP_LOG.write_text("")
    manage = [sys.executable, "manage.py"]
    timings["migrate"] = step("Migrating", [*manage, "migrate", "--no-input", "-v0"], env)
    if not options.reuse:
        timings["load_demo"] = step("Loading the demo (load_demo)", [*manage, "load_demo"], env)
        if factor > 1:
            scale = [sys.executable, "bench/scale.py", "--factor", str(factor)]
            if options.max_pages is not None:
                scale += ["--max-pages", str(options.max_pages)]
            timings["scale"] = step(f"Scaling to factor {factor} (bench/scale.py)", scale, env)
    timings["refresh_progress"] = step("Stored progress", [*manage, "refresh_progress"], env)
    timings["collectstatic"] = step(
        "Collecting static files", [*manage, "collectstatic", "--no-input", "-v0"], env, quiet=True
    )

    # This process reads the database with the uncached settings (for the in-process measurements).
    os.environ.update({**env, "BENCH_CACHE": "none"})
    picked = pick_urls()
    data = counts()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info = {**machine(cursor.fetchone()[0]), "code": code_version()}
    connection.close()  # gunicorn gets the database to itself while it is measured

    plan = pages(picked)
    rows = serve_and_measure(env, "uncached", plan, options)
    cached = serve_and_measure(env, "cached", plan, options)
    for row, warm in zip(rows, cached, strict=True):
        row["cached_status"] = warm["status"]
        row["cached_rps"] = warm["rps"]
        row["cached_p50_ms"] = warm["p50_ms"]
        row["cached_ratio_to_floor"] = warm["ratio_to_floor"]

    log("Queries, peak memory and time, in process (uncached, then with production's cache, warm)")
    measure_inprocess(rows, "uncached")
    measure_inprocess(rows, "cached")
    markdown = write_results(rows, info, data, timings, factor, options)
    print()
    print(markdown)
    log(
        f"Wrote bench/results/latest.md and latest.csv (and factor-{factor}.*) in {time.perf_counter() - STARTED:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
