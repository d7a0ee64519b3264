# The staffrole image: gunicorn (web), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=staffrole.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PROMETHEUS_MULTIPROC_DIR=/data/metrics

# WeasyPrint renders PDFs with Pango and HarfBuzz; DejaVu is the fallback font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin staffrole

WORKDIR /app

# Dependencies first, from the runtime lock alone (`make lock`: the versions CI tested, with their hashes),
# so that a code change does not reinstall them and a rebuild installs exactly the same packages.
COPY requirements/runtime.txt /tmp/runtime.txt
RUN pip install --require-hashes -r /tmp/runtime.txt

COPY . .
RUN pip install --no-deps . \
    && SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var /data/media /data/metrics \
    && chown -R staffrole:staffrole /app/var /data/media /data/metrics

USER staffrole
EXPOSE 8000

# Every gunicorn worker writes its metrics to PROMETHEUS_MULTIPROC_DIR; /metrics adds them up (docs/adr/0021).
CMD ["gunicorn", "staffrole.wsgi:application", "--config", "python:staffrole.gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
