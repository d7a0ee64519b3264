from django.urls import path

from kpis import measurement_views, views

app_name = "kpis"

urlpatterns = [
    path("", views.team_list, name="teams"),
    path("teams/<slug:team>/", views.team_dashboard, name="team"),
    path("measurements/upload/", measurement_views.measurements_upload, name="measurements_upload"),
    path("measurements/sample.csv", measurement_views.measurements_sample, name="measurements_sample"),
]
