from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    path("", views.index, name="index"),
    path("openings/<int:opening_id>/", views.opening_detail, name="opening"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("interviews/<int:interview_id>/scorecard/", views.scorecard, name="scorecard"),
    path("candidates/<int:candidate_id>/debrief/", views.debrief, name="debrief"),
    path("candidates/<int:candidate_id>/debrief/pdf/", views.debrief_pdf, name="debrief_pdf"),
    path("calibration/", views.calibration, name="calibration"),
]
