from django.urls import path

from jobs.api import views

urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_detail, name="api-job-detail"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="api-job-download"),
]
