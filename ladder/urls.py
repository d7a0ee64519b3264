from django.urls import path

from ladder import views

app_name = "ladder"

urlpatterns = [
    path("", views.ladder_index, name="index"),
    path("tracks/new/", views.track_create, name="track_create"),
    path("tracks/<int:track_id>/", views.track_edit, name="track_edit"),
    path("tracks/<int:track_id>/levels/new/", views.level_create, name="level_create"),
    path("levels/<int:level_id>/", views.level_edit, name="level_edit"),
    path("levels/<int:level_id>/move/", views.level_move, name="level_move"),
    path("me/", views.my_assessment, name="me"),
    path("me/start/", views.start, name="start"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/manager-view/", views.manager_view, name="manager_view"),
    path("assessments/<int:assessment_id>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("people/<str:username>/", views.person, name="person"),
]
