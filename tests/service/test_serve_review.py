"""Issue 17's review of ``creditflow serve``, on a real server: a request never makes the server
read a file, tracebacks and 503 reasons stay masked and inside, a subject does not vouch for
itself, decision logs replay, idempotency scopes do not collide."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
from _server import Server

from creditflow.supervision.exports import plan_from_json, plan_to_json


def test_a_plan_naming_a_file_does_not_make_the_server_read_it(
    server: Server, tmp_path: Path
) -> None:
    secret = tmp_path / "x" / "secret.toml"
    secret.parent.mkdir()
    secret.write_text('password = "TOP-SECRET-42"\n[broken\n', encoding="utf-8")
    with server.client() as anonymous:
        document = anonymous.get("/openapi.json").json()
    body = document["paths"]["/plans/verification"]["post"]["requestBody"]["content"][
        "application/json"
    ]["example"]
    for key in (str(secret), "/etc/passwd", "national-transport"):
        plan = plan_from_json(json.dumps(body["plan"]))
        altered = plan_to_json(attrs.evolve(plan, policy_key=key))
        with server.client("officer") as client:
            response = client.post(
                "/plans/verification", json={**body, "plan": json.loads(altered)}
            )
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "unknown_policy"
        assert "TOP-SECRET" not in response.text and str(tmp_path) not in response.text
        assert "passwd" not in response.text and "root" not in response.text
