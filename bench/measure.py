"""How `bench/run.py` measures: over HTTP (the throughput loop, single requests after a write,
a PDF followed until its file is served), the writes it makes in its own process, and the
queries and peak memory of a request in process (Django's test client)."""

import html
import re
import statistics
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import requests

HOST = "bench.example.org"
SITE = f"https://{HOST}"
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
ROLES = ["anonymous", "member", "donor", "staff"]
LOGINS = {"member": "demo-member-2026", "donor": "demo-donor-2026", "staff": "demo-staff-2026"}
FLOOR = "/bench/floor/"
LOGIN = "/accounts/login/"
PDF_POLL = 0.25  # at most this long between a "rendering…" page and its next request, in seconds

STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - STARTED:6.1f} s] {message}", flush=True)


# --- over HTTP ---------------------------------------------------------------------


def session_for(base: str, role: str) -> requests.Session:
    session = requests.Session()
    session.headers.update(HEADERS)
    if role == "anonymous":
        return session
    login = f"{base}{LOGIN}"
    session.get(login).raise_for_status()
    response = session.post(
        login,
        data={
            "username": role,
            "password": LOGINS[role],
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            "next": "/",
        },
        headers={"Referer": f"{SITE}{LOGIN}"},
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


def measure_single(session: requests.Session, url: str, *, runs: int, before=None) -> dict:
    """`runs` single requests, one at a time, each after `before()` (a write; it returns what
    undoes it, called after the request): the median latency and the statuses."""
    latencies: list[float] = []
    statuses: set[int] = set()
    for _ in range(runs):
        undo = before() if before else None
        try:
            started = time.perf_counter()
            response = session.get(url, allow_redirects=False)
            latencies.append(time.perf_counter() - started)
            statuses.add(response.status_code)
        finally:
            if undo:
                undo()
    return {
        "ms": statistics.median(latencies) * 1000,
        "status": ",".join(str(status) for status in sorted(statuses)),
    }


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CONTENT = re.compile(r"""content\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def refresh_target(headers, body: bytes) -> tuple[float, str] | None:
    """A "rendering…" page's next step: (delay in seconds, address or "" for the same page),
    from a `Refresh` header or a `<meta http-equiv="refresh">`; None when it has neither."""
    value = headers.get("Refresh")
    if not value:
        for tag in _META.findall(body[:50_000].decode(errors="replace")):
            if re.search(r"http-equiv\s*=\s*[\"']?refresh", tag, re.IGNORECASE):
                content = _CONTENT.search(tag)
                value = html.unescape(content[2]) if content else "0"
                break
    if not value:
        return None
    delay, _, rest = value.partition(";")
    rest = rest.strip()
    link = rest[4:].strip().strip("'\"") if rest.lower().startswith("url=") else ""
    try:
        return float(delay.strip() or 0), link
    except ValueError:
        return 0.0, link


def local(link: str, current: str) -> str:
    """`link` (absolute, or relative to `current`) as a path and query on this server."""
    parts = urlsplit(urljoin(SITE + current, link))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow_to_pdf(get, url: str, *, timeout: float) -> dict:
    """Request `url` with `get(path) -> (status, headers, body)` and follow redirects and
    refreshing "rendering…" pages until a PDF is served: seconds, size, requests made."""
    started = time.perf_counter()
    current, made = url, 0
    while True:
        status, headers, body = get(current)
        made += 1
        content_type = headers.get("Content-Type", "").split(";")[0].strip()
        elapsed = time.perf_counter() - started
        if status == 200 and content_type == "application/pdf":
            return {"seconds": elapsed, "bytes": len(body), "status": "200", "requests": made}
        failed = {"seconds": elapsed, "bytes": len(body), "status": f"{status} {content_type}", "requests": made}
        if status in (301, 302, 303, 307, 308) and headers.get("Location"):
            current = local(headers["Location"], current)
        elif status < 400 and (target := refresh_target(headers, body)):
            delay, link = target
            time.sleep(min(delay, PDF_POLL))
            current = local(link, current) if link else current
        else:
            return failed
        if time.perf_counter() - started > timeout:
            return {**failed, "status": f"{failed['status']} (gave up after {timeout:g} s)"}


def http_getter(session: requests.Session, base: str):
    def get(path: str):
        response = session.get(base + path, allow_redirects=False)
        return response.status_code, response.headers, response.content

    return get


# --- writes, in this process -----------------------------------------------------------------


class Writes:
    """Real writes through the services, made in this process while gunicorn serves, with
    production's cache settings (the same Redis database and key prefix): one measurement,
    a copy of the innovation's latest, recorded before a cold request and deleted after it,
    so the data the pages show stays what it was."""

    SOURCE = "bench: a write before a cold request"

    def __init__(self, slugs: list[str]):
        from pilots.models import Measurement
        from portal.accounts.models import User

        self.staff = User.objects.get(username="staff")
        self.latest = {}
        for slug in slugs:
            latest = (
                Measurement.objects.filter(indicator__innovation__slug=slug)
                .select_related("indicator__innovation", "participation")
                .order_by("-measured_on", "-pk")
                .first()
            )
            if latest is None:
                raise SystemExit(f"Innovation {slug} has no measurement to copy for the cold writes")
            self.latest[slug] = latest

    def to(self, slug: str):
        """The write to `slug`'s innovation; returns what undoes it."""
        from pilots.reporting.services import measurement_delete
        from pilots.services import measurement_record

        latest = self.latest[slug]
        measurement = measurement_record(
            indicator=latest.indicator,
            measured_on=latest.measured_on,
            value=latest.value,
            source=self.SOURCE,
            user=self.staff,
            participation=latest.participation,
            numerator=latest.numerator,
            denominator=latest.denominator,
            confirm_override=True,
        )

        def undo() -> None:
            measurement_delete(measurement=measurement, user=self.staff, reason="bench: undo the cold-cache write")

        return undo


# --- measuring in process --------------------------------------------------------------------


def _client_getter(client, headers: dict):
    def get(path: str):
        response = client.get(path, headers=headers, secure=True)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response, body

    return get


def measure_inprocess(rows: list[dict], *, runs: int, pdf_timeout: float, writes_for=None) -> None:
    """Queries, peak Python memory and time of each page and role in one process (Django test
    client, Django's dummy cache: nothing cached, the cold path at its worst). The PDFs are
    followed through their "rendering…" pages, with production's cache (where a rendered file
    may wait for its next request) after a write to their innovation (`writes_for(slug)`
    returns what undoes it); their peak covers every request to the file."""
    from contextlib import nullcontext

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User
    from portal.settings import production

    clients = {"anonymous": Client()}
    for role in LOGINS:
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=role), backend="django.contrib.auth.backends.ModelBackend")
    headers = {"host": HOST, "x-forwarded-proto": "https"}
    warmed = set()
    for row in rows:
        get = _client_getter(clients[row["role"]], headers)
        pdf = row["kind"] == "pdf"
        if (row["url"], row["role"]) not in warmed and not pdf:  # imports and templates warm
            get(row["url"])
            warmed.add((row["url"], row["role"]))
        with override_settings(CACHES=production.CACHES) if pdf else nullcontext():
            if pdf and "pdf" not in warmed:  # WeasyPrint's imports and fonts, once
                follow_to_pdf(get, row["url"], timeout=pdf_timeout)
                warmed.add("pdf")
            undo = writes_for(row["innovation"]) if pdf and writes_for else None
            tracemalloc.start()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                if pdf:
                    status = follow_to_pdf(get, row["url"], timeout=pdf_timeout)["status"]
                else:
                    status = str(get(row["url"])[0])
            elapsed = (time.perf_counter() - started) * 1000
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            if undo:
                undo()
        row["queries"] = len(queries)
        row["peak_mib"] = peak / 1024 / 1024
        row["inprocess_status"] = status
        times = [elapsed]
        if not pdf:
            for _ in range(runs - 1):
                started = time.perf_counter()
                get(row["url"])
                times.append((time.perf_counter() - started) * 1000)
        row["inprocess_ms"] = statistics.median(times)
        log(
            f"  in process: {row['page']:<28} {row['role']:<9} {status:<4} {row['queries']:4d} queries  "
            f"{row['peak_mib']:5.1f} MiB  {row['inprocess_ms']:8.1f} ms"
        )
