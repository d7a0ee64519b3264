from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/goals/add/", views.goal_add, name="goal_add"),
    path("<int:plan_id>/goals/<int:goal_id>/", views.goal_update, name="goal_update"),
    path("<int:plan_id>/goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("<int:plan_id>/goals/<int:goal_id>/remove/", views.goal_remove, name="goal_remove"),
    path("<int:plan_id>/indicators/<int:indicator_id>/", views.indicator_check, name="indicator_check"),
]
