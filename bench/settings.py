"""Settings for the benchmark: production, plus a bare view to measure the floor (and a cache switch).

`portal.settings.production` unchanged (so the middleware, cache, sessions and
templates are what production runs), with ROOT_URLCONF pointing at `bench/urls.py`,
which serves the portal and `/bench/floor/`. The environment must carry what
production asks for (SECRET_KEY, ALLOWED_HOSTS, SITE_URL, EMAIL_URL, REDIS_URL);
`bench/run.py` sets it.
"""

from portal.settings.base import env
from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# `make bench` measures every page twice: with the cache off (the target is for
# uncached pages) and with production's Redis cache, warm.
if env("BENCH_CACHE", default="redis") == "none":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
