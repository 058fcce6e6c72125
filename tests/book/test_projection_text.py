"""A projection's text, made directly from its case, is byte for byte the canonical JSON of
its body (docs/book.md, "The encoding"): the digest the chain records covers that text."""

from __future__ import annotations

import datetime as dt
import string
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from creditflow.book._cases import Projection, row_of
from creditflow.book._records import to_json
from creditflow.book.encoding import canonical_json
from creditflow.workflows.case import Case, DeadlineState

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["", '"', "\\", "\n", "é", "中文", "\u2028", "\x00", 'a"b\\c']
)
_days = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | _text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
_deadlines = st.builds(
    DeadlineState, _text, st.sampled_from(["due", "window"]), _days, _days, st.booleans(),
    st.none() | _days, st.booleans(),
)  # fmt: skip
_cases = st.builds(
    Case, _text, _text, _text, st.text(string.ascii_letters + string.digits, max_size=18), _text,
    st.integers(0, 10**9), _days, _days,
    st.dictionaries(_text, _json, max_size=5).map(MappingProxyType),
    st.lists(_deadlines, max_size=4).map(tuple), st.booleans(),
)  # fmt: skip


@given(_cases)
def test_the_text_is_the_canonical_json_of_the_body(case: Case) -> None:
    body = case.to_body()
    projection = Projection(case)
    assert projection.text == canonical_json(body)
    assert to_json(row_of(case).body, "body") == canonical_json(body)


@given(_cases)
def test_the_mapping_is_the_body(case: Case) -> None:
    projection = Projection(case)
    assert dict(projection) == case.to_body()
    assert projection == case.to_body()
    assert len(projection) == len(case.to_body())
