"""WSGI entry point (gunicorn staffrole.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.production")

application = get_wsgi_application()
