"""Local development: debug on, a throwaway secret, everything embedded."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

# One cache for every process of the checkout: the server, `run_scheduler` and any management
# command (`publish_scheduled`, `load_demo`) bump the same data version, so a page a command
# changed is never served stale from the server's memory (portal/cache.py). Files under the
# project (git-ignored, created on first use): nothing to install or create for a newcomer.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("DEV_CACHE_DIR", default=str(BASE_DIR / ".cache" / "django")),
        "KEY_PREFIX": "portal",
        # Past this many files a third are dropped at random; losing the data version only
        # retires every cached page (a fresh version), never serves a stale one.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
