# The portal's image: one image for the web, worker, scheduler and release services
# of docker-compose.yml. Compiled message catalogues are committed, so no gettext here.
# Python 3.13 is the portal's minimum (numpy-financial 1.1.0 requires it); pinned to a patch
# release on Debian 12 so a rebuild gets the same interpreter. scripts/check-python-pins (CI)
# checks this version against every pin's Requires-Python.
FROM python:3.13.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production

# Pango and a font for WeasyPrint (period reports as PDF).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 1000 --home /app portal \
    && mkdir -p /app/media /app/private-media /app/staticfiles \
    && chown portal /app/media /app/private-media /app/staticfiles
USER portal

# Static files are part of the image, hashed and compressed, and owned by `portal`:
# docker-compose.yml puts them on the `static` volume, which the proxy serves and the
# `release` service refreshes on every deploy (WhiteNoise serves them without a proxy).
# Production settings refuse to load without their variables; these placeholders only
# let collectstatic run and are not kept in the image's environment.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=https://build.invalid \
    EMAIL_URL=consolemail:// REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --no-input -v0

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"]
