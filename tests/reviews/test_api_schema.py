"""The OpenAPI schema describes every review and cycle endpoint with its request and answers."""

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/reviews/": {"get": {"200", "400", "401"}},
    "/api/v1/reviews/{review_id}/": {"get": {"200", "401", "404"}},
    "/api/v1/reviews/{review_id}/ratings/": {"patch": {"200", "400", "401", "403", "404", "409"}},
    "/api/v1/reviews/{review_id}/transitions/": {"post": {"200", "400", "401", "403", "404", "409"}},
    "/api/v1/reviews/{review_id}/calibration/": {"post": {"200", "400", "401", "403", "404", "409"}},
    "/api/v1/reviews/{review_id}/reassign/": {"post": {"200", "400", "401", "403", "404"}},
    "/api/v1/cycles/": {"get": {"200", "401"}, "post": {"201", "400", "401", "403"}},
    "/api/v1/cycles/{cycle_id}/": {"get": {"200", "401", "404"}},
    "/api/v1/cycles/{cycle_id}/open/": {"post": {"200", "401", "403", "404"}},
    "/api/v1/cycles/{cycle_id}/advance/": {"post": {"200", "401", "403", "404"}},
    "/api/v1/cycles/{cycle_id}/close/": {"post": {"200", "400", "401", "403", "404"}},
}


def test_the_schema_describes_the_review_and_cycle_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, methods in OPERATIONS.items():
        assert path in schema["paths"], path
        for method, statuses in methods.items():
            operation = schema["paths"][path][method]
            assert set(operation["responses"]) == statuses, (path, method)
            if method in ("post", "patch") and not path.endswith(("/open/", "/advance/")):
                assert "requestBody" in operation, (path, method)
    review = schema["components"]["schemas"]["Review"]["properties"]
    assert {"weighted_manager_score", "final_rating", "ratings", "version"} <= set(review)
    assert set(schema["components"]["schemas"]["ReviewRating"]["properties"]) >= {
        "dimension",
        "weight",
        "self_score",
        "self_comment",
        "manager_score",
        "manager_comment",
    }
