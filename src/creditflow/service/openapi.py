"""The OpenAPI 3.1 document of the service, made from :data:`OPERATIONS` and the library's
types, with the response examples the code gives (:mod:`creditflow.service.examples`);
``docs/openapi.json`` is this document (a test fails when they drift)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from creditflow import __version__
from creditflow.service.operations import OFFICIAL_HEADER, OPERATIONS, Operation
from creditflow.service.problems import PROBLEM_TYPE, STATUS_TITLES
from creditflow.service.values import schema_for

if TYPE_CHECKING:
    from creditflow.service.examples import Example

__all__ = ["openapi_document", "openapi_text", "plan_example"]

_PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, with the error's stable code and its fields.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": f"{PROBLEM_TYPE}<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "case_id": {"type": "string"},
        "event": {"type": "string"},
        "state": {"type": "string"},
        "guard": {"type": "string"},
        "rule": {"type": "string"},
        "basis": {"type": "string"},
        "path": {"type": "string"},
        "index": {"type": "integer"},
        "known": {"type": "array", "items": {"type": "string"}},
        "outcome_unknown": {
            "type": "boolean",
            "description": "503 book_unavailable: true when the change may have been written "
            "(retry with the same Idempotency-Key)",
        },
    },
}
_NOTICES = {
    "type": "object",
    "required": ["anchor", "notices"],
    "additionalProperties": False,
    "properties": {
        "anchor": {"type": "string", "pattern": "^[0-9]+:[0-9a-f]{64}$"},
        "notices": {"$ref": "#/components/schemas/Notices"},
    },
}
_HEALTH = {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
_READY = {
    "type": "object",
    "required": ["status", "head"],
    "properties": {"status": {"type": "string"}, "head": {"type": "string"}},
}
_DESCRIPTION = """\
creditflow's calls as an HTTP service: credit checks, graded-supervision decisions, workflow
cases, commit-and-approve, overdue deadlines, notices and plan verification. Every operation
but /health and /ready needs a bearer token; the roles of a request are the token's. Errors
are RFC 9457 problem details (`application/problem+json`) with a stable `code`. Dates are
`YYYY-MM-DD`, exact ratios text (`"1/4"`). See docs/service.md."""


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service, as data."""
    from creditflow.docs.notices import Notices
    from creditflow.service.examples import response_examples

    components: dict[str, Any] = {}
    schema_for(Notices, components)
    examples = response_examples()
    paths: dict[str, Any] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(
            operation, components, examples[operation.operation_id]
        )
    paths["/health"] = {"get": _plain("health", "Alive", "The process answers.", _HEALTH)}
    paths["/ready"] = {"get": _plain("ready", "Ready", "The book answers; its head.", _READY)}
    components["Problem"] = _PROBLEM
    return {
        "openapi": "3.1.0",
        "info": {"title": "creditflow", "version": __version__, "description": _DESCRIPTION},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def openapi_text() -> str:
    """The document as the text checked into ``docs/openapi.json``."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=1) + "\n"


def _operation(
    operation: Operation, components: dict[str, Any], examples: Mapping[int, Mapping[str, Example]]
) -> dict[str, Any]:
    answer = _NOTICES if operation.answer == "notices" else operation.answer
    schema = answer if isinstance(answer, dict) else schema_for(answer, components)
    schema = _resolve(schema, components)
    (answered,) = examples[operation.status].values()
    success: dict[str, Any] = {
        "description": operation.summary,
        "content": {"application/json": {"schema": schema, "example": answered.value}},
    }
    headers = {}
    if operation.etag:
        headers["ETag"] = {"description": "the case's version", "schema": {"type": "string"}}
    if operation.status == 201:
        headers["Location"] = {"description": "the case opened", "schema": {"type": "string"}}
    if headers:
        success["headers"] = headers
    responses: dict[str, Any] = {str(operation.status): success}
    for status in _statuses(operation):
        content: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/Problem"}}
        if status in examples:
            content["examples"] = {
                name: {"summary": example.summary, "value": example.value}
                for name, example in examples[status].items()
            }
        responses[str(status)] = {
            "description": STATUS_TITLES[status],
            "content": {"application/problem+json": content},
        }
    data: dict[str, Any] = {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "description": operation.description,
        "x-example-token": operation.as_,
    }
    if operation.example_official is not None:
        data["x-example-official-token"] = operation.example_official
    parameters = _parameters(operation)
    if parameters:
        data["parameters"] = parameters
    if operation.request is not None:
        request = plan_example() if operation.operation_id == "verifyPlan" else operation.example
        data["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": operation.request, "example": request}},
        }
    data["responses"] = responses
    return data


def _statuses(operation: Operation) -> list[int]:
    """The error statuses of an operation: its own, and those every request may get."""
    found = {*operation.errors, 401, 429}
    if operation.request is not None:
        found |= {400, 413, 415}
    if operation.query or operation.idempotent or operation.if_match:
        found.add(400)
    return sorted(found)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """Inline types in a hand-written schema (``DeadlineState`` in a property) as references."""
    if not isinstance(schema, dict):
        return schema_for(schema, components)
    resolved: dict[str, Any] = {}
    for key, value in schema.items():
        if isinstance(value, dict):
            resolved[key] = _resolve(value, components)
        elif isinstance(value, type):
            resolved[key] = schema_for(value, components)
        else:
            resolved[key] = value
    return resolved


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name in _path_names(operation.path):
        example = (operation.example_path or "").split("/")
        position = operation.path.split("/").index("{" + name + "}")
        found.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "minLength": 1},
                "example": example[position] if len(example) > position else None,
            }
        )
    for name, schema, required in operation.query:
        entry = {"name": name, "in": "query", "required": required, "schema": schema}
        if operation.example_query and name in operation.example_query:
            entry["example"] = operation.example_query[name]
        found.append(entry)
    if operation.idempotent:
        found.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "a retry with the same key returns the first result",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            }
        )
    if operation.vouched:
        found.append(
            {
                "name": OFFICIAL_HEADER,
                "in": "header",
                "required": False,
                "description": "Bearer and an official's token vouching for new_subject: true on "
                "a subject's request (its roles: those the pack lets verify commitments); an "
                "unknown or subject's token here is 403",
                "schema": {"type": "string"},
            }
        )
    if operation.if_match:
        found.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": "the ETag of the case as read: 412 if it moved since",
                "schema": {"type": "string"},
            }
        )
    return found


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _plain(operation_id: str, summary: str, description: str, schema: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "security": [],
        "responses": {
            "200": {"description": summary, "content": {"application/json": {"schema": schema}}},
            "503": {
                "description": STATUS_TITLES[503],
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
    }


def plan_example() -> dict[str, Any]:
    """A small plan drawn from two subjects and two inspectors, with its inputs: the example
    of plan verification."""
    from creditflow.rules.engine import Engine
    from creditflow.rules.loading import load_policy
    from creditflow.supervision import Inspector, draw_plan
    from creditflow.supervision.exports import plan_to_json
    from creditflow.supervision.readers import read_population

    population = [
        {
            "subject_id": "91350100M000100Y43",
            "kind": "enterprise",
            "name": "甲运输公司",
            "region": "350100",
            "domain": "road_transport",
            "grade": "C",
        },
        {
            "subject_id": "91110000600037341L",
            "kind": "enterprise",
            "name": "乙运输公司",
            "region": "350100",
            "domain": "road_transport",
            "grade": "D",
        },
    ]
    inspectors = [
        {
            "inspector_id": f"insp-{n}",
            "name": f"检查员{n}",
            "regions": ["350100"],
            "domains": ["road_transport"],
        }
        for n in (1, 2, 3)
    ]
    engine = Engine(load_policy("national-transport", on=dt.date(2026, 6, 1)))
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in population)
    plan = draw_plan(
        list(read_population(io.StringIO(lines), format="jsonl")),
        engine=engine,
        period=2026,
        seed="2026-example",
        inspectors=[
            Inspector(f"insp-{n}", f"检查员{n}", ["350100"], ["road_transport"]) for n in (1, 2, 3)
        ],
    )
    return {
        "plan": json.loads(plan_to_json(plan)),
        "population": population,
        "inspectors": inspectors,
    }
