from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from staffrole import views
from staffrole.accounts import TokenObtainView
from staffrole.metrics import metrics_view

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
    # Swagger UI's set-up script is served as a file (the split view), so script-src stays 'self'; its React
    # components set style attributes and its stylesheet draws icons from data: URLs (ADR 0023).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
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
