from django.urls import path

from reviews import export_views, kpi_views, skill_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:review_id>/", views.review_detail, name="detail"),
    path("<int:review_id>/transitions/", views.review_transition_view, name="transition"),
    path("<int:review_id>/potential/", views.review_potential, name="potential"),
    path("<int:review_id>/skills/", skill_views.review_skills, name="skills"),
    path("<int:review_id>/packet/", export_views.review_packet_export, name="packet"),
    path("<int:review_id>/kpis/attach/", kpi_views.review_kpi_attach, name="kpi_attach"),
    path("<int:review_id>/kpis/detach/", kpi_views.review_kpi_detach, name="kpi_detach"),
    path(
        "<int:review_id>/ratings/<int:dimension_id>/<str:side>/",
        views.review_rating_field,
        name="rating",
    ),
]
