"""The OpenAPI schema describes every ladder endpoint with its request and answers."""

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/ladder/tracks/": {"get": {"200", "401"}, "post": {"201", "400", "401", "403"}},
    "/api/v1/ladder/tracks/{track_id}/": {"get": {"200", "401", "404"}, "patch": {"200", "400", "401", "403", "404"}},
    "/api/v1/ladder/tracks/{track_id}/levels/": {"post": {"201", "400", "401", "403", "404"}},
    "/api/v1/ladder/levels/{level_id}/": {"get": {"200", "401", "404"}, "patch": {"200", "400", "401", "403", "404"}},
    "/api/v1/ladder/assessments/": {"get": {"200", "401", "404"}, "post": {"200", "201", "400", "401", "403"}},
    "/api/v1/ladder/assessments/{assessment_id}/": {
        "get": {"200", "401", "403", "404"},
        "patch": {"200", "400", "401", "403", "404", "409"},
    },
    "/api/v1/ladder/assessments/{assessment_id}/submit/": {"post": {"200", "400", "401", "403", "404", "409"}},
    "/api/v1/ladder/assessments/{assessment_id}/manager-view/": {"post": {"201", "400", "401", "403", "404"}},
    "/api/v1/ladder/assessments/{assessment_id}/pdf/": {"post": {"202", "401", "403", "404", "503"}},
}


def test_the_schema_describes_the_ladder_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, methods in OPERATIONS.items():
        assert path in schema["paths"], path
        for method, statuses in methods.items():
            assert set(schema["paths"][path][method]["responses"]) == statuses, (path, method)
    assessment = schema["components"]["schemas"]["Assessment"]["properties"]
    assert {"skills", "criteria", "standing", "manager_views", "version"} <= set(assessment)
    standing = schema["components"]["schemas"]["LadderStanding"]["properties"]
    assert {"weighted_score", "weighted_gap", "suggested_readiness", "suggestion_label", "by_group"} <= set(standing)
