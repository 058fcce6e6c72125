"""What a handler reads from a request: the principal, the JSON body's fields checked one by
one (a wrong one is :class:`~creditflow.errors.InvalidInput` naming it), the query and the
retry headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow.errors import InvalidInput
from creditflow.service.auth import Principal
from creditflow.service.problems import ServiceProblem

__all__ = ["Call", "Reply"]

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RESERVED = frozenset(
    {"on", "actor", "expected_version", "idempotency_key", "kind", "subject", "case_id", "event"}
)


@attrs.frozen
class Reply:
    """A handler's answer: the status, the JSON data and extra headers (``ETag``,
    ``Location``)."""

    data: Any
    status: int = 200
    headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Call:
    """One request as a handler sees it."""

    principal: Principal
    body: Mapping[str, Any]
    params: Mapping[str, str]
    query: Mapping[str, str]
    idempotency_key: str | None = None
    expected_version: int | None = None
    operation: str = ""
    official: Principal | None = None
    """The principal of the ``Official-Authorization`` token, vouching for ``new_subject``."""

    @property
    def key(self) -> str | None:
        """The book's idempotency key: the header's, scoped to the token's actor and the
        operation, so that one caller's key never returns another's case or another act."""
        if self.idempotency_key is None:
            return None
        actor = self.principal.actor.id  # length-prefixed: an actor's ":" cannot forge a scope
        return f"http:{len(actor)}:{actor}:{self.operation}:{self.idempotency_key}"

    def same_act(self, matches: bool) -> None:
        """A retry must repeat its request: a key that returned another act is refused."""
        if self.idempotency_key is not None and not matches:
            raise ServiceProblem(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used for another request; use a new key per act",
            )

    def text(self, name: str) -> str:
        """A required non-empty string field of the body."""
        value = self.body.get(name)
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"body.{name} must be a non-empty string, got {shown(value)}")
        return value

    def optional_text(self, name: str, default: str | None = None) -> str | None:
        """An optional string field (``default`` when absent or null)."""
        value = self.body.get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise InvalidInput(f"body.{name} must be a string, got {shown(value)}")
        return value

    def flag(self, name: str, default: bool | None = None) -> bool:
        """A boolean field; required when there is no ``default``."""
        value = self.body.get(name, default)
        if not isinstance(value, bool):
            raise InvalidInput(f"body.{name} must be true or false, got {shown(value)}")
        return value

    def day(self, name: str) -> dt.date:
        """A required ``YYYY-MM-DD`` field of the body."""
        return parse_day(self.body.get(name), f"body.{name}")

    def query_day(self, name: str) -> dt.date:
        """A required ``YYYY-MM-DD`` query parameter."""
        return parse_day(self.query.get(name), f"query {name}")

    def names(self, name: str, *, required: bool = False) -> list[str]:
        """A list of non-empty strings (empty when absent, unless ``required``)."""
        value = self.body.get(name, None if required else [])
        if (
            not isinstance(value, list)
            or (required and not value)
            or not all(isinstance(item, str) and item for item in value)
        ):
            need = "a non-empty list" if required else "a list"
            raise InvalidInput(
                f"body.{name} must be {need} of non-empty strings, got {shown(value)}"
            )
        return value

    def items(self, name: str, *, limit: int) -> list[Mapping[str, Any]]:
        """A list of JSON objects, at most ``limit`` of them."""
        value = self.body.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise InvalidInput(f"body.{name} must be a list of objects, got {shown(value)}")
        if len(value) > limit:
            raise InvalidInput(f"body.{name} has {len(value)} items; at most {limit} are taken")
        return value

    def data(self, name: str = "data") -> dict[str, Any]:
        """The event data: an object whose keys are not the call's own arguments."""
        value = self.body.get(name, {})
        if not isinstance(value, dict):
            raise InvalidInput(f"body.{name} must be an object, got {shown(value)}")
        bad = sorted(key for key in value if key in _RESERVED or key.startswith("_"))
        if bad:
            raise InvalidInput(f"body.{name} may not hold the keys {bad}: they are set apart")
        return value


def parse_day(value: object, name: str) -> dt.date:
    """``YYYY-MM-DD`` text as a date; :class:`~creditflow.errors.InvalidInput` otherwise."""
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"{name} must be a date YYYY-MM-DD, got {shown(value)}")
