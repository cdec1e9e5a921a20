"""Production's settings for tests/production/test_outages.py, static files aside.

The pages link their stylesheets through the static files manifest, which only
`collectstatic` writes — a minute of compressing that test_stack.py already spends and
proves. The outage test is about Redis and PostgreSQL, so its pages name static files
unhashed instead; everything else is `portal.settings.production` as deployed.
"""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
