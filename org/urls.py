from django.urls import path

from org import import_views, views

app_name = "org"

urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("people/<str:username>/edit/", views.person_edit, name="person_edit"),
    path("org/import/", import_views.org_import_upload, name="import"),
    path("org/import/<str:token>/", import_views.org_import_preview, name="import_preview"),
]
