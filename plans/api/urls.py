from django.urls import path

from plans.api import views

urlpatterns = [
    path("plans/", views.plan_list, name="api-plan-list"),
    path("plans/<int:plan_id>/", views.plan_detail, name="api-plan-detail"),
    path("plans/<int:plan_id>/goals/", views.goal_add, name="api-plan-goal-add"),
    path("plans/<int:plan_id>/goals/<int:goal_id>/", views.goal_detail, name="api-plan-goal"),
    path(
        "plans/<int:plan_id>/indicators/<int:indicator_id>/check/",
        views.indicator_check,
        name="api-plan-indicator-check",
    ),
]
