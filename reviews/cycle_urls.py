from django.urls import path

from reviews import cycle_views

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
]
