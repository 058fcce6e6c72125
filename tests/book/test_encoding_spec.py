"""docs/book.md "The encoding", re-implemented from the page alone, recomputes every hash.

Nothing here imports creditflow's encoder: the canonical JSON writer, the number layout and
the two hash inputs below follow the page's words, so a disagreement means the page or the
code is wrong. Hypothesis writes the data; the book stores it; this module recomputes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditflow.book import CaseRow, CreditBook, MemoryStore, NewEvent, SqliteStore

# -- the page, as code --------------------------------------------------------------------------

_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string(text: str) -> str:
    """A string: `"` escaped, `\\` escaped, five short escapes, other controls as \\u00xx."""
    out = []
    for char in text:
        if char in _SHORT:
            out.append(_SHORT[char])
        elif ord(char) < 0x20:
            out.append(f"\\u00{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def number(value: float) -> str:
    """The shortest decimal reading back as the same double (of those, the closest to the
    double's exact value), plain for decimal exponents -4 to 15, else in exponent form with a
    sign and at least two exponent digits."""
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    exact = decimal.Decimal(value)
    for precision in range(1, 18):
        found = set()
        for rounding in (decimal.ROUND_FLOOR, decimal.ROUND_CEILING):
            with decimal.localcontext() as context:
                context.prec, context.rounding = precision, rounding
                candidate = +exact
            if float(candidate) == value:
                found.add(candidate)
        if found:
            shortest = min(found, key=lambda d: abs(d - exact))
            break
    sign, digit_tuple, power = shortest.as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    exponent = len(digit_tuple) + int(power) - 1  # of the first digit
    minus = "-" if sign else ""
    if -4 <= exponent <= 15:
        point = exponent + 1  # digits before the decimal point
        if point <= 0:
            return f"{minus}0.{'0' * -point}{digits}"
        whole, fraction = digits[:point].ljust(point, "0"), digits[point:]
        return f"{minus}{whole}.{fraction or '0'}"
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{minus}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def canonical(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    members = sorted(value.items())  # by code point
    return "{" + ",".join(f"{string(k)}:{canonical(v)}" for k, v in members) + "}"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def optional(text: str | None) -> str:
    return "null" if text is None else string(text)


def event_hash(row: dict[str, Any]) -> str:
    return sha256(
        f'{{"actor":{string(row["actor"])},"case_id":{string(row["case_id"])},'
        f'"data":{row["data"]},"event":{string(row["event"])},'
        f'"idempotency_key":{optional(row["idempotency_key"])},"on":{string(row["on_date"])},'
        f'"prev_hash":{string(row["prev_hash"])},"projection":{optional(row["projection"])},'
        f'"recorded_at":{string(row["recorded_at"])},"seq":{row["seq"]},'
        f'"version":{row["version"]}}}'
    )


def projection_digest(row: dict[str, Any]) -> str:
    return sha256(
        f'{{"body":{row["body"]},"case_id":{string(row["case_id"])},'
        f'"closed":{"true" if row["closed"] else "false"},"kind":{string(row["kind"])},'
        f'"last_on":{string(row["last_on"])},"machine":{string(row["machine"])},'
        f'"state":{string(row["state"])},"subject_id":{string(row["subject_id"])},'
        f'"version":{row["version"]}}}'
    )


def verify_file(path: Path) -> int:
    """The page's verification of a SQLite book, from its rows; the events checked."""
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    events = [dict(row) for row in db.execute("SELECT * FROM events ORDER BY seq")]
    cases = {row["case_id"]: dict(row) for row in db.execute("SELECT * FROM cases")}
    db.close()
    prev, last = "0" * 64, {}
    for seq, event in enumerate(events, start=1):
        assert event["seq"] == seq and event["prev_hash"] == prev
        assert canonical(json.loads(event["data"])) == event["data"]  # stored canonically
        assert event_hash(event) == event["hash"]
        prev, last[event["case_id"]] = event["hash"], event
    assert last.keys() == cases.keys()
    for case_id, case in cases.items():
        assert canonical(json.loads(case["body"])) == case["body"]
        assert projection_digest(case) == last[case_id]["projection"]
    return len(events)


# -- the checks ---------------------------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=10,
)


@given(values)
@settings(max_examples=500)
def test_canonical_json_is_the_pages(value: Any) -> None:
    from creditflow.book.encoding import canonical_json

    assert canonical({"v": value}) == canonical_json({"v": value})


@given(st.lists(st.dictionaries(texts, values, max_size=4), min_size=1, max_size=4))
@settings(max_examples=50, deadline=None)  # durable commits: one fsync took 1 s on a busy machine
def test_the_page_recomputes_every_hash_of_a_store(tmp_path_factory: Any, data: list[Any]) -> None:
    path = tmp_path_factory.mktemp("spec") / "book.sqlite"
    with SqliteStore.open(path) as store:
        for index, item in enumerate(data):
            case_id, version = f"C{index % 2}", index // 2 + 1
            event = NewEvent(case_id, version, "e", dt.date(2026, 6, 1), "a", item, None)
            row = CaseRow(case_id, "m", "k", "s", "st", version, False, dt.date(2026, 6, 1),
                          {"data": item, "n": index})  # fmt: skip
            store.append([event], [row], expected={case_id: version - 1})
    assert verify_file(path) == len(data)


@given(st.lists(st.dictionaries(texts, values, max_size=4), min_size=1, max_size=4))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_page_recomputes_every_hash_of_a_postgresql_book(
    tmp_path_factory: Any, postgres_cluster: Any, data: list[Any]
) -> None:
    """The text PostgreSQL gives back is the text that was hashed: copied out to a file, the
    page's own verifier recomputes every hash from it."""
    from creditflow.book.copying import copy_book
    from creditflow.book.postgres_store import PostgresStore

    url = postgres_cluster.create_database()
    path = tmp_path_factory.mktemp("spec") / "book.sqlite"
    with PostgresStore.open(url) as store, SqliteStore.open(path) as copy:
        for index, item in enumerate(data):
            case_id, version = f"C{index % 2}", index // 2 + 1
            event = NewEvent(case_id, version, "e", dt.date(2026, 6, 1), "a", item, None)
            row = CaseRow(case_id, "m", "k", "s", "st", version, False, dt.date(2026, 6, 1),
                          {"data": item, "n": index})  # fmt: skip
            store.append([event], [row], expected={case_id: version - 1})
        assert copy_book(store, copy).ok
    postgres_cluster.drop_database(url)
    assert verify_file(path) == len(data)


def test_the_page_recomputes_every_hash_of_a_real_book(tmp_path: Path) -> None:
    from _people import published_listing, repair_application

    path = tmp_path / "book.sqlite"
    with CreditBook.open(path, policy="national-transport") as book:
        listing = published_listing(book)
        repair_application(book, listing, dt.date(2027, 6, 1))
        with book.batch():  # several events of a case in one append: only the last has a digest
            published_listing(book, kind="watch", on=dt.date(2026, 7, 1))
        events = book.head()[0]
    assert verify_file(path) == events


def test_numbers_are_laid_out_as_the_page_says() -> None:
    cases = {
        0.5: "0.5", 1.0: "1.0", -0.0: "-0.0", 123.25: "123.25", 0.0001: "0.0001",
        0.00001: "1e-05", 1.5e-05: "1.5e-05", 1e15: "1000000000000000.0", 1e16: "1e+16",
        2.5e100: "2.5e+100", 0.1 + 0.2: "0.30000000000000004", 2.0**-24: "5.960464477539063e-08",
    }  # fmt: skip
    assert {value: number(value) for value in cases} == cases
    memory = MemoryStore()
    event = NewEvent("C1", 1, "e", dt.date(2026, 6, 1), "a", {"x": list(cases)}, None)
    row = CaseRow("C1", "m", "k", "s", "st", 1, False, dt.date(2026, 6, 1), {})
    [stored] = memory.append([event], [row], expected={"C1": 0})
    assert memory._events[0][6] == '{"x":[' + ",".join(cases.values()) + "]}"
    assert stored.hash == memory._events[0][11]
