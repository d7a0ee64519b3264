from django.urls import path

from scorecards.api import views

urlpatterns = [
    path("roles/", views.role_list, name="api-role-list"),
    path("roles/<slug:slug>/", views.role_detail, name="api-role-detail"),
]
