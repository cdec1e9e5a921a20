"""gunicorn settings for the portal (docker-compose.yml's `web`, and CI's production smoke test).

Sync workers with a few threads each: pages are short database-bound requests; PDF and
export downloads are the slow ones, hence the timeout. Each worker is recycled after
`max_requests` so that memory cannot creep up over weeks.
"""

import multiprocessing
import os

# Web workers keep their database connection between requests (portal.settings.production
# reads it; the task worker and the scheduler, which manage their own connections, do not).
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
max_requests = 1000
max_requests_jitter = 100
# The HTTPS proxy in front sets X-Forwarded-Proto/For; trust it (only the proxy can reach gunicorn).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
