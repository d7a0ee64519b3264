from django.urls import path

from reviews import calibration_views, cycle_views, export_views

app_name = "cycles"

urlpatterns = [
    path("", cycle_views.cycle_list, name="list"),
    path("new/", cycle_views.cycle_new, name="new"),
    path("<int:cycle_id>/", cycle_views.cycle_detail, name="detail"),
    path("<int:cycle_id>/open/", cycle_views.cycle_open, name="open"),
    path("<int:cycle_id>/advance/", cycle_views.cycle_advance, name="advance"),
    path("<int:cycle_id>/close/", cycle_views.cycle_close, name="close"),
    path("<int:cycle_id>/enrol/", cycle_views.cycle_enrol, name="enrol"),
    path("<int:cycle_id>/reassign/", cycle_views.cycle_reassign, name="reassign"),
    path("<int:cycle_id>/calibration/", calibration_views.calibration_page, name="calibration"),
    path("<int:cycle_id>/calibration/accept/", calibration_views.calibration_accept, name="calibration-accept"),
    path(
        "<int:cycle_id>/calibration/<int:review_id>/",
        calibration_views.calibration_adjust,
        name="calibration-adjust",
    ),
    path("<int:cycle_id>/calibration/export/", export_views.calibration_export, name="calibration-export"),
    path("<int:cycle_id>/calibration/packets/", export_views.review_packets_export, name="calibration-packets"),
]
