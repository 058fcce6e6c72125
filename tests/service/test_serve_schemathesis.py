"""schemathesis against the served OpenAPI document: generated requests to every operation, on
a real server, never answer 5xx, and every answer matches the document (bounded examples)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from _server import Server, write_auth
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from creditflow.service import openapi_document

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    server = Server(str(folder / "book.sqlite"), write_auth(folder / "auth.toml"), None)
    try:
        yield server
    finally:
        server.stop()


# The document the server serves (test_serve_openapi.py holds that it serves this one).
schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.mark.parametrize("token", ["officer", "applicant"])
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_matches_the_document(
    case: schemathesis.Case, running: Server, token: str
) -> None:
    """As an officer and as a subject (whose token meets the authorization rules)."""
    case.call_and_validate(
        base_url=running.url, headers={"Authorization": f"Bearer token-{token}"}, checks=CHECKS
    )
