from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Load the Celery app with Django, so that tasks bind to it; staffrole/__init__.py stays empty
        # so that importing the package never chooses a settings module for wsgi.py.
        import staffrole.celery  # noqa: F401
