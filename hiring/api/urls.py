from django.urls import path

from hiring.api import views

urlpatterns = [
    path("hiring/openings/", views.opening_list, name="api-hiring-opening-list"),
    path("hiring/openings/<int:opening_id>/", views.opening_detail, name="api-hiring-opening-detail"),
    path("hiring/openings/<int:opening_id>/candidates/", views.candidate_create, name="api-hiring-candidate-create"),
    path(
        "hiring/candidates/<int:candidate_id>/interviews/", views.interview_create, name="api-hiring-interview-create"
    ),
    path("hiring/candidates/<int:candidate_id>/", views.candidate_detail, name="api-hiring-candidate-detail"),
    path("hiring/interviews/<int:interview_id>/scorecard/", views.scorecard_submit, name="api-hiring-scorecard-submit"),
    path("hiring/candidates/<int:candidate_id>/debrief/", views.debrief, name="api-hiring-debrief"),
    path("hiring/candidates/<int:candidate_id>/decisions/", views.decision_create, name="api-hiring-decision-create"),
    path("hiring/candidates/<int:candidate_id>/debrief/pdf/", views.debrief_pdf, name="api-hiring-debrief-pdf"),
    path("hiring/calibration/", views.calibration, name="api-hiring-calibration"),
    path("hiring/openings/<int:opening_id>/state/", views.opening_state, name="api-hiring-opening-state"),
    path("hiring/candidates/<int:candidate_id>/stage/", views.candidate_stage, name="api-hiring-candidate-stage"),
    path("hiring/candidates/<int:candidate_id>/loop/default/", views.loop_default, name="api-hiring-loop-default"),
    path("hiring/interviews/<int:interview_id>/", views.interview_detail, name="api-hiring-interview-detail"),
    path(
        "hiring/interviews/<int:interview_id>/scorecard/draft/",
        views.scorecard_draft,
        name="api-hiring-scorecard-draft",
    ),
]
