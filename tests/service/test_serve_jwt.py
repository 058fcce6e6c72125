"""JSON Web Tokens of an identity provider, verified against its public key: the actor is the
``sub``, the roles the roles claim; anything that does not verify is 401."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from _server import Server, write_auth
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from creditflow.errors import InvalidInput
from creditflow.service import read_auth_file

LISTING = {
    "kind": "listing.serious",
    "subject_id": "91350100M000100Y43",
    "on": "2026-05-06",
    "data": {"domain": "road_transport", "grounds": "g", "basis": "交政研发〔2018〕181号"},
}


def pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def keys() -> tuple[Any, Any]:
    return ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def jwt_server(tmp_path: Path, keys: tuple[Any, Any]) -> Iterator[Server]:
    (tmp_path / "sso.pem").write_text(pem(keys[0]), encoding="ascii")
    auth = write_auth(tmp_path / "auth.toml")
    with auth.open("a", encoding="utf-8") as file:
        file.write(
            '\n[jwt]\npublic_key = "sso.pem"\nalgorithms = ["ES256"]\n'
            'issuer = "https://sso.example"\naudience = "creditflow"\n'
        )
    server = Server(str(tmp_path / "book.sqlite"), auth, None)
    try:
        yield server
    finally:
        server.stop()


def token(key: Any, **claims: Any) -> str:
    now = dt.datetime.now(dt.UTC)
    body = {
        "sub": "officer-sso-1",
        "roles": ["case_officer"],
        "iss": "https://sso.example",
        "aud": "creditflow",
        "exp": now + dt.timedelta(minutes=5),
        **claims,
    }
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="ES256")


def test_a_verified_jwt_acts_as_its_subject_with_its_roles(
    jwt_server: Server, keys: tuple[Any, Any]
) -> None:
    with jwt_server.client() as client:
        headers = {"Authorization": f"Bearer {token(keys[0])}"}
        opened = client.post("/cases", json=LISTING, headers=headers)
        assert opened.status_code == 201, opened.text
        history = client.get("/cases/listing-1", headers=headers).json()["history"]
        assert history[0]["actor"] == "officer-sso-1"
        # its roles hold: a case officer may not decide
        reviewer = {"Authorization": f"Bearer {token(keys[0], roles=['reviewer'])}"}
        refused = client.post(
            "/cases/listing-1/events",
            json={"event": "notify", "on": "2026-05-06"},
            headers=reviewer,
        )
        assert refused.status_code == 403
        # the file's hashed tokens still work beside the JWTs
        officer = {"Authorization": "Bearer token-officer"}
        assert client.get("/cases/listing-1", headers=officer).status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"exp": None},
        {"iss": "https://elsewhere"},
        {"aud": "another-service"},
        {"sub": None},
        {"roles": None},
        {"roles": "case_officer"},
        {"sub": "officer-1", "roles": ["subject"]},  # a subject's token names a subject
    ],
)
def test_a_jwt_that_does_not_verify_is_401(
    jwt_server: Server, keys: tuple[Any, Any], claims: dict[str, Any]
) -> None:
    with jwt_server.client() as client:
        headers = {"Authorization": f"Bearer {token(keys[0], **claims)}"}
        response = client.post("/cases", json=LISTING, headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_another_key_or_no_signature_is_401(jwt_server: Server, keys: tuple[Any, Any]) -> None:
    unsigned = jwt.encode({"sub": "x", "roles": ["case_officer"]}, None, algorithm="none")
    with jwt_server.client() as client:
        for text in (token(keys[1]), unsigned):
            response = client.post(
                "/cases", json=LISTING, headers={"Authorization": f"Bearer {text}"}
            )
            assert response.status_code == 401


def test_the_jwt_table_is_checked(tmp_path: Path, keys: tuple[Any, Any]) -> None:
    (tmp_path / "sso.pem").write_text(pem(keys[0]), encoding="ascii")
    auth = tmp_path / "auth.toml"
    for table, why in [
        ('public_key = "sso.pem"\nalgorithms = ["HS256"]', "asymmetric"),
        ('public_key = "missing.pem"', "cannot read"),
        ('public_key = "sso.pem"\nsecret = "x"', "unknown keys"),
    ]:
        auth.write_text(f"[jwt]\n{table}\n", encoding="utf-8")
        with pytest.raises(InvalidInput, match=why):
            read_auth_file(auth)
