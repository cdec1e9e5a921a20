"""Production: no fallback secrets; refuse to start when something is missing.

Every value comes from the environment; `.env.example` lists them all and
docs/deployment.md explains the stack (gunicorn behind an HTTPS proxy, PostgreSQL,
Elasticsearch, Redis, the task worker and the scheduler).
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    DATABASES,
    ELASTICSEARCH_URL,
    MEDIA_ROOT,
    PRIVATE_MEDIA_ROOT,
    SEARCH_ENGINE,
    SECRET_KEY,
    SITE_URL,
    env,
)

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
if urlsplit(SITE_URL).scheme != "https" or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(
        "SITE_URL must be set in production to the portal's public address, e.g. https://portal.example.org: "
        "links in e-mails and feeds are built from it."
    )
if SEARCH_ENGINE == "elasticsearch" and not ELASTICSEARCH_URL:
    raise ImproperlyConfigured("SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL.")

if not env("EMAIL_URL", default=""):
    raise ImproperlyConfigured("E-mail is enabled in production: set EMAIL_URL (smtp://user:password@host:587).")
_email = env.email("EMAIL_URL")
if _email["EMAIL_BACKEND"].endswith(".smtp.EmailBackend"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email["EMAIL_HOST_USER"],
                "password": _email["EMAIL_HOST_PASSWORD"],
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
                # an e-mail task waits at most this long on the SMTP server: well under TASK_LEASE_SECONDS
                "timeout": env.int("EMAIL_TIMEOUT", default=60),
            },
        }
    }
else:
    # consolemail:// or filemail:///path (a staging machine that must not send real mail).
    MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
    if _email["EMAIL_BACKEND"].endswith(".filebased.EmailBackend"):
        MAILERS["default"]["OPTIONS"] = {"file_path": "/" + _email["EMAIL_FILE_PATH"].lstrip("/")}

if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured("Production caches in Redis: set REDIS_URL (redis://host:6379/0).")
# The cache only accelerates: with Redis down or hung, pages are served uncached (one warning
# per outage) and Redis is not called again for a few seconds (portal/cache_backends.py).
CACHES = {
    "default": {
        "BACKEND": "portal.cache_backends.ResilientRedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
        # what one call may cost when Redis is unreachable or hung, in seconds
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# Sessions in the database only: a sign-out must hold even if its cache delete was dropped
# during a Redis outage, and signing in must not depend on Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# An unreachable database costs a request at most this many seconds before its 503 "temporarily
# unavailable" (portal/unavailable.py), not the system's TCP timeout; DATABASE_URL's
# `?connect_timeout=` overrides it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# A web worker keeps its database connection between requests (checked before reuse): opening
# one cost a warm signed-in page about a fifth of its time on the benchmark's machine.
# gunicorn.conf.py sets DB_CONN_MAX_AGE=60 for the web; other processes (the task worker, the
# scheduler, management commands) open and close theirs as before.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The proxy serves MEDIA_ROOT to anyone under /media/ (deploy/Caddyfile): the private attachments,
# read only through the portal's views, must live elsewhere.
if not env("MEDIA_S3_BUCKET", default="") and Path(PRIVATE_MEDIA_ROOT).resolve().is_relative_to(
    Path(MEDIA_ROOT).resolve()
):
    raise ImproperlyConfigured(
        "PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT: everything in MEDIA_ROOT is public under /media/."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("MEDIA_S3_BUCKET", default=""):
    # Media on object storage, shared by several web containers: `pip install django-storages[s3]`.
    try:
        import storages  # noqa: F401
    except ImportError as error:
        raise ImproperlyConfigured("MEDIA_S3_BUCKET is set: install django-storages[s3].") from error
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Private files in the same bucket under their own prefix, read only through the portal's views.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": "private", "custom_domain": None},
    }

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address (sign-in throttle): how many proxies stand in front of gunicorn, each putting
# the address it received the connection from as X-Forwarded-For's right-most entry (the contract
# in docs/deployment.md; portal/client_address.py reads it). 0 ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more: the proxies in front of gunicorn.")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "django.tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
