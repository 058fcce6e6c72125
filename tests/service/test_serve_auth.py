"""Authentication and authorization on a real server: tokens hashed at rest, roles only from
the token, subjects limited to their own cases, separation of duties across requests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _server import SRC, Server

from creditflow.errors import InvalidInput
from creditflow.service import hash_token, read_auth_file

FIRM = "91350100M000100Y43"
OTHER = "91110000600037341L"
LISTING = {
    "kind": "listing.serious",
    "subject_id": FIRM,
    "on": "2026-05-06",
    "data": {
        "domain": "road_transport",
        "grounds": "多次严重违法",
        "basis": "交政研发〔2018〕181号",
    },
}
DECIDE = {
    "event": "decide",
    "on": "2026-05-20",
    "data": {
        "measures": ["key_supervision"],
        "removal_conditions": "期满或修复",
        "remedies": "复议",
    },
}
NOTIFY = {"event": "notify", "on": "2026-05-06"}


def head(server: Server) -> str:
    with server.client() as client:
        return str(client.get("/ready").json()["head"])


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nope", "Basic dG9rZW4tb2ZmaWNlcg==", "token-officer"]
)
def test_no_or_unknown_token_is_401(server: Server, header: str | None) -> None:
    with server.client() as client:
        headers = {"Authorization": header} if header else {}
        response = client.post("/decisions", json={}, headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert response.headers["www-authenticate"] == 'Bearer realm="creditflow"'


def test_roles_come_from_the_token_and_the_pack_permissions_hold(server: Server) -> None:
    with server.client("officer") as officer, server.client("reviewer") as reviewer:
        officer.post("/cases", json=LISTING)
        before = head(server)
        refused = reviewer.post("/cases/listing-1/events", json=NOTIFY)
        assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
        assert refused.json()["rule"] == "permissions.listing.notify"
        # roles in the body are data, never roles
        body = {**NOTIFY, "data": {"roles": ["case_officer"]}}
        assert reviewer.post("/cases/listing-1/events", json=body).status_code in (400, 403, 422)
        assert head(server) == before
        assert officer.post("/cases/listing-1/events", json=NOTIFY).status_code == 200


@pytest.mark.parametrize(
    ("token", "event", "allowed"),
    [("officer", "decide", False), ("official", "decide", True), ("firm", "decide", False)],
)
def test_each_role_fires_only_what_its_pack_allows(
    server: Server, token: str, event: str, allowed: bool
) -> None:
    with server.client("officer") as officer, server.client(token) as actor:
        officer.post("/cases", json=LISTING)
        officer.post("/cases/listing-1/events", json=NOTIFY)
        response = actor.post("/cases/listing-1/events", json=DECIDE)
    assert (response.status_code == 200) is allowed, response.text
    if not allowed:
        assert response.status_code == 403


def test_commitment_made_only_by_the_subject(server: Server) -> None:
    body = {
        "subject_id": OTHER,
        "on": "2026-06-01",
        "approval_id": "XK-9",
        "domain": "road_transport",
        "new_subject": True,
    }
    with server.client("officer") as officer, server.client("applicant") as applicant:
        refused = officer.post("/commitments/approvals", json=body)
        assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
        vouched = {"Official-Authorization": "Bearer token-officer"}  # the subject is new
        made = applicant.post("/commitments/approvals", json=body, headers=vouched)
        assert made.status_code == 201, made.text


def test_separation_of_duties_holds_across_requests(server: Server) -> None:
    with server.client("both") as both:
        assert both.post("/cases", json=LISTING).status_code == 201
        assert both.post("/cases/listing-1/events", json=NOTIFY).status_code == 200
        before = head(server)
        refused = both.post("/cases/listing-1/events", json=DECIDE)
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_permitted" and "separation" in refused.json()["rule"]
    assert head(server) == before
    with server.client("official") as official:
        assert official.post("/cases/listing-1/events", json=DECIDE).status_code == 200


def test_a_subject_sees_and_acts_only_on_its_own_cases(server: Server) -> None:
    with server.client("officer") as officer:
        officer.post("/cases", json=LISTING)
        officer.post("/cases/listing-1/events", json=NOTIFY)
    before = head(server)
    with server.client("applicant") as other, server.client("firm") as firm:
        assert other.get("/cases/listing-1").status_code == 404
        assert firm.get("/cases/listing-1").status_code == 200
        fired = other.post("/cases/listing-1/events", json={"event": "object", "on": "2026-05-07"})
        assert fired.status_code == 404 and fired.json()["code"] == "unknown_case"
        status = other.post("/status", json={"subject_id": FIRM, "on": "2026-06-01"})
        assert status.status_code == 403
        check = {
            "subject_id": FIRM,
            "purpose": "licensing",
            "on": "2026-06-01",
            "domain": "road_transport",
        }
        assert other.post("/checks", json=check).status_code == 403
        assert firm.post("/checks", json=check).status_code == 200
        assert other.get("/overdue", params={"on": "2026-08-01"}).status_code == 403
        opened = other.post(
            "/cases",
            json={
                **LISTING,
                "kind": "commitment.voluntary",
                "data": {"domain": "road_transport", "summary": "x"},
            },
        )
        assert opened.status_code == 403
        verify = other.post(
            "/commitments/listing-1/verification", json={"fulfilled": True, "on": "2026-06-01"}
        )
        assert verify.status_code == 404
    assert head(server) == before


def test_the_auth_file_keeps_hashes_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "creditflow",
            "serve",
            "--new-token",
            "officer-7",
            "--role",
            "case_officer",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=True,
    )
    token = result.stdout.splitlines()[0].removeprefix("token: ")
    entry = result.stdout.split("\n\n", 1)[1]
    assert token.startswith("cf_") and token not in entry and hash_token(token) in entry
    path = tmp_path / "auth.toml"
    path.write_text(entry, encoding="utf-8")
    principal = read_auth_file(path).principal(token)
    assert principal is not None and principal.actor.id == "officer-7"
    assert principal.actor.roles == {"case_officer"}
    assert read_auth_file(path).principal(hash_token(token)) is None


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ('actor = "a"\nroles = ["case_officer"]\nsha256 = "abc"', "sha256"),
        (f'actor = "a"\nroles = []\nsha256 = "{"0" * 64}"', "roles"),
        (
            f'actor = "{FIRM}"\nroles = ["subject", "case_officer"]\nsha256 = "{"0" * 64}"',
            "subject role only",
        ),
        (f'actor = "officer-1"\nroles = ["subject"]\nsha256 = "{"0" * 64}"', "names the subject"),
        (f'actor = "a"\nroles = ["x"]\nsha256 = "{"0" * 64}"\nrate = 0', "rate"),
        (f'actor = "a"\nroles = ["x"]\nsha256 = "{"0" * 64}"\ntoken = "t"', "unknown keys"),
    ],
)
def test_a_wrong_auth_file_names_the_entry(tmp_path: Path, entry: str, why: str) -> None:
    path = tmp_path / "auth.toml"
    path.write_text(f"[[tokens]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="tokens\\[0\\]") as caught:
        read_auth_file(path)
    assert why in str(caught.value)


def test_serve_refuses_a_bad_auth_file_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "auth.toml"
    path.write_text("[[tokens]]\nactor = 1\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "creditflow",
            "serve",
            "--book",
            str(tmp_path / "b.sqlite"),
            "--auth",
            str(path),
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
    )
    assert result.returncode == 2 and "tokens[0]" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_the_serve_extra_the_error_names_it(tmp_path: Path) -> None:
    path = tmp_path / "auth.toml"
    path.write_text("", encoding="utf-8")
    code = (
        "import sys; sys.modules['starlette'] = None\n"
        "from creditflow.service import ServiceSettings, create_app\n"
        "try:\n"
        f"    create_app(ServiceSettings(book='b.sqlite', auth={str(path)!r}))\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
        "from creditflow.cli import main\n"
        f"sys.exit(main(['serve', '--book', 'b.sqlite', '--auth', {str(path)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "pip install 'creditflow[serve]'" in result.stdout
    assert result.stderr.startswith("creditflow: error:") and "creditflow[serve]" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "b.sqlite").exists()
