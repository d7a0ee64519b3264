from django.urls import path

from org.api import import_views, views

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("employees/", views.employee_list, name="api-employee-list"),
    path("employees/<int:pk>/", views.employee_detail, name="api-employee-detail"),
    path("org/import/", import_views.org_import, name="api-org-import"),
]
