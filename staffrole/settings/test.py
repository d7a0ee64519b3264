"""Settings for the test suite: fast hashing, in-memory mail, eager tasks unless a test runs a worker."""

import os

from staffrole.settings.base import *  # noqa: F403
from staffrole.settings.base import DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A worker process a test starts (tests/worker_process.py) sends the tasks it starts to the queue.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") == "true"
CELERY_TASK_EAGER_PROPAGATES = False
METRICS_PUBLIC = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process started by a test sees the same data.
    # STAFFROLE_TEST_DB names another file, for two suites run side by side in one checkout.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("STAFFROLE_TEST_DB", str(VAR_DIR / "test.sqlite3"))}
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise serves from here; tests never collect
