from django.urls import path

from reviews.api import calibration_views, cycle_views, export_views, views

urlpatterns = [
    path("reviews/", views.review_list, name="api-review-list"),
    path("reviews/<int:review_id>/", views.review_detail, name="api-review-detail"),
    path("reviews/<int:review_id>/ratings/", views.review_ratings, name="api-review-ratings"),
    path("reviews/<int:review_id>/transitions/", views.review_transitions, name="api-review-transitions"),
    path("reviews/<int:review_id>/calibration/", views.review_calibration, name="api-review-calibration"),
    path("reviews/<int:review_id>/reassign/", views.review_reassign, name="api-review-reassign"),
    path("reviews/<int:review_id>/skills/", views.review_skills, name="api-review-skills"),
    path("reviews/<int:review_id>/packet/", export_views.review_packet, name="api-review-packet"),
    path(
        "cycles/<int:cycle_id>/calibration-export/",
        export_views.calibration_export,
        name="api-cycle-calibration-export",
    ),
    path(
        "cycles/<int:cycle_id>/calibration/accept/",
        calibration_views.calibration_accept,
        name="api-cycle-calibration-accept",
    ),
    path("cycles/<int:cycle_id>/packets-export/", export_views.review_packets_export, name="api-cycle-packets-export"),
    path("cycles/", cycle_views.cycle_list, name="api-cycle-list"),
    path("cycles/<int:cycle_id>/", cycle_views.cycle_detail, name="api-cycle-detail"),
    path("cycles/<int:cycle_id>/open/", cycle_views.cycle_open, name="api-cycle-open"),
    path("cycles/<int:cycle_id>/advance/", cycle_views.cycle_advance, name="api-cycle-advance"),
    path("cycles/<int:cycle_id>/close/", cycle_views.cycle_close, name="api-cycle-close"),
]
