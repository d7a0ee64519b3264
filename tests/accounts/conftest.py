import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from staffrole.observability import JsonFormatter

LOGIN_URL = "/accounts/login/"
DEMO_PASSWORD = "demo"


@pytest.fixture
def log_in() -> Callable[..., HttpResponse]:
    """Log in the way a person does: a POST to the log-in page."""

    def post(client: Client, username: str, password: str = DEMO_PASSWORD, **extra: Any) -> HttpResponse:
        return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)

    return post


@pytest.fixture
def security_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines written to the `staffrole.security` logger during the test, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("staffrole.security")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
