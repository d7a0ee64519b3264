"""Settings for running on a developer's machine (`make run`)."""

from staffrole.settings.base import *  # noqa: F403
from staffrole.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
