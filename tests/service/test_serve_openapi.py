"""The OpenAPI document: made from the code, checked into docs/openapi.json (a test fails when
they drift: regenerate with ``CREDITFLOW_UPDATE_GOLDEN=1 pytest
tests/service/test_serve_openapi.py``), served as it is, OpenAPI 3.1, and with an example for
every operation."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import jsonschema_rs
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


def test_every_operation_documents_its_answers_with_examples_the_schema_holds() -> None:
    """Success and problem examples for every operation (made by running the code, see
    creditflow.service.examples), each valid against its response's schema, each problem of
    its status; the main statuses each have one."""
    document = openapi_document()
    components = document["components"]
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation["operationId"] in ("health", "ready"):
                continue
            name = f"{method.upper()} {path}"
            with_examples = set()
            for status, response in operation["responses"].items():
                ((kind, content),) = response["content"].items()
                found = (
                    {"success": {"value": content["example"]}}
                    if "example" in content
                    else content.get("examples", {})
                )
                if found:
                    with_examples.add(int(status))
                root = {"allOf": [content["schema"]], "components": components}
                validator = jsonschema_rs.Draft202012Validator(root)
                for example_name, example in found.items():
                    where = (name, status, example_name)
                    errors = [e.message for e in validator.iter_errors(example["value"])]
                    assert not errors, (where, errors)
                    if kind == "application/problem+json":
                        assert example["value"]["status"] == int(status), where
                        assert "Traceback" not in json.dumps(example["value"]), where
                    checked += 1
            statuses = {int(s) for s in operation["responses"]}
            success = min(statuses)
            main = {success, 401, 429} | ({400, 503} & statuses)
            assert main <= with_examples, (name, sorted(main - with_examples))
    assert checked >= 80
