"""examples/http/licensing.sh, plain curl commands, runs against a server started here."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from _server import Server

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "http" / "licensing.sh"


def test_the_curl_script_runs_against_a_server(server: Server) -> None:
    env = {
        **os.environ,
        "CREDITFLOW_URL": server.url,
        "OFFICER_TOKEN": "token-officer",
        "APPLICANT_TOKEN": "token-applicant",
    }
    result = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.count('"case_id":"commitment-1"') >= 2  # the retry returned the same case
    assert 'case commitment-1 at ETag "1"' in out
    assert '"state":"fulfilled"' in out and '"anchor":"2:' in out
    with server.client() as client:
        assert client.get("/ready").json()["head"].startswith("2:")  # nothing written twice
