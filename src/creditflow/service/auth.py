"""Bearer tokens, hashed at rest: the auth file, and the actor and roles a token stands for.

The auth file (TOML) lists each token by the SHA-256 of its text, never the text::

    [limits]                  # for every token unless it sets its own
    rate = 100                # requests per second, sustained
    burst = 200               # requests at once above the rate

    [[tokens]]
    actor = "officer-1"
    roles = ["case_officer"]
    sha256 = "9f86d0..."      # hash_token(token); the token itself is handed to its holder

A token is 32 random bytes (:func:`new_token`), so one SHA-256 suffices to keep it useless to
a reader of the file (a slow password hash is for guessable secrets). The roles of a request
come only from its token. A token with the ``subject`` role stands for one subject (its
``actor`` is the subject's credit code or resident ID) and holds no other role.

A ``[jwt]`` table also accepts JSON Web Tokens signed by an identity provider, verified
against its public key (PyJWT)::

    [jwt]
    public_key = "sso-public.pem"   # PEM, relative to the auth file
    algorithms = ["RS256"]          # asymmetric only: the file holds no secret
    issuer = "https://sso.example"  # optional: the required ``iss``
    audience = "creditflow"         # optional: the required ``aud``
    roles_claim = "roles"           # the claim listing the pack roles (default ``roles``)

The token's ``sub`` is the actor, its roles claim the roles; ``exp`` is required.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tomllib
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow.core.identifiers import subject_id
from creditflow.errors import InvalidInput
from creditflow.workflows.case import Actor

__all__ = [
    "SUBJECT_ROLE",
    "AuthFile",
    "JwtSettings",
    "Principal",
    "hash_token",
    "new_token",
    "read_auth_file",
]

SUBJECT_ROLE = "subject"
"""The pack role of a subject acting on its own cases (a firm or a person)."""

_PREFIX = "cf_"
_DEFAULT_RATE = 100.0
_DEFAULT_BURST = 200


@attrs.frozen
class Principal:
    """Who a request is from: the ``actor`` (id and pack roles) of its token, the token's rate
    limit (``rate`` per second, ``burst`` at once) and ``key``, the first 12 hexadecimal
    digits of its hash (to name the token in logs without showing it)."""

    actor: Actor
    rate: float
    burst: int
    key: str

    @property
    def is_subject(self) -> bool:
        """True for a subject's token: it sees and acts on its own cases only."""
        return SUBJECT_ROLE in self.actor.roles


@attrs.frozen
class JwtSettings:
    """How JSON Web Tokens are verified: the PEM ``public_key``, the allowed ``algorithms``,
    the required ``issuer`` and ``audience`` (None: not checked), the ``roles_claim``, and the
    rate limit of each token subject."""

    public_key: str = attrs.field(repr=False)
    algorithms: tuple[str, ...]
    issuer: str | None
    audience: str | None
    roles_claim: str
    rate: float
    burst: int


@attrs.frozen
class AuthFile:
    """The tokens of an auth file, by the SHA-256 of their text, and the JWT settings."""

    source: str
    principals: Mapping[str, Principal]
    jwt: JwtSettings | None = None

    def principal(self, token: str) -> Principal | None:
        """The principal of ``token``: a listed token, or a JWT that verifies; else None."""
        found = self.principals.get(hash_token(token))
        if found is None and self.jwt is not None and token.count(".") == 2:
            return _jwt_principal(token, self.jwt)
        return found


def hash_token(token: str) -> str:
    """The SHA-256 of a token's text, as 64 lowercase hexadecimal digits (what the file keeps)."""
    if not isinstance(token, str):
        raise InvalidInput(f"token must be a str, got {shown(token)}")
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    """A new random token (``cf_`` and 43 characters: 32 random bytes)."""
    return _PREFIX + secrets.token_urlsafe(32)


def read_auth_file(path: str | os.PathLike[str]) -> AuthFile:
    """Read the auth file at ``path``; a wrong entry is :class:`~creditflow.errors.InvalidInput`
    naming the file, the entry and the key."""
    if not isinstance(path, str | os.PathLike):
        raise InvalidInput(f"path must be a str or path, got {shown(path)}")
    source = os.fspath(path)
    if not isinstance(source, str):
        raise InvalidInput(f"path must be a str or path, got {shown(path)}")
    try:
        with open(source, "rb") as file:
            data = tomllib.load(file)
    except (OSError, ValueError) as error:  # ValueError: TOML, UTF-8, a NUL in the path
        raise InvalidInput(f"auth file {source}: cannot be read: {error}") from None
    limits = _table(data.get("limits", {}), source, "limits")
    rate = _rate(limits.get("rate", _DEFAULT_RATE), source, "limits.rate")
    burst = _burst(limits.get("burst", _DEFAULT_BURST), source, "limits.burst")
    entries = data.get("tokens", [])
    if not isinstance(entries, list):
        raise InvalidInput(f"auth file {source}: tokens must be an array of tables ([[tokens]])")
    principals: dict[str, Principal] = {}
    for index, entry in enumerate(entries):
        where = f"tokens[{index}]"
        digest, principal = _principal(_table(entry, source, where), source, where, rate, burst)
        if digest in principals:
            raise InvalidInput(f"auth file {source}: {where}.sha256 is listed twice")
        principals[digest] = principal
    jwt = data.get("jwt")
    settings = (
        None if jwt is None else _jwt_settings(_table(jwt, source, "jwt"), source, rate, burst)
    )
    return AuthFile(source, principals, settings)


def _principal(
    entry: Mapping[str, Any], source: str, where: str, rate: float, burst: int
) -> tuple[str, Principal]:
    unknown = sorted(set(entry) - {"actor", "roles", "sha256", "rate", "burst"})
    if unknown:
        raise InvalidInput(f"auth file {source}: {where}: unknown keys {unknown}")
    digest = entry.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
        raise InvalidInput(
            f"auth file {source}: {where}.sha256 must be 64 lowercase hexadecimal digits "
            "(creditflow serve --new-token prints it)"
        )
    actor_id, roles = entry.get("actor"), entry.get("roles")
    if not isinstance(actor_id, str) or not actor_id.strip():
        raise InvalidInput(f"auth file {source}: {where}.actor must be a non-empty string")
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) and r for r in roles):
        raise InvalidInput(f"auth file {source}: {where}.roles must be a list of role names")
    if SUBJECT_ROLE in roles:
        _check_subject(actor_id, roles, source, where)
    actor = Actor(actor_id, frozenset(roles))
    own_rate = _rate(entry.get("rate", rate), source, f"{where}.rate")
    own_burst = _burst(entry.get("burst", burst), source, f"{where}.burst")
    return digest, Principal(actor, own_rate, own_burst, digest[:12])


def _check_subject(actor_id: str, roles: list[str], source: str, where: str) -> None:
    if roles != [SUBJECT_ROLE]:
        raise InvalidInput(
            f"auth file {source}: {where}.roles: a subject's token holds the subject role only"
        )
    try:
        subject_id(actor_id)
    except InvalidInput as error:
        raise InvalidInput(
            f"auth file {source}: {where}.actor: a subject's token names the subject: {error}"
        ) from None


def _table(value: object, source: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"auth file {source}: {where} must be a table")
    return value


def _rate(value: object, source: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1e6:
        raise InvalidInput(
            f"auth file {source}: {where} must be a number in (0, 1e6], got {shown(value)}"
        )
    return float(value)


def _burst(value: object, source: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
        raise InvalidInput(f"auth file {source}: {where} must be a whole number in 1..1000000")
    return value


_ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


def _jwt_settings(table: Mapping[str, Any], source: str, rate: float, burst: int) -> JwtSettings:
    where = f"auth file {source}: jwt"
    unknown = sorted(
        set(table)
        - {"public_key", "algorithms", "issuer", "audience", "roles_claim", "rate", "burst"}
    )
    if unknown:
        raise InvalidInput(f"{where}: unknown keys {unknown}")
    algorithms = table.get("algorithms", ["RS256"])
    if not isinstance(algorithms, list) or not algorithms or set(algorithms) - _ASYMMETRIC:
        raise InvalidInput(
            f"{where}.algorithms must list asymmetric algorithms ({', '.join(sorted(_ASYMMETRIC))})"
        )
    key_path = table.get("public_key")
    if not isinstance(key_path, str) or not key_path:
        raise InvalidInput(f"{where}.public_key must name a PEM file")
    path = os.path.join(os.path.dirname(source), key_path)
    try:
        with open(path, encoding="ascii") as file:
            key = file.read()
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{where}.public_key: cannot read {path}: {error}") from None
    if "PRIVATE KEY" in key or "PUBLIC KEY" not in key:
        raise InvalidInput(
            f"{where}.public_key: {path} must hold a PEM public key, not a private one"
        )
    texts = {}
    for name in ("issuer", "audience"):
        value = table.get(name)
        if value is not None and (not isinstance(value, str) or not value):
            raise InvalidInput(f"{where}.{name} must be a non-empty string")
        texts[name] = value
    claim = table.get("roles_claim", "roles")
    if not isinstance(claim, str) or not claim:
        raise InvalidInput(f"{where}.roles_claim must be a non-empty string")
    _jwt_module(where)
    return JwtSettings(
        key,
        tuple(algorithms),
        texts["issuer"],
        texts["audience"],
        claim,
        _rate(table.get("rate", rate), source, "jwt.rate"),
        _burst(table.get("burst", burst), source, "jwt.burst"),
    )


def _jwt_module(where: str) -> Any:
    try:
        import jwt
    except ModuleNotFoundError:
        raise InvalidInput(f"{where}: JWTs need PyJWT: pip install 'creditflow[serve]'") from None
    return jwt


def _jwt_principal(token: str, settings: JwtSettings) -> Principal | None:
    """The principal of a JWT that verifies (signature, ``exp``, issuer, audience, a ``sub``
    and its roles as the file's tokens need them), else None."""
    jwt = _jwt_module("jwt")
    required = ["exp", "sub"] + [n for n in ("iss", "aud") if getattr(settings, _CLAIMS[n])]
    try:
        claims = jwt.decode(
            token,
            settings.public_key,
            algorithms=list(settings.algorithms),
            issuer=settings.issuer,
            audience=settings.audience,
            leeway=30,
            options={"require": required},
        )
    except jwt.PyJWTError:
        return None
    actor_id, roles = claims.get("sub"), claims.get(settings.roles_claim)
    if not isinstance(actor_id, str) or not actor_id.strip() or not isinstance(roles, list):
        return None
    if not roles or not all(isinstance(r, str) and r for r in roles):
        return None
    if SUBJECT_ROLE in roles:
        try:
            _check_subject(actor_id, roles, "jwt", "token")
        except InvalidInput:
            return None
    key = "jwt:" + hash_token(actor_id)[:12]
    return Principal(Actor(actor_id, frozenset(roles)), settings.rate, settings.burst, key)


_CLAIMS = {"iss": "issuer", "aud": "audience"}
