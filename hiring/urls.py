from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    path("", views.index, name="index"),
    path("openings/new/", views.opening_new, name="opening_new"),
    path("openings/<int:opening_id>/", views.opening_detail, name="opening"),
    path("openings/<int:opening_id>/state/", views.opening_state, name="opening_state"),
    path("openings/<int:opening_id>/candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:candidate_id>/stage/", views.candidate_stage, name="candidate_stage"),
    path("candidates/<int:candidate_id>/loop/default/", views.loop_default, name="loop_default"),
    path("candidates/<int:candidate_id>/interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<int:interview_id>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:interview_id>/remove/", views.interview_remove, name="interview_remove"),
    path("interviews/<int:interview_id>/scorecard/", views.scorecard, name="scorecard"),
    path("interviews/<int:interview_id>/scorecard/draft/", views.scorecard_draft, name="scorecard_draft"),
    path("candidates/<int:candidate_id>/debrief/", views.debrief, name="debrief"),
    path("candidates/<int:candidate_id>/debrief/pdf/", views.debrief_pdf, name="debrief_pdf"),
    path("calibration/", views.calibration, name="calibration"),
]
