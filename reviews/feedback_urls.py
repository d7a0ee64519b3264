from django.urls import path

from reviews import feedback_views

app_name = "feedback"

urlpatterns = [
    path("", feedback_views.feedback_inbox, name="inbox"),
    path("<int:request_id>/", feedback_views.feedback_answer, name="answer"),
    path("<int:request_id>/approve/", feedback_views.feedback_approve, name="approve"),
    path("<int:request_id>/decline/", feedback_views.feedback_decline, name="decline"),
    path("review/<int:review_id>/", feedback_views.feedback_review, name="review"),
]
