"""One gunicorn run of `bench/run.py` (step 3 of its docstring): gunicorn serving this run's
cache, the throughput loop (warm), the cold requests after a write elsewhere and to the page's
own innovation, and the time until each PDF is served.
"""

import tempfile
from pathlib import Path

from bench.measure import FLOOR, Writes, follow_to_pdf, http_getter, log, measure_http, measure_single
from bench.pages import Page
from bench.server import flush_cache, free_port, start_gunicorn, versions


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
    """The cold measurements (step 3 of `bench/run.py`'s docstring) into `rows`; returns the floor's median
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
