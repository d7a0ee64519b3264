from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from org import signals  # noqa: F401 - login and refusal events
