"""Settings shared by every environment.

Values come from the environment (django-environ); `.env.example` lists them.
The embedded defaults (SQLite, the Wagtail database search backend, e-mail to
the console) need no configuration at all.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "portal.accounts",
    "portal.search",
    "portal.background",  # before django_tasks_db: its db_worker requeues stale tasks first
    "portal.emails",
    "pilots",
    "research",
    "surveys",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",  # who changed what in the tracker, and when (pilots.history)
]

MIDDLEWARE = [
    "portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The database unreachable: a bilingual 503 with Retry-After, not a 500 (portal/unavailable.py).
    "portal.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # the user behind each historical record
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Spanish first: most users of the portal work in Spanish.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "portal" / "locale",
    # Spanish for what third-party packages leave untranslated (kept by hand, not extracted).
    BASE_DIR / "portal" / "locale_thirdparty",
]
TIME_ZONE = env("TIME_ZONE", default="America/Guayaquil")
USE_I18N = True
# Spanish separates thousands with a point here ("18.500"); see portal/numbers.py for the rule
# that reads and writes every number the portal shows or takes.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True

# django-filter: a menu that filters nothing says so in the reader's language (not "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Files only some people may read (MFIs' report attachments): outside MEDIA_ROOT, served by
# views that check who asks.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Portal de innovación"
# The one public address of the portal: links in e-mails and feeds are built from it, never
# from a request. Development and tests give it a local default; production requires it.
SITE_URL = env("SITE_URL", default="").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to a third party from the admin

# The progress rule (pilots/selectors/status.py): an indicator whose latest figure is older than this
# many months is "no recent data" instead of being judged by a projection from it.
PILOTS_RECENT_DATA_MONTHS = env.int("PILOTS_RECENT_DATA_MONTHS", default=12)

# Members' semiannual financial reports (pilots/benchmarking/reminders.py): a reminder goes out this
# many days after a semester ends without a submitted report; from BENCHMARKING_FIRST_SEMESTER
# ("2026-1") on every member is reminded, before it only those that have reported before.
BENCHMARKING_DAYS_TO_REPORT = env.int("BENCHMARKING_DAYS_TO_REPORT", default=30)
BENCHMARKING_FIRST_SEMESTER = env("BENCHMARKING_FIRST_SEMESTER", default="")

# Site search (portal.search): the database engine by default (its own SQL over the knowledge
# table); SEARCH_ENGINE=elasticsearch switches to Elasticsearch. Wagtail's backend below serves
# the admin's page search only.
SEARCH_ENGINE = env("SEARCH_ENGINE", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
if SEARCH_ENGINE == "elasticsearch":
    # Wagtail's own backend (admin page search); the site search uses portal.search's knowledge index.
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX": env("ELASTICSEARCH_INDEX_PREFIX", default="portal"),
        "TIMEOUT": 10,
    }
ELASTICSEARCH_KNOWLEDGE_INDEX = env("ELASTICSEARCH_KNOWLEDGE_INDEX", default="portal-knowledge")
# OpenSearch-compatible servers refuse Elasticsearch 8's compatibility media type: plain JSON
ELASTICSEARCH_PLAIN_JSON = env.bool("ELASTICSEARCH_PLAIN_JSON", default=False)

# Background work runs through Django's tasks framework.
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")},
}
# A task RUNNING for longer than this lost its worker and is queued again (portal.background,
# docs/tasks.md): keep it well above the longest task (an e-mail waits at most EMAIL_TIMEOUT).
TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", default=900)
# A task whose worker died this many times while running it is marked failed, not requeued.
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)

MAILERS = {
    "default": {"BACKEND": env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")},
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@example.org")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"},
}

# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one client address, that account cannot sign in from that address (on the portal or the Wagtail
# admin) for AXES_COOLOFF_TIME, whatever the password. Only the pair locks: a lock on the account
# alone, or on the address alone, would let anyone lock a member out, or everyone behind a shared
# address (docs/deployment.md weighs what this leaves to other defences). A successful sign-in
# resets the pair's count. Lockouts are logged (logger "axes").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a list in a list: the combination
# The client address: X-Forwarded-For's entry written by the farthest of TRUSTED_PROXY_COUNT
# proxies, else the connection's own (portal/client_address.py). No proxy outside production.
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.accounts.views.throttled_username"
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and the address; passwords are never logged

# Content-Security-Policy (Django's own middleware). No inline scripts anywhere: chart data
# travels in <script type="application/json"> blocks that static/js/charts.js reads. Plotly
# sets inline styles on the SVG it draws, hence 'unsafe-inline' for styles only. The Wagtail
# admin gets its own, looser policy (portal.middleware).
# The JSON API (/api/v1/): read-only, the pages' visibility rules; a session (the portal's own
# sign-in) or a token (`manage.py drf_create_token <username>`, sent as "Authorization: Token ...").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # first: a bad token is a 401 that says so
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.Pages",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Decimals as JSON numbers, declared so in the schema (SPECTACULAR_SETTINGS' description).
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Innovation portal API",
    "DESCRIPTION": "Read-only: innovations, their indicators against targets, milestones and funding, "
    "the demand survey's aggregated results (never a member's answers), "
    "and the members' peer bulletin (ratio quartiles per peer group, no institution named), "
    "with the portal's visibility rules. Texts in Spanish or English by Accept-Language.\n\n"
    "Every number is a JSON number, decimals too (targets, actuals, amounts, percentages), rounded "
    "as the portal's pages round them: an actual to one decimal for percentages and days and to two "
    "for counts and money, progress and shares to one decimal. Dates are ISO 8601 strings.\n\n"
    "Filters work like the list's filter form: an empty value means any; an id or a country code "
    "that names nothing gives an empty list; a value of the wrong shape is a 400 that names the filter.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["portal.api_schema.only_the_portal_api"],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from static files: nothing from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
SECURE_CSP_ADMIN = SECURE_CSP | {
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "frame-src": [CSP.SELF, "https:"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
