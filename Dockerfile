# The portal's image: one image for the web, worker, scheduler and release services
# of docker-compose.yml. Compiled message catalogues are committed, so no gettext here.
FROM python:3.12-slim

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
# Static files are part of the image (WhiteNoise serves them, hashed and compressed).
# Production settings refuse to load without their variables; these placeholders only
# let collectstatic run and are not kept in the image's environment.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=https://build.invalid \
    EMAIL_URL=consolemail:// REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --no-input -v0

RUN useradd --system --uid 1000 --home /app portal \
    && mkdir -p /app/media /app/private-media && chown portal /app/media /app/private-media
USER portal

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"]
