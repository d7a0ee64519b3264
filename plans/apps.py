from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "30/60/90 plans"
