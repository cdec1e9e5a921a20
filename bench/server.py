"""Setting up a throw-away deployment for `bench/run.py`: the fresh PostgreSQL database,
migrated and loaded (step 1 of `bench/run.py`'s docstring), the environment production
settings need, this run's keys in the bench Redis, and gunicorn started and stopped.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests

from bench.measure import FLOOR, HEADERS, HOST, SITE, log

ROOT = Path(__file__).resolve().parent.parent


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


def prepare(options, name: str) -> tuple[dict[str, str], dict[str, float]]:
    """The database, migrated and loaded (step 1 of `bench/run.py`'s docstring), and the
    environment gunicorn runs in."""
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
