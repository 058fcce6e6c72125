"""The canonical encoding of a book: the exact bytes that event hashes and projection digests
cover, and the JSON values a book accepts.

docs/book.md ("The encoding") specifies all of it byte by byte, so that a program in any
language can recompute every hash of a book; a test re-implements it from that page alone.
Every store uses these functions and no other encoder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Final

from creditflow._repr import a_type
from creditflow._validation import MAX_JSON_DEPTH, MAX_JSON_INTEGER, ensure_json, is_json
from creditflow.errors import InvalidInput

__all__ = [
    "GENESIS",
    "MAX_DATA_BYTES",
    "MAX_DEPTH",
    "MAX_INTEGER",
    "canonical_json",
    "check_json",
    "event_digest",
    "projection_digest",
]

GENESIS: Final = "0" * 64
"""The ``prev_hash`` of the first event of a book."""

MAX_DEPTH: Final = MAX_JSON_DEPTH
"""The deepest nesting of arrays and objects in event data (the data itself is level 1)."""

MAX_INTEGER: Final = MAX_JSON_INTEGER
"""The largest magnitude of an integer in event data: the range every JSON reader keeps
exact (I-JSON, RFC 7493)."""

MAX_DATA_BYTES: Final = 1_000_000
"""The largest event data, as canonical JSON in UTF-8."""

_ENCODER: Final = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
)
_quote = json.encoder.encode_basestring


def _fast_encoder() -> Any:
    """``_ENCODER``'s own C encoder, made once instead of at every call (which
    ``JSONEncoder.encode`` does: half the cost of a small object), without the table of
    containers being encoded that finds a cycle; None where the C encoder is missing."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return None
    return make(None, _ENCODER.default, _quote, None, ":", ",", True, False, False)


_FAST: Final = _fast_encoder()
_join = "".join


def canonical_json(value: Any) -> str:
    """JSON with keys sorted by code point, no spaces, non-ASCII characters as themselves and
    no NaN or infinity: the text that hashes cover. ``ValueError`` or ``TypeError`` if
    ``value`` is not JSON-ready."""
    if _FAST is None:  # pragma: no cover - CPython has it
        return _ENCODER.encode(value)
    try:
        return _join(_FAST(value, 0))
    except RecursionError:  # a cycle, or nesting deeper than the interpreter goes
        return _ENCODER.encode(value)  # ValueError for a cycle, as JSONEncoder says it


def event_digest(fields: Sequence[Any]) -> str:
    """The hash of an event: SHA-256 (hex) of its hash input.

    ``fields`` are the event's stored fields in column order, up to its hash: ``seq``,
    ``case_id``, ``version``, ``event``, ``on`` (ISO date), ``actor``, ``data`` (its canonical
    JSON, used byte for byte), ``idempotency_key``, ``recorded_at`` (ISO time), ``prev_hash``
    and ``projection`` (the digest of the case state it produced, or None).
    """
    seq, case_id, version, event, on, actor, data, key, recorded_at, prev_hash, projection = fields
    text = (
        f'{{"actor":{_quote(actor)},"case_id":{_quote(case_id)},"data":{data},'
        f'"event":{_quote(event)},"idempotency_key":{_optional(key)},"on":{_quote(on)},'
        f'"prev_hash":{_quote(prev_hash)},"projection":{_optional(projection)},'
        f'"recorded_at":{_quote(recorded_at)},"seq":{int(seq)},"version":{int(version)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def event_input_pieces(fields: Sequence[Any]) -> tuple[str, str, str]:
    """An event's hash input cut around the two values a server fills in: ``prev_hash``
    and ``seq``.

    ``fields`` are those of :func:`event_digest` but ``seq`` and ``prev_hash`` (``case_id``,
    ``version``, ``event``, ``on``, ``actor``, ``data``, ``idempotency_key``, ``recorded_at``,
    ``projection``). For a ``prev_hash`` of 64 hexadecimal digits (every hash of a book),
    ``before + prev_hash + between + str(seq) + after`` is the text :func:`event_digest`
    hashes: the PostgreSQL store of schema 3 let the server chain events this way, then
    checked every hash it returned with :func:`event_digest`.
    """
    head, mid, between, after = event_input_parts(fields)
    return f"{head}{fields[5]}{mid}", between, after


def event_input_parts(fields: Sequence[Any]) -> tuple[str, str, str, str]:
    """An event's hash input cut around ``data``, ``prev_hash`` and ``seq``: ``head + data +
    mid + prev_hash + between + str(seq) + after`` is the text :func:`event_digest` hashes.

    ``fields`` are those of :func:`event_input_pieces`; ``data`` (canonical JSON) is used
    byte for byte, so a server that stores it as it is sent need not be sent it twice (the
    PostgreSQL store of schema 4).
    """
    case_id, version, event, on, actor, _data, key, recorded_at, projection = fields
    head = f'{{"actor":{_quote(actor)},"case_id":{_quote(case_id)},"data":'
    mid = (
        f',"event":{_quote(event)},"idempotency_key":{_optional(key)},"on":{_quote(on)},'
        '"prev_hash":"'
    )
    between = f'","projection":{_optional(projection)},"recorded_at":{_quote(recorded_at)},"seq":'
    return head, mid, between, f',"version":{int(version)}}}'


def projection_digest(record: Sequence[Any]) -> str:
    """The digest of a stored case projection: SHA-256 (hex) of its canonical JSON.

    ``record`` holds the columns ``case_id``, ``machine``, ``kind``, ``subject_id``,
    ``state``, ``version``, ``closed`` (the int 0 or 1; anything else is ``ValueError``),
    ``last_on`` (ISO date) and ``body`` (its canonical JSON, used byte for byte).
    """
    case_id, machine, kind, subject_id, state, version, closed, last_on, body = record
    if type(closed) is not int or closed not in (0, 1):
        raise ValueError(f"closed is {closed!r}, not 0 or 1")
    text = (
        f'{{"body":{body},"case_id":{_quote(case_id)},"closed":{"true" if closed else "false"},'
        f'"kind":{_quote(kind)},"last_on":{_quote(last_on)},"machine":{_quote(machine)},'
        f'"state":{_quote(state)},"subject_id":{_quote(subject_id)},"version":{int(version)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _optional(text: str | None) -> str:
    return "null" if text is None else _quote(text)


def check_json(value: object, name: str) -> str:
    """The canonical JSON of ``value``, an object of event data; :class:`InvalidInput` naming
    the first part of it that is not portable JSON.

    Accepted: ``None``, ``bool``, ``str`` (valid Unicode: no lone surrogates), ``int`` of
    magnitude up to :data:`MAX_INTEGER`, finite ``float``, ``list`` and ``tuple`` (arrays) and
    ``dict`` with ``str`` keys (objects), nested at most :data:`MAX_DEPTH` deep, and at most
    :data:`MAX_DATA_BYTES` in all.
    """
    if not isinstance(value, dict):
        raise InvalidInput(f"{name} must be a dict, got {a_type(value)}")
    try:
        if not is_json(value):
            raise ValueError
        text = canonical_json(value)
        size = len(text.encode())
    except (TypeError, ValueError):  # UnicodeEncodeError included: say where, in detail
        ensure_json(value, name)
        text = canonical_json(value)  # a subclass of str, int or float: kept as its base
        size = len(text.encode())
    if size > MAX_DATA_BYTES:
        raise InvalidInput(
            f"{name} is {size:,} bytes as JSON, more than the {MAX_DATA_BYTES:,} a book keeps "
            "in one event"
        )
    return text
