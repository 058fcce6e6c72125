"""What a check reads is tamper-evident: a credit book edited behind creditflow's back.

A bureau's book on SQLite or PostgreSQL is changed with plain SQL, as an insider or an attacker
with the file or the owner's role would: projections edited, deleted or invented, events
edited, deleted, reordered, the tail cut off, history re-hashed. Every change is found by
``verify()`` (the chain and the projections) or by ``verify(anchors=...)`` (a head published
earlier), and ``creditflow verify`` prints which.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest

from _people import OFFICER, SUBJECT, published_listing
from creditflow.book import Anchor, CaseRow, CreditBook, NewEvent, open_store
from creditflow.book.encoding import event_digest
from creditflow.cli import main
from creditflow.errors import BookCorrupt, InvalidInput
from creditflow.workflows import Actor

D = dt.date


def _build(target: str) -> str:
    """A book holding a published serious listing (with its record) and a proposed one."""
    with CreditBook.open(target, policy="national-transport") as book:
        published_listing(book)
        proposed = book.open_case(
            "listing.watch", SUBJECT, on=D(2026, 6, 1), actor=OFFICER,
            domain="road_transport", grounds="g", basis="b",
        )  # fmt: skip
        assert proposed.case_id
    return target


@pytest.fixture(params=["sqlite", "postgres"])
def path(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The book of :func:`_build` in a SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return _build(str(tmp_path / "book.sqlite"))
    return _build(request.getfixturevalue("postgres_url"))


@pytest.fixture
def book(path: str) -> Iterator[CreditBook]:
    with CreditBook.open(path, policy="national-transport") as opened:
        yield opened


def sql(path: str, statement: str, *params: object) -> None:
    """Run ``statement`` on the book as an attacker would: no foreign keys, no CHECKs (in
    PostgreSQL, an attacker with the owner's rights: CHECK and UNIQUE constraints dropped)."""
    if not path.startswith("postgresql://"):
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA ignore_check_constraints = ON")
            db.execute(statement, params)
        db.close()
        return
    # smallint holds no text: the attacker writes 2, neither 0 nor 1 either
    statement = _postgres_sql(statement.replace("closed = ''", "closed = 2"))
    with psycopg.connect(path, autocommit=True) as pg:
        pg.execute(_DROP_CONSTRAINTS)
        pg.execute("SET session_replication_role = replica")  # no foreign keys
        pg.execute(statement, params)


def rows(path: str, statement: str, *params: object) -> list[tuple[object, ...]]:
    if not path.startswith("postgresql://"):
        with sqlite3.connect(path) as db:
            found = db.execute(statement, params).fetchall()
        db.close()
        return found
    with psycopg.connect(path, autocommit=True) as pg:
        return pg.execute(_postgres_sql(statement), params).fetchall()


def _postgres_sql(statement: str) -> Any:
    return re.sub(r"\b(events|cases)\b", r"creditflow_\1", statement.replace("?", "%s"))


_DROP_CONSTRAINTS = """DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
             WHERE conrelid IN ('creditflow_events'::regclass, 'creditflow_cases'::regclass)
             AND contype IN ('c', 'u') LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);
    END LOOP; END $$"""


def listing_id(book: CreditBook) -> str:
    return next(c.case_id for c in book.cases(machine="listing") if c.state == "published")


def verify_cli(path: str | Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``creditflow verify --db path *args`` in-process: its exit code and stdout (stderr is
    kept in ``capsys.last_err``)."""
    code = main(["verify", "--db", str(path), *args])
    captured = capsys.readouterr()
    capsys.last_err = captured.err  # type: ignore[attr-defined]
    return code, captured.out


# -- the projections a check reads ------------------------------------------------------------


def test_a_listing_edited_to_removed_is_found(
    path: str, book: CreditBook, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's attack: the listing vanishes from checks while verify said ok."""
    case_id = listing_id(book)
    before = book.status(SUBJECT, on=D(2026, 7, 1))
    assert [a.kind for a in before.listings] == ["serious"]
    [(body,)] = rows(path, "SELECT body FROM cases WHERE case_id = ?", case_id)
    forged = json.loads(str(body)) | {"state": "dropped", "closed": True}
    sql(path, "UPDATE cases SET state = 'dropped', closed = 1, body = ? WHERE case_id = ?",
        json.dumps(forged), case_id)  # fmt: skip
    assert book.status(SUBJECT, on=D(2026, 7, 1)).listings == ()  # what a check reads

    report = book.verify()
    assert (report.ok, report.case_id) == (False, case_id)
    assert report.reason is not None and "state 'dropped'" in report.reason
    code, out = verify_cli(path, capsys)
    assert code == 1
    assert out.startswith(f"broken at case {case_id}: the projection of case '{case_id}'")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases SET body = replace(body, '多次严重违法', '轻微') WHERE machine = 'listing'",
        "DELETE FROM cases WHERE machine = 'record'",
        "INSERT INTO cases SELECT 'listing-999', machine, kind, subject_id, state, version, "
        "closed, last_on, body FROM cases WHERE machine = 'listing' LIMIT 1",
        "UPDATE cases SET version = version + 1 WHERE machine = 'record'",
        "INSERT INTO cases SELECT '', machine, kind, '91110000600037341L', state, version, "
        "closed, last_on, body FROM cases WHERE machine = 'listing' LIMIT 1",
        "UPDATE cases SET closed = '' WHERE machine = 'record'",
    ],
    ids=[
        "body edited",
        "row deleted",
        "row invented",
        "version raised",
        "empty id invented",
        "closed not 0 or 1",
    ],
)
def test_every_projection_edit_is_found(
    path: str, book: CreditBook, capsys: pytest.CaptureFixture[str], statement: str
) -> None:
    sql(path, statement)
    report = book.verify()
    assert not report.ok and report.case_id is not None and report.broken_at is None
    code, out = verify_cli(path, capsys)
    assert (code, out.startswith(f"broken at case {report.case_id}: ")) == (1, True)


# -- the events ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "seq"),
    [
        ("UPDATE events SET actor = 'official-2' WHERE seq = 3", 3),
        ("UPDATE events SET data = replace(data, '期满或修复', '永不') WHERE seq = 3", 3),
        ("UPDATE events SET projection = NULL WHERE seq = 4", 4),
        ("DELETE FROM events WHERE seq = 2", 2),
        ("UPDATE events SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)", 2),
    ],
    ids=["actor", "data", "projection digest", "deleted", "reordered"],
)
def test_every_event_edit_is_found(
    path: str,
    book: CreditBook,
    capsys: pytest.CaptureFixture[str],
    statement: str,
    seq: int,
) -> None:
    if "seq = CASE" in statement:  # swap two rows through a free seq (seq is the key)
        sql(path, "UPDATE events SET seq = -1 WHERE seq = 2")
        sql(path, "UPDATE events SET seq = 2 WHERE seq = 3")
        sql(path, "UPDATE events SET seq = 3 WHERE seq = -1")
    else:
        sql(path, statement)
    report = book.verify()
    assert (report.ok, report.broken_at) == (False, seq)
    code, out = verify_cli(path, capsys)
    assert (code, out.startswith(f"broken at seq {seq}: ")) == (1, True)


def test_a_cut_tail_is_found_by_its_projections_or_else_by_an_anchor(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with CreditBook.open(path, policy="national-transport") as book:
        published = book.anchor()  # printed on the notice made today
        last = published.seq
    sql(path, "DELETE FROM events WHERE seq > ?", last - 2)
    code, out = verify_cli(path, capsys)
    assert code == 1 and out.startswith("broken at case ")  # projections ahead of the chain

    # An attacker who also rebuilds the projections from what is left ...
    with CreditBook.open(path, policy="national-transport") as book:
        book.rebuild()
        assert book.verify().ok
        # ... and writes on, reusing the seqs of the removed events:
        book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 2), actor=OFFICER,
                       domain="road_transport", grounds="g", basis="b")  # fmt: skip
        book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 2), actor=OFFICER,
                       domain="road_transport", grounds="g", basis="b")  # fmt: skip
        assert book.head()[0] == last
        report = book.verify(anchors=[str(published)])
    assert (report.ok, report.broken_at) == (False, last)
    assert report.reason is not None and "does not hold" in report.reason
    code, out = verify_cli(path, capsys, "--anchor", str(published))
    assert code == 1 and out.startswith(f"broken at seq {last}: the anchor {published}")


def test_an_anchor_beyond_a_cut_head_is_found(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with CreditBook.open(path, policy="national-transport") as book:
        published = book.anchor()
    sql(path, "DELETE FROM events WHERE seq = ?", published.seq)
    with CreditBook.open(path, policy="national-transport") as book:
        book.rebuild()
    code, out = verify_cli(path, capsys, "--anchor", str(published))
    assert code == 1
    assert out.startswith(f"broken at seq {published.seq}: the anchor {published} lies beyond")


def test_history_rehashed_from_an_event_on_is_found_by_an_anchor(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every hash and digest recomputed after a forged event: only an anchor can tell."""
    with CreditBook.open(path, policy="national-transport") as book:
        published = book.anchor()
    records = rows(path, "SELECT seq, case_id, version, event, on_date, actor, data, "
                   "idempotency_key, recorded_at, prev_hash, projection, hash FROM events "
                   "ORDER BY seq")  # fmt: skip
    prev = str(records[1][11])
    for record in records[2:]:
        fields = list(record[:11])
        fields[5] = "official-2" if record[0] == 3 else fields[5]
        fields[9] = prev
        prev = event_digest(fields)
        sql(path, "UPDATE events SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            fields[5], fields[9], prev, record[0])  # fmt: skip
    assert verify_cli(path, capsys)[0] == 0
    code, out = verify_cli(
        path, capsys, "--anchor", str(published), "--anchor", f"2:{records[1][11]}"
    )
    assert code == 1
    assert out.startswith(f"broken at seq {published.seq}: the anchor {published} does not hold")


def test_verify_reports_what_it_checked(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    with CreditBook.open(path, policy="national-transport") as book:
        anchor, cases = book.anchor(), len(list(book.cases()))
    code, out = verify_cli(path, capsys, "--anchor", str(anchor), "--anchor", f"0:{'0' * 64}")
    assert code == 0
    assert out == (f"ok: {anchor.seq} events, {cases} projections, 2 anchors; head {anchor}\n")


# -- deep: replaying the events -----------------------------------------------------------------


def test_deep_verify_finds_a_projection_the_events_do_not_give(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A writer that hashed a wrong projection: the digests agree, the replay does not."""
    with CreditBook.open(path, policy="national-transport") as book:
        proposed = next(c for c in book.cases(machine="listing") if c.state == "proposed")
        wrong = attrs.evolve(proposed, state="published", version=2, last_on=D(2026, 6, 1))
        row = CaseRow(wrong.case_id, "listing", "watch", SUBJECT, "published", 2, False,
                      D(2026, 6, 1), wrong.to_body())  # fmt: skip
        event = NewEvent(proposed.case_id, 2, "notify", D(2026, 6, 1), "officer-1", {})
        store = open_store(path)  # a writer that is not creditflow's book
        with contextlib.closing(store):
            store.append([event], [row], expected={proposed.case_id: 1})
        assert book.verify().ok
        report = book.verify(deep=True)
    assert (report.ok, report.case_id) == (False, proposed.case_id)
    assert report.reason is not None
    assert "state is 'published', the events give 'notified'" in report.reason
    code, out = verify_cli(path, capsys, "--deep")
    assert code == 1 and out.startswith(f"broken at case {proposed.case_id}: ")


def test_deep_verify_of_a_sound_book(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify_cli(path, capsys, "--deep", "--policy", "national-transport")
    assert code == 0 and ", replayed; head " in out


# -- reading a damaged book ---------------------------------------------------------------------


def test_replay_and_status_on_a_damaged_book_raise_book_corrupt(
    path: str, book: CreditBook
) -> None:
    sql(path, "UPDATE events SET data = '{\"_kind\":' WHERE seq = 1")
    with pytest.raises(BookCorrupt, match="event 1") as raised:
        book.replay()
    assert raised.value.seq == 1
    sql(path, "UPDATE cases SET body = '{\"case_id\": 1}' WHERE machine = 'record'")
    with pytest.raises(BookCorrupt, match="the projection of case listing-1.record") as corrupt:
        book.status(SUBJECT, on=D(2026, 7, 1))
    assert corrupt.value.case_id == "listing-1.record"


# -- never writing ------------------------------------------------------------------------------


def test_verify_never_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(_build(str(tmp_path / "book.sqlite")))
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert verify_cli(empty, capsys)[0] == 2
    assert empty.read_bytes() == b""
    assert "is empty: not a creditflow book" in capsys.last_err  # type: ignore[attr-defined]

    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    before = foreign.read_bytes()
    assert verify_cli(foreign, capsys)[0] == 2
    assert foreign.read_bytes() == before  # not switched to WAL
    assert "not a creditflow book" in capsys.last_err  # type: ignore[attr-defined]

    assert verify_cli(tmp_path / "none.sqlite", capsys)[0] == 2
    assert not (tmp_path / "none.sqlite").exists()

    size = path.stat().st_size
    with CreditBook.open(path, read_only=True) as book:
        assert book.verify().ok
        with pytest.raises(InvalidInput, match="read-only"):
            book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 3), actor=OFFICER,
                           domain="road_transport", grounds="g", basis="b")  # fmt: skip
    assert path.stat().st_size == size


@pytest.mark.parametrize("text", ["5", "5:abc", "-1:" + "0" * 64, "x:" + "0" * 64, "1:" + "A" * 64])
def test_a_malformed_anchor_is_an_error(
    path: str, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert verify_cli(path, capsys, "--anchor", text)[0] == 2
    with pytest.raises(InvalidInput, match="SEQ:HASH"):
        Anchor.parse(text)


# -- data that is not JSON ----------------------------------------------------------------------


NOT_JSON = [
    (math.nan, r"\['x'\]=nan is not a JSON number"),
    (math.inf, "no NaN or infinity"),
    ({1: "x"}, "JSON object keys are str"),
    (2**60, r"beyond ±\(2\*\*53 - 1\)"),
    ("\ud800", "lone surrogate"),
    (object(), "is a object, not JSON"),
    (functools.reduce(lambda inner, _: [inner], range(40), []), "levels deep"),
]


@pytest.mark.parametrize(("value", "message"), NOT_JSON)
def test_event_data_that_is_not_portable_json_is_refused_by_the_store(
    book: CreditBook, path: str, value: object, message: str
) -> None:
    head = book.head()
    event = NewEvent("C1", 1, "e", D(2026, 6, 3), "a", {"x": value})
    row = CaseRow("C1", "m", "k", SUBJECT, "s", 1, False, D(2026, 6, 3), {})
    store = open_store(path)
    with contextlib.closing(store), pytest.raises(InvalidInput, match=message):
        store.append([event], [row], expected={"C1": 0})
    assert book.head() == head


@pytest.mark.parametrize(("value", "message"), NOT_JSON)
def test_case_data_that_is_not_portable_json_is_refused(
    book: CreditBook, value: object, message: str
) -> None:
    head = book.head()
    with pytest.raises(InvalidInput):
        book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 3), actor=OFFICER,
                       domain="road_transport", grounds=value, basis="b")  # fmt: skip
    assert book.head() == head


@pytest.mark.parametrize("nest", [lambda v: {"x": v}, lambda v: {"x": [1, v]}])
@pytest.mark.parametrize(("value", "message"), NOT_JSON)
def test_nested_case_data_that_is_not_portable_json_is_refused_naming_it(
    book: CreditBook, value: object, message: str, nest: Callable[[object], object]
) -> None:
    """Inside a field that takes any JSON (a record's decision): InvalidInput naming the part,
    not a RecursionError (NaN, infinities and big integers looped), and nothing written."""
    head = book.head()
    with pytest.raises(InvalidInput, match=message.replace(r"\['x'\]", "")) as info:
        book.open_case("record.general", SUBJECT, on=D(2026, 6, 3), actor=OFFICER,
                       domain="road_transport", record_kind="penalty",
                       decided_on=D(2026, 6, 1), summary="s", decision=nest(value))  # fmt: skip
    assert "decision" in str(info.value)
    assert book.head() == head


def test_a_lone_surrogate_is_named_where_it_is(book: CreditBook) -> None:
    with pytest.raises(InvalidInput, match=r"data\['grounds'\] holds a lone surrogate"):
        book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 3), actor=OFFICER,
                       domain="road_transport", grounds="多次\ud800", basis="b")  # fmt: skip
    for field in ("actor", "idempotency_key"):
        actor = Actor("\ud800" if field == "actor" else "officer-1", {"case_officer"})
        key = "\ud800" if field == "idempotency_key" else None
        with pytest.raises(InvalidInput, match="lone surrogate"):
            book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 3), actor=actor,
                           idempotency_key=key, domain="road_transport", grounds="g",
                           basis="b")  # fmt: skip


@pytest.mark.parametrize("seq", [0, -1])
def test_an_event_slipped_in_before_the_first_is_found(
    path: str, book: CreditBook, capsys: pytest.CaptureFixture[str], seq: int
) -> None:
    """A row no page of the chain starts from would still be read by other queries."""
    sql(path, "INSERT INTO events (seq, case_id, version, event, on_date, actor, data, "
        "idempotency_key, recorded_at, prev_hash, projection, hash) SELECT ?, case_id, 99, "
        "event, '2000-01-01', actor, data, 'KEY', recorded_at, prev_hash, projection, hash "
        "FROM events WHERE seq = 1", seq)  # fmt: skip
    report = book.verify()
    assert (report.ok, report.broken_at) == (False, 1)
    assert report.reason == f"event 1 is missing (the next is {seq})"
    assert verify_cli(path, capsys)[0] == 1


def test_subclasses_of_str_in_data_are_kept_as_their_text(book: CreditBook) -> None:
    """Found by review: an enum member (a str subclass) raised an untyped AssertionError."""

    class Ground(str, enum.Enum):  # noqa: UP042 (the mixin is what a caller may pass)
        REPEATED = "多次严重违法"

    case = book.open_case("listing.watch", SUBJECT, on=D(2026, 6, 3), actor=OFFICER,
                          domain="road_transport", grounds=Ground.REPEATED, basis="b")  # fmt: skip
    assert type(case.data["grounds"]) is str and case.data["grounds"] == "多次严重违法"
    assert book.verify(deep=True).ok
