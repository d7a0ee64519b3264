"""Production settings served over plain HTTP on 127.0.0.1, for the load test and the benchmarks.

Everything that makes production production (DEBUG off, the JSON log, the database connection kept
between requests, Redis as cache and broker) stays; only what needs TLS in front is relaxed: no
redirect to HTTPS, no HSTS, cookies sent over HTTP. Static files are not requested by the load, so
they are named as in development (no manifest from collectstatic is needed).

    DJANGO_SETTINGS_MODULE=loopback_settings gunicorn --pythonpath bench staffrole.wsgi:application
"""

from staffrole.settings.production import *  # noqa: F403
from staffrole.settings.production import STORAGES

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
