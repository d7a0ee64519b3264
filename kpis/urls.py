from django.urls import path

from kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.team_list, name="teams"),
    path("teams/<slug:team>/", views.team_dashboard, name="team"),
]
