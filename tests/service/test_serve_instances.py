"""Several instances, one book: two server processes share no memory, only the book. Concurrent
fires on the same cases give 409 or 412 (or 422 once the case moved), never a lost update.

Parametrised over the store: SQLite serves several processes on one machine, PostgreSQL
several hosts (the plugin's ``postgres_url`` fixture starts a server of the test's own).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from _server import Server, write_auth

CASES = 6


@pytest.fixture(params=["sqlite", "postgresql"])
def book_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "book.sqlite")


def listing(n: int) -> dict:
    subjects = ["91350100M000100Y43", "91110000600037341L"]
    return {
        "kind": "listing.serious",
        "subject_id": subjects[n % 2],
        "on": "2026-05-06",
        "data": {
            "domain": "road_transport",
            "grounds": f"违法{n}",
            "basis": "交政研发〔2018〕181号",
        },
    }


def test_concurrent_fires_on_two_instances_never_lose_an_update(
    book_url: str, tmp_path: Path
) -> None:
    auth = write_auth(tmp_path / "auth.toml")
    first = Server(book_url, auth, None)
    second = Server(book_url, auth, None)
    try:
        with first.client("officer") as client:
            ids = [client.post("/cases", json=listing(n)).json()["case_id"] for n in range(CASES)]

        def notify(server: Server, case_id: str, conditional: bool) -> int:
            headers = {"If-Match": '"1"'} if conditional else {}
            with server.client("officer") as client:
                body = {"event": "notify", "on": "2026-05-06"}
                return client.post(
                    f"/cases/{case_id}/events", json=body, headers=headers
                ).status_code

        jobs = [
            (server, case_id, n % 2 == 0)
            for n, case_id in enumerate(ids)
            for server in (first, second, first, second)
        ]
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda job: notify(*job), jobs))
        by_case: dict[str, list[int]] = {}
        for (_, case_id, _), status in zip(jobs, statuses, strict=True):
            by_case.setdefault(case_id, []).append(status)
        with second.client("officer") as client:
            for n, case_id in enumerate(ids):
                got = by_case[case_id]
                assert got.count(200) == 1, (case_id, got)
                refused = {409, 412} if n % 2 == 0 else {409, 422}
                assert set(got) - {200} <= refused, (case_id, got)
                case = client.get(f"/cases/{case_id}").json()
                assert [h["event"] for h in case["history"]] == ["propose", "notify"]
                assert case["version"] == 2
        with first.client() as client:
            head = client.get("/ready").json()["head"]
        assert head.startswith(f"{2 * CASES}:")
    finally:
        first.stop()
        second.stop()
