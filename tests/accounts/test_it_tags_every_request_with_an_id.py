import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_makes_a_new_id_when_none_is_sent(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_it_echoes_a_safe_incoming_id(client):
    response = client.get("/accounts/login/", headers={"X-Request-ID": "edge-7f3a.b_91"})
    assert response["X-Request-ID"] == "edge-7f3a.b_91"
    assert response.wsgi_request.request_id == "edge-7f3a.b_91"


@pytest.mark.parametrize("unsafe", ["a b", "x" * 65, "id\nforged: line", '{"event":"auth.login"}', ""])
def test_it_replaces_an_unsafe_incoming_id(client, unsafe):
    response = client.get("/accounts/login/", headers={"X-Request-ID": unsafe})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_tags_api_answers_and_errors_too(client):
    response = client.get("/api/v1/nothing-here/", headers={"X-Request-ID": "probe-1"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "probe-1"
