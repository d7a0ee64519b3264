from django.urls import path

from ladder.api import views

urlpatterns = [
    path("ladder/tracks/", views.track_list, name="api-ladder-track-list"),
    path("ladder/tracks/<int:track_id>/", views.track_detail, name="api-ladder-track-detail"),
    path("ladder/tracks/<int:track_id>/levels/", views.level_create, name="api-ladder-level-create"),
    path("ladder/levels/<int:level_id>/", views.level_detail, name="api-ladder-level-detail"),
    path("ladder/assessments/", views.assessment_list, name="api-ladder-assessment-list"),
    path("ladder/assessments/<int:assessment_id>/", views.assessment_detail, name="api-ladder-assessment-detail"),
    path(
        "ladder/assessments/<int:assessment_id>/submit/", views.assessment_submit, name="api-ladder-assessment-submit"
    ),
    path(
        "ladder/assessments/<int:assessment_id>/manager-view/",
        views.assessment_manager_view,
        name="api-ladder-assessment-manager-view",
    ),
    path("ladder/assessments/<int:assessment_id>/pdf/", views.assessment_pdf, name="api-ladder-assessment-pdf"),
]
