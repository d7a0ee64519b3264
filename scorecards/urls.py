from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.role_list_page, name="role_list"),
    # Before "<slug:slug>/" so that the import pages are never taken for a role.
    path("import/", views.blueprint_import_upload, name="import"),
    path("import/<str:token>/", views.blueprint_import_preview, name="import_preview"),
    path("<slug:slug>/", views.role_detail, name="role_detail"),
    path("<slug:slug>/versions/", views.role_versions, name="role_versions"),
    path("<slug:slug>/diff/", views.role_diff, name="role_diff"),
    path("<slug:slug>/export/", views.role_export, name="role_export"),
    path("<slug:slug>/publish/", views.role_publish, name="role_publish"),
    path("<slug:slug>/drafts/", views.role_start_draft, name="role_start_draft"),
    path("<slug:slug>/discard/", views.role_discard_draft, name="role_discard_draft"),
]
