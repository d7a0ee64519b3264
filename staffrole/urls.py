from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from staffrole import views
from staffrole.accounts import TokenObtainView

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("", include("scorecards.api.urls")),
    path("", include("jobs.api.urls")),
    path("", include("org.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("kpis.api.urls")),
    path("", include("plans.api.urls")),
    path("", include("ladder.api.urls")),
    path("", include("hiring.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("roles/", include("scorecards.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("org.urls")),
    path("reviews/", include("reviews.urls")),
    path("cycles/", include("reviews.cycle_urls")),
    path("feedback/", include("reviews.feedback_urls")),
    path("kpis/", include("kpis.urls")),
    path("plans/", include("plans.urls")),
    path("ladder/", include("ladder.urls")),
    path("hiring/", include("hiring.urls")),
    path("api/v1/", include(api_patterns)),
    path("admin/", admin.site.urls),
]

handler404 = "staffrole.views.not_found"
handler500 = "staffrole.views.server_error"
