"""Every error status of the service as RFC 9457 problem details, on a real server: the stable
code, the error's fields, no stack trace, nothing written by a refused request."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from _server import SRC, Server, write_auth

LISTING = {
    "kind": "listing.serious",
    "subject_id": "91350100M000100Y43",
    "on": "2026-05-06",
    "data": {
        "domain": "road_transport",
        "grounds": "多次严重违法",
        "basis": "交政研发〔2018〕181号",
    },
}
CHECK = {
    "subject_id": "91350100M000100Y43",
    "purpose": "licensing",
    "on": "2026-06-01",
    "domain": "road_transport",
    "new_subject": True,
}


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    data: dict[str, Any] = response.json()
    assert data["status"] == status and data["code"] == code
    assert data["type"] == f"urn:creditflow:problem:{code}"
    assert data["title"] and data["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return data


def head(server: Server) -> str:
    with server.client() as client:
        return str(client.get("/ready").json()["head"])


@pytest.mark.parametrize(
    ("body", "code", "where"),
    [
        ({**CHECK, "on": "2026-13-01"}, "invalid_input", "body.on"),
        ({**CHECK, "on": None}, "invalid_input", "body.on"),
        ({k: v for k, v in CHECK.items() if k != "domain"}, "invalid_input", "body.domain"),
        ({**CHECK, "subject_id": "91350100M000100Y44"}, "invalid_identifier", "credit code"),
        ({**CHECK, "new_subject": "yes"}, "invalid_input", "body.new_subject"),
        ({**CHECK, "purpose": "lottery"}, "unknown_name", "purpose"),
        ({**CHECK, "evaluations": [{"domain": "road_transport"}]}, "invalid_input", "evaluated_on"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    server: Server, body: dict[str, Any], code: str, where: str
) -> None:
    with server.client("officer") as client:
        data = problem(client.post("/checks", json=body), 400, code)
    assert where in data["detail"]


def test_unknown_name_lists_the_known_ones(server: Server) -> None:
    with server.client("officer") as client:
        data = problem(
            client.post("/checks", json={**CHECK, "purpose": "lottery"}), 400, "unknown_name"
        )
    assert data["known"] == ["bidding", "honours", "licensing", "procurement", "subsidy"]


def test_not_json_wrong_type_and_too_large(server: Server) -> None:
    with server.client("officer") as client:
        problem(
            client.post("/checks", content=b"{", headers={"content-type": "application/json"}),
            400,
            "invalid_json",
        )
        problem(
            client.post("/checks", content=b"[1]", headers={"content-type": "application/json"}),
            400,
            "invalid_json",
        )
        problem(
            client.post(
                "/checks", content=b'{"a": NaN}', headers={"content-type": "application/json"}
            ),
            400,
            "invalid_json",
        )
        problem(
            client.post("/checks", content=b"x", headers={"content-type": "text/plain"}),
            415,
            "unsupported_media_type",
        )
        big = b'{"a": "' + b"x" * 8_100_000 + b'"}'
        problem(
            client.post("/checks", content=big, headers={"content-type": "application/json"}),
            413,
            "too_large",
        )


def test_reserved_data_keys_are_refused(server: Server) -> None:
    with server.client("officer") as client:
        body = {**LISTING, "data": {**LISTING["data"], "actor": "official-1"}}
        problem(client.post("/cases", json=body), 400, "invalid_input")
    assert head(server).startswith("0:")


def test_unknown_case_route_and_method(server: Server) -> None:
    with server.client("officer") as client:
        data = problem(client.get("/cases/listing-9"), 404, "unknown_case")
        assert data["name"] == "listing-9"
        problem(client.get("/nowhere"), 404, "not_found")
        problem(client.delete("/cases/listing-9"), 405, "method_not_allowed")


def test_unknown_subject_is_404(server: Server) -> None:
    with server.client("officer") as client:
        client.post("/cases", json=LISTING)
        body = {**CHECK, "subject_id": "91110000600037341L", "new_subject": False}
        problem(client.post("/checks", json=body), 404, "unknown_subject")


def test_refused_transition_is_422_with_guard_rule_and_basis(server: Server) -> None:
    with server.client("officer") as officer, server.client("official") as official:
        officer.post("/cases", json=LISTING)
        officer.post("/cases/listing-1/events", json={"event": "notify", "on": "2026-05-06"})
        before = head(server)
        body = {
            "event": "decide",
            "on": "2026-05-07",
            "data": {
                "measures": ["key_supervision"],
                "removal_conditions": "期满或修复",
                "remedies": "行政复议或诉讼",
            },
        }
        data = problem(
            official.post("/cases/listing-1/events", json=body), 422, "transition_refused"
        )
    assert data["case_id"] == "listing-1" and data["event"] == "decide"
    assert data["state"] == "notified" and data["guard"] and data["rule"] and data["basis"]
    assert head(server) == before


def test_stale_if_match_is_412_and_a_bad_one_400(server: Server) -> None:
    with server.client("officer") as officer:
        officer.post("/cases", json=LISTING)
        notify = {"event": "notify", "on": "2026-05-06"}
        data = problem(
            officer.post("/cases/listing-1/events", json=notify, headers={"If-Match": '"7"'}),
            412,
            "conflict",
        )
        assert data["expected"] == 7 and data["actual"] == 1
        problem(
            officer.post("/cases/listing-1/events", json=notify, headers={"If-Match": "W/1"}),
            400,
            "invalid_input",
        )
        ok = officer.post("/cases/listing-1/events", json=notify, headers={"If-Match": "*"})
        assert ok.status_code == 200


def test_idempotency_key_makes_a_retry_write_nothing(server: Server) -> None:
    notify = {"event": "notify", "on": "2026-05-06"}
    with server.client("officer") as officer, server.client("officer2") as other:
        officer.post("/cases", json=LISTING, headers={"Idempotency-Key": "open-1"})
        again = officer.post("/cases", json=LISTING, headers={"Idempotency-Key": "open-1"})
        assert again.status_code == 201 and again.json()["case_id"] == "listing-1"
        assert head(server).startswith("1:")
        first = officer.post(
            "/cases/listing-1/events", json=notify, headers={"Idempotency-Key": "n-1"}
        )
        retry = officer.post(
            "/cases/listing-1/events", json=notify, headers={"Idempotency-Key": "n-1"}
        )
        assert first.json()["version"] == retry.json()["version"] == 2
        assert head(server).startswith("2:")
        # the same key from another token is another key: it returns nothing of the first's
        theirs = other.post("/cases", json=LISTING, headers={"Idempotency-Key": "open-1"})
        assert theirs.json()["case_id"] == "listing-3"


def test_rate_limit_is_429_with_retry_after(server: Server) -> None:
    with server.client("slow") as client:
        statuses = [client.get("/cases/listing-1").status_code for _ in range(6)]
        assert statuses[:3] == [404, 404, 404]
        last = client.get("/cases/listing-1")
    data = problem(last, 429, "rate_limited")
    assert int(last.headers["retry-after"]) >= 1 and "1 requests a second" in data["detail"]
    with server.client("officer") as other:  # a limit per token
        assert other.get("/cases/listing-1").status_code == 404


def _write_while_locked(server: Server, book: Path) -> tuple[httpx.Response, float]:
    """A write sent while another connection holds the SQLite book's write lock (a real lock,
    ``BEGIN EXCLUSIVE``): the answer and the seconds it took."""
    with server.client("officer") as officer:
        assert officer.post("/cases", json=LISTING).status_code == 201
        lock = sqlite3.connect(book, timeout=0.1, isolation_level=None)
        try:
            lock.execute("BEGIN EXCLUSIVE")
            with ThreadPoolExecutor(1) as pool:
                started = time.monotonic()
                pending = pool.submit(officer.post, "/cases", json=LISTING, timeout=120)
                time.sleep(0.3)
                with server.client() as probe:  # the server answers meanwhile
                    before = time.monotonic()
                    assert probe.get("/health").status_code == 200
                    assert time.monotonic() - before < 1
                response = pending.result()
                took = time.monotonic() - started
        finally:
            lock.execute("ROLLBACK")
            lock.close()
    return response, took


def test_a_locked_book_is_503_with_retry_after_within_the_busy_timeout(
    server: Server, tmp_path: Path
) -> None:
    response, took = _write_while_locked(server, tmp_path / "book.sqlite")
    data = problem(response, 503, "book_unavailable")
    assert response.headers["retry-after"] == "1" and "nothing was written" in data["detail"]
    # the default --busy-timeout (2 s), not the library's five tries of 5 s
    assert 1.9 <= took < 6, took
    assert str(tmp_path) not in response.text  # the server's file path stays inside
    # the database's own words (for PostgreSQL: addresses, roles) stay in the server's log
    assert "reason" not in data and "locked" not in response.text
    assert data["outcome_unknown"] is False
    assert "locked" in server.stderr.read_text(encoding="utf-8")
    with server.client("officer") as officer:  # nothing was written; the book serves again
        assert officer.get("/cases/listing-2").status_code == 404
        assert officer.post("/cases", json=LISTING).json()["case_id"] == "listing-2"


def test_busy_timeout_sets_how_long_a_write_waits_for_a_lock(tmp_path: Path) -> None:
    auth = write_auth(tmp_path / "auth.toml")
    book = tmp_path / "book.sqlite"
    server = Server(str(book), auth, None, extra=("--busy-timeout", "0.5"))
    try:
        response, took = _write_while_locked(server, book)
    finally:
        server.stop()
    problem(response, 503, "book_unavailable")
    assert 0.45 <= took < 2.5, took


@pytest.mark.parametrize("value", ["0", "-1", "nan", "601", "soon"])
def test_a_wrong_busy_timeout_stops_the_start(tmp_path: Path, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "creditflow", "serve", "--book", str(tmp_path / "b.sqlite"),
         "--auth", str(write_auth(tmp_path / "auth.toml")), "--busy-timeout", value],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "--busy-timeout" in result.stderr


def test_a_key_reused_for_another_act_is_422_and_writes_nothing(server: Server) -> None:
    approval = {
        "subject_id": "91110000600037341L",
        "on": "2026-06-01",
        "approval_id": "XK-1",
        "domain": "road_transport",
        "new_subject": True,
    }
    key = {"Idempotency-Key": "k-1"}
    vouched = {**key, "Official-Authorization": "Bearer token-officer"}
    with server.client("officer") as officer, server.client("applicant") as applicant:
        officer.post("/cases", json=LISTING, headers=key)
        officer.post("/cases", json={**LISTING, "subject_id": "91110000600037341L"})
        notify = {"event": "notify", "on": "2026-05-06"}
        assert officer.post("/cases/listing-1/events", json=notify, headers=key).status_code == 200
        before = head(server)
        drop = {"event": "drop", "on": "2026-05-07"}
        problem(
            officer.post("/cases/listing-1/events", json=drop, headers=key),
            422,
            "idempotency_key_reused",
        )
        data = problem(
            officer.post("/cases/listing-2/events", json=notify, headers=key),
            422,
            "idempotency_key_reused",
        )
        assert "new key" in data["detail"]
        assert (
            applicant.post("/commitments/approvals", json=approval, headers=vouched).status_code
            == 201
        )
        again = applicant.post(
            "/commitments/approvals", json={**approval, "approval_id": "XK-2"}, headers=vouched
        )
        problem(again, 422, "idempotency_key_reused")
    assert head(server).split(":")[0] == str(int(before.split(":")[0]) + 1)


@pytest.mark.parametrize("value", [0, -1.0, float("nan"), float("inf"), 601, True, "2"])
def test_service_settings_refuse_a_wrong_busy_timeout(value: object) -> None:
    from creditflow.errors import InvalidInput
    from creditflow.service import ServiceSettings

    with pytest.raises(InvalidInput, match="busy_timeout"):
        ServiceSettings(book="b.sqlite", auth="auth.toml", busy_timeout=value)  # type: ignore[arg-type]
