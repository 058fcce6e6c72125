"""The stores' fast encoding agrees byte for byte with ``canonical_json`` and ``event_hash``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow.book._chain import prepare, seal
from creditflow.book._records import to_json
from creditflow.book.encoding import (
    MAX_INTEGER,
    event_digest,
    event_input_parts,
    event_input_pieces,
    projection_digest,
)
from creditflow.book.rows import GENESIS, CaseRow, NewEvent, canonical_json, event_hash

texts = st.text(st.characters(exclude_categories=["Cs"]))  # no lone surrogates
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_INTEGER, MAX_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
data = st.dictionaries(texts, json_values, max_size=5)
names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1)
moments = st.datetimes(timezones=st.just(dt.UTC))


@given(data)
def test_to_json_is_canonical_json(value: dict[str, Any]) -> None:
    assert to_json(value, "data") == canonical_json(value)


_STANDARD = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
)


@given(json_values)
def test_canonical_json_is_what_the_standard_encoder_writes(value: Any) -> None:
    # canonical_json keeps one C encoder for every call: the same text as a new encoder's
    assert canonical_json(value) == _STANDARD.encode(value)


def test_canonical_json_refuses_a_cycle_and_what_is_not_json() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        canonical_json({"a": cycle})
    with pytest.raises(ValueError, match="not JSON compliant"):
        canonical_json({"a": float("nan")})
    with pytest.raises(TypeError, match="not JSON serializable"):
        canonical_json({"a": dt.date(2026, 1, 1)})
    assert canonical_json({"b": [1], "a": None}) == '{"a":null,"b":[1]}'  # usable after


@given(
    names, st.integers(1, 10**9), names, st.dates(), names, data, st.none() | names,
    moments, st.integers(0, 10**12), st.text(),
)  # fmt: skip
def test_sealed_hashes_are_event_hashes(
    case_id: str, version: int, name: str, on: dt.date, actor: str, value: dict[str, Any],
    key: str | None, recorded_at: dt.datetime, seq: int, prev_hash: str,
) -> None:  # fmt: skip
    event = NewEvent(case_id, version, name, on, actor, value, key)
    row = CaseRow(case_id, "m", "k", "s", "st", version, False, on, {})
    batch = prepare([event], [row], {case_id: version - 1})
    [stored], [record] = seal(batch, (seq, prev_hash or GENESIS), recorded_at)
    assert stored.projection == projection_digest(batch.cases[0])
    assert stored.hash == record[11]
    assert stored.hash == event_hash(
        seq + 1, event, recorded_at, stored.prev_hash, stored.projection
    )
    assert stored.computed_hash() == stored.hash == event_digest(record[:11])


@given(
    names, st.integers(1, 10**9), names, st.dates(), names, data, st.none() | names, moments,
    st.integers(1, 10**12), st.text("0123456789abcdef", min_size=64, max_size=64),
    st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
)  # fmt: skip
def test_the_hash_input_pieces_put_together_are_the_event_digest_input(
    case_id: str, version: int, name: str, on: dt.date, actor: str, value: dict[str, Any],
    key: str | None, recorded_at: dt.datetime, seq: int, prev_hash: str, projection: str | None,
) -> None:  # fmt: skip
    """What the PostgreSQL server hashes (pieces around prev_hash and seq) is event_digest's."""
    text, recorded = canonical_json(value), recorded_at.isoformat()
    before, between, after = event_input_pieces(
        (case_id, version, name, on.isoformat(), actor, text, key, recorded, projection)
    )
    joined = f"{before}{prev_hash}{between}{seq}{after}"
    fields = (
        seq, case_id, version, name, on.isoformat(), actor, text, key, recorded, prev_hash,
        projection,
    )  # fmt: skip
    assert hashlib.sha256(joined.encode()).hexdigest() == event_digest(fields)
    head, mid, between_again, after_again = event_input_parts(
        (case_id, version, name, on.isoformat(), actor, text, key, recorded, projection)
    )  # schema 4's pieces: the data goes between head and mid, sent once
    assert (between_again, after_again) == (between, after)
    assert f"{head}{text}{mid}{prev_hash}{between}{seq}{after}" == joined
