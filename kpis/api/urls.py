from django.urls import path

from kpis.api import dora_views, measurement_views, views

urlpatterns = [
    path("kpis/deployments/", views.deployments_ingest, name="api-kpi-deployments"),
    path("kpis/incidents/", views.incidents_ingest, name="api-kpi-incidents"),
    path("kpis/dora/", dora_views.dora, name="api-kpi-dora"),
    path("kpis/measurements/", measurement_views.measurements_ingest, name="api-kpi-measurements"),
    path("kpis/slo-windows/", measurement_views.slo_windows_ingest, name="api-kpi-slo-windows"),
    path("kpis/trends/", measurement_views.trends, name="api-kpi-trends"),
]
