"""draw_plan reads a CSV file's rows itself: the same plan, and the same error for a bad row,
as from the file's entries one by one."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from supervision_builders import officers, resident_id, uscc

import creditflow
from creditflow.errors import CreditflowError
from creditflow.supervision import PopulationEntry, draw_plan, read_population, selection

COLUMNS = ["subject_id", "kind", "name", "region", "domain", "grade", "lists", "flags"]
HEADER = [*COLUMNS, "last_inspected"]
Row = list[str]


def base_rows() -> list[Row]:
    """Rows of every kind, with lists, flags, dates (some this year, some low-risk) and the
    same ids in a second domain; row 25 is the subject some inspector has a conflict with."""
    rows: list[Row] = []
    for n in range(60):
        domain = ("road_transport", "work_safety")[n % 7 == 0]
        grade = ("A", "B", "B", "C", "AA", "D")[n % 6]
        lists = ("", "", "", "watch", "", "serious;red", "")[n % 7]
        flags = "commitment_breached" if n % 11 == 0 else ""
        last = ("", "2026-02-15", "", "2025-12-31", "2026-01-05")[n % 5]
        region = ("230123", "230124")[n % 3 == 0]
        if n % 10 == 7:
            row = [resident_id(n), "person", f"张{n}"]
        elif n % 10 == 9:
            row = [f"黑A{n:05d}", "vehicle", f"车辆{n}"]
        elif n % 20 == 13:
            row = [f"CN-{n}", "vessel", f"船舶{n}"]
        else:
            name = {5: "企业\n5", 6: '企业,"6"'}.get(n, f"企业{n}")  # quoted, on two lines
            row = [uscc(n), "enterprise", name]
        rows.append([*row, region, domain, grade, lists, flags, last])
    rows.append([uscc(1), "enterprise", "企业1", "230123", "work_safety", "B", "", "", ""])
    return rows


def bad_check_character(row: Row) -> None:
    row[0] = row[0][:-1] + ("1" if row[0][-1] != "1" else "2")


# A change to one row; each is tried on a row early in the file and on one late in it.
MUTATIONS: dict[str, Callable[[Row], None]] = {
    "valid": lambda row: None,
    "id check character": bad_check_character,
    "id lower case": lambda row: row.__setitem__(0, row[0][:-1] + "x"),
    "id with |": lambda row: row.__setitem__(0, row[0][:-1] + "|"),
    "id empty": lambda row: row.__setitem__(0, ""),
    "vessel id with |": lambda row: row.__setitem__(slice(0, 2), ["CN|1", "vessel"]),
    "kind unknown": lambda row: row.__setitem__(1, "company"),
    "kind of another id": lambda row: row.__setitem__(1, "person"),
    "name blank": lambda row: row.__setitem__(2, " \t"),
    "name empty": lambda row: row.__setitem__(2, ""),
    "region with a space": lambda row: row.__setitem__(3, "2301 23"),
    "region with |": lambda row: row.__setitem__(3, "2301|23"),
    "region empty": lambda row: row.__setitem__(3, ""),
    "region new": lambda row: row.__setitem__(3, "230199"),
    "domain unknown": lambda row: row.__setitem__(4, "railway"),
    "domain empty": lambda row: row.__setitem__(4, ""),
    "grade unknown": lambda row: row.__setitem__(5, "E"),
    "list unknown": lambda row: row.__setitem__(6, "bogus"),
    "list empty item": lambda row: row.__setitem__(6, "serious;;"),
    "lists reordered": lambda row: row.__setitem__(6, "red;serious"),
    "flag unknown": lambda row: row.__setitem__(7, "bogus"),
    "date impossible": lambda row: row.__setitem__(8, "2026-02-30"),
    "date short": lambda row: row.__setitem__(8, "2026-1-05"),
    "date new": lambda row: row.__setitem__(8, "2026-06-30"),
    "too few fields": lambda row: row.pop(),
    "too many fields": lambda row: row.append("x"),
    "blank": lambda row: row.clear(),
}

VALID = {"valid", "lists reordered", "date new", "region new", "blank"}


def mutated(name: str, at: int) -> list[Row]:
    rows = base_rows()
    if name == "duplicate":
        rows[at][0], rows[at][1], rows[at][4] = rows[at - 3][0], rows[at - 3][1], rows[at - 3][4]
    else:
        MUTATIONS[name](rows[at])
    return rows


def write(path: Path, header: Row, rows: list[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def one_by_one(path: Path) -> Iterator[PopulationEntry]:
    """The entries of the file as a plain iterator: draw_plan cannot read the rows itself."""
    yield from read_population(path)


def outcome(engine: creditflow.Engine, population: object) -> object:
    """The digest of the plan drawn, or the error raised with where it points."""
    inspectors = officers(6, regions=("230123", "230124", "230199"), conflicts={2: [uscc(25)]})
    try:
        plan = draw_plan(
            population,  # type: ignore[arg-type]
            engine=engine,
            period=2026,
            seed="rows",
            inspectors=inspectors,
            quarters=True,
        )
    except CreditflowError as error:
        where = (getattr(error, "source", None), getattr(error, "line", None))
        return (type(error).__name__, str(error), where, getattr(error, "field", None))
    return plan.digest


@pytest.fixture(params=[4096, 5], ids=["batch", "small batch"])
def batch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Codes checked a batch at a time: at the end of the file, or every few rows."""
    monkeypatch.setattr(selection._Ids, "BATCH", request.param)


@pytest.mark.usefixtures("batch")
@pytest.mark.parametrize("at", [3, 50])
@pytest.mark.parametrize("name", [*MUTATIONS, "duplicate"])
def test_a_csv_file_draws_as_its_entries_one_by_one(
    tmp_path: Path, engine: creditflow.Engine, name: str, at: int
) -> None:
    path = write(tmp_path / "population.csv", HEADER, mutated(name, at))
    fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    assert fast == slow
    assert isinstance(fast, str) == (name in VALID), fast


@pytest.mark.usefixtures("batch")
@pytest.mark.parametrize("later", [*MUTATIONS, "duplicate", "not CSV"])
def test_a_bad_code_is_named_before_any_later_fault(
    tmp_path: Path, engine: creditflow.Engine, later: str
) -> None:
    rows = mutated("id check character", 40)
    if later == "not CSV":
        rows[52][2] = 'x"y'
    elif later == "duplicate":
        rows[52][:2] = rows[50][:2]
        rows[52][4] = rows[50][4]
    else:
        MUTATIONS[later](rows[52])
    path = write(tmp_path / "population.csv", HEADER, rows)
    if later == "not CSV":  # an unterminated quote
        text = path.read_text(encoding="utf-8").replace('"x""y"', '"x')
        path.write_text(text, encoding="utf-8")
    fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    assert fast == slow
    assert isinstance(fast, tuple)
    assert fast[2][1] == 43  # line 43: row 40 after the header and a name on two lines


@pytest.mark.usefixtures("batch")
@pytest.mark.parametrize(("first", "second"), [(47, 50), (40, 47), (49, 50), (47, 49), (40, 53)])
def test_of_bad_ids_of_any_kinds_the_first_is_named(
    tmp_path: Path, engine: creditflow.Engine, first: int, second: int
) -> None:
    rows = base_rows()  # row 47 is a person, 49 a vehicle, 53 a vessel, 40 and 50 enterprises
    for at in (first, second):
        if rows[at][1] == "vehicle":
            rows[at][0] = rows[at][0].lower()  # 黑a00049: no lower case in a plate
        elif rows[at][1] == "vessel":
            rows[at][0] = "CN 53"  # no whitespace in a vessel id
        else:
            bad_check_character(rows[at])
    path = write(tmp_path / "population.csv", HEADER, rows)
    fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    assert fast == slow
    assert isinstance(fast, tuple)
    assert fast[2][1] == first + 3  # after the header and a name on two lines
    assert fast[3] == "subject_id"


@pytest.mark.parametrize("order", ["reversed", "optional columns left out"])
def test_columns_in_any_order_draw_the_same(
    tmp_path: Path, engine: creditflow.Engine, order: str
) -> None:
    rows = base_rows()
    if order == "reversed":
        header, rows = HEADER[::-1], [row[::-1] for row in rows]
    else:
        header, rows = HEADER[:6], [row[:6] for row in rows]
    path = write(tmp_path / "population.csv", header, rows)
    fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    assert isinstance(fast, str)
    assert fast == slow


def test_a_file_already_begun_draws_from_where_it_is(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    path = write(tmp_path / "population.csv", HEADER, base_rows())
    begun = read_population(path)
    next(begun)
    rest = one_by_one(path)
    next(rest)
    assert outcome(engine, begun) == outcome(engine, rest)
    assert list(begun) == []


def test_a_file_drawn_from_is_read_to_its_end(tmp_path: Path, engine: creditflow.Engine) -> None:
    path = write(tmp_path / "population.csv", HEADER, base_rows())
    population = read_population(path)
    assert isinstance(outcome(engine, population), str)
    assert list(population) == []
    empty = write(tmp_path / "empty.csv", HEADER, [])
    assert outcome(engine, read_population(empty)) == outcome(engine, [])


def test_rows_like_those_read_before_take_the_fast_way(
    tmp_path: Path, engine: creditflow.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries: list[PopulationEntry] = []
    add = selection._Pass.add
    monkeypatch.setattr(selection._Pass, "add", lambda self, e: entries.append(e) or add(self, e))
    rows = [row for _ in range(20) for row in base_rows() if row[1] == "enterprise"]
    for number, row in enumerate(rows):  # new ids: no duplicates
        row[0] = uscc(1000 + number)
    path = write(tmp_path / "population.csv", HEADER, rows)
    assert isinstance(outcome(engine, read_population(path)), str)
    assert len(entries) < len(rows) / 10


def test_a_stream_and_an_empty_file_draw_as_their_entries(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    path = write(tmp_path / "population.csv", HEADER, mutated("id check character", 50))
    text = "\ufeff" + path.read_text(encoding="utf-8")
    stream, again = io.StringIO(text), io.StringIO(text)
    fast = outcome(engine, read_population(stream, format="csv"))
    assert fast == outcome(engine, (e for e in read_population(again, format="csv")))
    assert isinstance(fast, tuple)
    assert fast[2] == ("<stream>", 53)
    empty = tmp_path / "nothing.csv"
    empty.write_text("", encoding="utf-8")
    assert outcome(engine, read_population(empty)) == outcome(engine, [])


def text_of(header: Row, rows: list[Row], ending: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows([header, *rows])
    return out.getvalue().removesuffix(ending)  # the last line without its end


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("order", ["in order", "reversed"])
@pytest.mark.parametrize("name", ["valid", "id check character", "date new", "too few fields"])
def test_any_line_end_draws_as_the_entries(
    tmp_path: Path, engine: creditflow.Engine, ending: str, order: str, name: str
) -> None:
    header, rows = HEADER, mutated(name, 50)
    if order == "reversed":
        header, rows = HEADER[::-1], [row[::-1] for row in rows]
    path = tmp_path / "population.csv"
    path.write_text(text_of(header, rows, ending), encoding="utf-8", newline="")
    fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    assert fast == slow
    if ending != "\r":  # with lone CRs, the name on two lines (a LF) reads otherwise
        (tmp_path / "lf").mkdir()
        lf = tmp_path / "lf" / "population.csv"
        lf.write_text(text_of(header, rows, "\n"), encoding="utf-8", newline="")
        same = outcome(engine, read_population(lf))
        assert str(fast) == str(same).replace(str(lf), str(path))
        assert isinstance(fast, str) == (name in VALID)


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("企业40", "企\r业40"),
        lambda text: text.replace("企业40", "企业40\r"),
        lambda text: text.replace("企业40,", "企业40,\r"),
        lambda text: text.replace("2025-12-31\n", "2025-12-31\r\r\n", 1),
        lambda text: text.replace("2025-12-31\n", "2025-12-3\r1\n", 1),
        lambda text: text.replace("2025-12-31\n", "2025-12-31\r", 1),
        lambda text: text.replace("\n", "\r\n"),
    ],
)
def test_a_carriage_return_anywhere_reads_as_the_csv_module_reads_it(
    tmp_path: Path, engine: creditflow.Engine, change: Callable[[str], str]
) -> None:
    text = change(text_of(HEADER, base_rows(), "\n"))
    fast = outcome(engine, read_population(io.StringIO(text), format="csv"))
    assert fast == outcome(engine, (e for e in read_population(io.StringIO(text), format="csv")))


def test_a_field_longer_than_the_csv_limit_is_refused_as_by_the_csv_module(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    rows = base_rows()
    rows[40][2] = "企" * 200
    path = write(tmp_path / "population.csv", HEADER, rows)
    limit = csv.field_size_limit(150)
    try:
        fast, slow = outcome(engine, read_population(path)), outcome(engine, one_by_one(path))
    finally:
        csv.field_size_limit(limit)
    assert fast == slow
    assert isinstance(fast, tuple) and "field larger than field limit" in fast[1]


@pytest.mark.parametrize("withdrawn", [4, 5])
def test_a_subject_with_a_conflict_read_the_fast_way_is_checked_for_its_inspectors(
    tmp_path: Path, engine: creditflow.Engine, withdrawn: int
) -> None:
    """Rows like those before take the fast way, a subject with a conflict too: its pool is
    checked as its entry's would be (6 officers, 2 needed for each inspection)."""
    rows = [row for _ in range(5) for row in base_rows() if row[1] == "enterprise"]
    for number, row in enumerate(rows):  # new ids: no duplicates
        row[0] = uscc(1000 + number)
    conflicted = rows[len(rows) - 7][0]
    inspectors = officers(
        6,
        regions=("230123", "230124"),
        conflicts={n: [conflicted] for n in range(withdrawn)},
    )
    path = write(tmp_path / "population.csv", HEADER, rows)

    def drawn(population: object) -> object:
        try:
            plan = draw_plan(
                population,  # type: ignore[arg-type]
                engine=engine,
                period=2026,
                seed="rows",
                inspectors=inspectors,
            )
        except CreditflowError as error:
            return (type(error).__name__, str(error))
        return plan.digest

    fast = drawn(read_population(path))
    assert fast == drawn(one_by_one(path))
    assert isinstance(fast, tuple) == (withdrawn == 5)
