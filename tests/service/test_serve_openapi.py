"""The OpenAPI document: made from the code, checked into docs/openapi.json (a test fails when
they drift: regenerate with ``CREDITFLOW_UPDATE_GOLDEN=1 pytest
tests/service/test_serve_openapi.py``), served as it is, OpenAPI 3.1, and with an example for
every operation."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from _server import Server

from creditflow.service import openapi_document, openapi_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_checked_in_document_is_the_generated_one() -> None:
    if os.environ.get("CREDITFLOW_UPDATE_GOLDEN"):
        DOC.write_text(openapi_text(), encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json drifted from the code: regenerate it with "
        "CREDITFLOW_UPDATE_GOLDEN=1 pytest tests/service/test_serve_openapi.py"
    )


def test_the_server_serves_the_document(server: Server) -> None:
    with server.client() as client:
        assert client.get("/openapi.json").json() == json.loads(DOC.read_text(encoding="utf-8"))


def test_every_operation_is_documented_with_an_example_and_its_errors() -> None:
    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            assert operation["summary"] and operation["description"], name
            if operation["operationId"] in ("health", "ready"):
                assert operation["security"] == [], name
                continue
            assert "401" in operation["responses"] and "429" in operation["responses"], name
            body = operation.get("requestBody")
            if body is not None:
                assert body["content"]["application/json"]["example"], name
            else:
                examples = [p for p in operation.get("parameters", []) if p["in"] != "header"]
                assert examples and all("example" in p for p in examples if p["required"]), name


def test_the_importable_package_does_not_import_the_web_stack() -> None:
    import subprocess

    code = (
        "import sys, creditflow, creditflow.service, creditflow.cli.main; "
        "assert not {'starlette', 'uvicorn'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "PYTHONPATH": str(DOC.parents[1] / "src")},
    )
