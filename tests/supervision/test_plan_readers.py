"""Reading population and inspector files: CSV and JSON lines, and every bad row named."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pytest
from supervision_builders import officers, resident_id, uscc

import creditflow
from creditflow import Facts, SubjectKind
from creditflow.core import mask_resident_id
from creditflow.errors import InvalidInput, InvalidRow
from creditflow.supervision import Inspector, draw_plan, read_inspectors, read_population

POPULATION_HEADER = "subject_id,kind,name,region,domain,grade,lists,flags,last_inspected\n"
INSPECTOR_HEADER = "inspector_id,name,regions,domains,conflicts\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def row(*cells: str) -> str:
    return ",".join(cells) + "\n"


def good_row(number: int = 1, grade: str = "B", subject_id: str | None = None) -> str:
    return row(
        subject_id or uscc(number),
        "enterprise",
        f"企业{number}",
        "230123",
        "road_transport",
        grade,
        "",
        "",
        "",
    )


def population_error(tmp_path: Path, text: str, name: str = "population.csv") -> InvalidRow:
    with pytest.raises(InvalidRow) as caught:
        list(read_population(write(tmp_path, name, text)))
    return caught.value


def draw_error(tmp_path: Path, engine: creditflow.Engine, text: str) -> InvalidRow:
    path = write(tmp_path, "population.csv", POPULATION_HEADER + text)
    with pytest.raises(InvalidRow) as caught:
        draw_plan(
            read_population(path), engine=engine, period=2026, seed="s", inspectors=officers(3)
        )
    return caught.value


# ---------------------------------------------------------------- good files


def test_a_csv_population_reads_into_entries(tmp_path: Path) -> None:
    text = (
        POPULATION_HEADER
        + good_row(1)
        + row(
            resident_id(2),
            "person",
            "张三",
            "230124",
            "work_safety",
            "C",
            "watch;serious",
            "commitment_breached",
            "2026-03-15",
        )
    )
    path = write(tmp_path, "population.csv", "\ufeff" + text)  # a byte order mark is skipped
    first, second = read_population(path)
    assert (first.kind, first.subject_id, first.name, first.region) == (
        SubjectKind.ENTERPRISE,
        uscc(1),
        "企业1",
        "230123",
    )
    assert (first.facts, first.last_inspected, first.line) == (
        Facts("road_transport", "B"),
        None,
        2,
    )
    assert second.facts == Facts("work_safety", "C", {"watch", "serious"}, {"commitment_breached"})
    assert second.last_inspected == dt.date(2026, 3, 15)
    assert second.where == f"{path} line 3"


def test_optional_columns_may_be_left_out_and_columns_reordered(tmp_path: Path) -> None:
    text = (
        "grade,domain,region,name,kind,subject_id\nB,road_transport,230123,企业1,enterprise,"
        + uscc(1)
    )
    (entry,) = read_population(write(tmp_path, "p.csv", text + "\n\n"))  # a blank line is skipped
    assert (entry.subject_id, entry.facts, entry.last_inspected) == (
        uscc(1),
        Facts("road_transport", "B"),
        None,
    )


def test_json_lines_read_the_same_entries(tmp_path: Path) -> None:
    lines = [
        {
            "subject_id": uscc(1),
            "kind": "enterprise",
            "name": "企业1",
            "region": "230123",
            "domain": "road_transport",
            "grade": "B",
        },
        {
            "subject_id": uscc(2),
            "kind": "enterprise",
            "name": "企业2",
            "region": "230123",
            "domain": "road_transport",
            "grade": "C",
            "lists": ["watch"],
            "flags": [],
            "last_inspected": "2026-01-31",
        },
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n"
    first, second = read_population(write(tmp_path, "population.jsonl", text))
    assert first.facts == Facts("road_transport", "B")
    assert (second.facts.lists, second.last_inspected, second.line) == (
        frozenset({"watch"}),
        dt.date(2026, 1, 31),
        2,
    )


def test_a_stream_reads_with_an_explicit_format() -> None:
    stream = io.StringIO(POPULATION_HEADER + good_row(1))
    (entry,) = read_population(stream, format="csv")
    assert entry.source == "<stream>"
    with pytest.raises(InvalidInput, match="cannot tell the format of <stream>: pass format="):
        read_population(io.StringIO(""))


def test_inspectors_read_from_csv_and_json_lines(tmp_path: Path) -> None:
    csv_text = INSPECTOR_HEADER + row(
        "ZF001", "王五", "230123;230124", "road_transport", uscc(1) + ";" + uscc(2)
    )
    (inspector,) = read_inspectors(write(tmp_path, "inspectors.csv", csv_text))
    assert inspector == Inspector(
        "ZF001", "王五", {"230123", "230124"}, {"road_transport"}, {uscc(1), uscc(2)}
    )
    assert inspector.where == f"{tmp_path / 'inspectors.csv'} line 2"
    json_text = json.dumps(
        {
            "inspector_id": "ZF001",
            "name": "王五",
            "regions": ["230123", "230124"],
            "domains": ["road_transport"],
            "conflicts": [uscc(1), uscc(2)],
        }
    )
    assert list(read_inspectors(write(tmp_path, "inspectors.ndjson", json_text))) == [inspector]


def test_an_inspector_read_fast_has_every_field_as_the_class_sets_it(tmp_path: Path) -> None:
    """A CSV row's inspector is built through the slot setters: every field set, as
    the class's own constructor sets them (source and line too)."""
    path = write(tmp_path, "inspectors.csv", INSPECTOR_HEADER + row("ZF1", "王五", "1;2", "d", ""))
    (inspector,) = read_inspectors(path)
    built = Inspector("ZF1", "王五", {"1", "2"}, {"d"}, source=str(path), line=2)
    assert attrs.asdict(inspector) == attrs.asdict(built)
    assert attrs.evolve(inspector, name="李四").name == "李四"


@pytest.mark.parametrize(
    "cells",
    [
        ("ZF001", "王五", "230123;230124", "road_transport;work_safety", "A1;B2"),
        ("ZF001", " 王五 ", "230123", "road_transport", ""),
        ("ZF001", "王五", "230123;230123", "road_transport", "A1;A1"),
        ("ZF\u00a01", "王五", "230123", "road_transport", ""),
        ("ZF|1", "王五", "230123", "road_transport", ""),
        ("ZF1", "\u3000", "230123", "road_transport", ""),
        ("ZF1", "王五", "230123;", "road_transport", ""),
        ("ZF1", "王五", ";230123", "road_transport", ""),
        ("ZF1", "王五", "230123; 230124", "road_transport", ""),
        ("ZF1", "王五", "230123", "road_transport", "A1;;B2"),
        ("ZF1", "王五", "230123", "road|transport", ""),
        ("ZF1", "王五", "230123", "road_transport", "A1\tB2"),
    ],
)
def test_an_inspector_row_reads_as_its_fields_one_by_one(
    tmp_path: Path, cells: tuple[str, ...]
) -> None:
    """A CSV row is checked at once; the same values as JSON arrays, field by field."""
    csv_path = write(tmp_path, "inspectors.csv", INSPECTOR_HEADER + row(*cells))
    values = dict(zip(INSPECTOR_HEADER.strip().split(","), cells, strict=True))
    for field in ("regions", "domains", "conflicts"):
        text = values[field]
        values[field] = text.split(";") if text else []  # type: ignore[assignment]
    json_path = write(tmp_path, "inspectors.jsonl", json.dumps(values) + "\n")

    def outcome(path: Path, line: int) -> object:
        try:
            (inspector,) = read_inspectors(path)
        except InvalidRow as error:
            return (error.line == line, error.field, error.reason)
        return (inspector, inspector.where == f"{path} line {line}", hash(inspector))

    assert outcome(csv_path, 2) == outcome(json_path, 1)


# ---------------------------------------------------------------- bad rows, named by the reader


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        ("subject_id,kind,name\n", 1, "region", "missing column 'region'"),
        (POPULATION_HEADER.replace("flags", "flag"), 1, "flag", "unknown column 'flag'; known: "),
        (
            POPULATION_HEADER + good_row(1) + "a,b\n",
            3,
            None,
            "expected 9 fields as in the header, got 2",
        ),
        (
            POPULATION_HEADER + good_row(1).replace("enterprise", "company"),
            2,
            "kind",
            "unknown kind 'company'; known: enterprise, person, vehicle, vessel",
        ),
        (
            POPULATION_HEADER + good_row(1)[:-3] + ",,2026-02-30\n",
            2,
            "last_inspected",
            "must be a date YYYY-MM-DD, got '2026-02-30'",
        ),
        (
            POPULATION_HEADER + good_row(1).replace(",B,", ",,"),
            2,
            "grade",
            "grade must be a non-empty string, got ''",
        ),
        (
            POPULATION_HEADER + good_row(1).replace(",road_transport,", ",,"),
            2,
            "domain",
            "domain must be a non-empty string",
        ),
        (
            POPULATION_HEADER + good_row(1)[:-3] + "serious;;,,\n",
            2,
            "lists",
            "an item of lists must not be empty",
        ),
        (POPULATION_HEADER + 'x,"unterminated\n', 2, None, "not valid CSV"),
    ],
)
def test_a_row_that_cannot_be_read_is_named(
    tmp_path: Path, text: str, line: int, field: str | None, reason: str
) -> None:
    error = population_error(tmp_path, text)
    assert (error.source, error.line, error.field) == (
        str(tmp_path / "population.csv"),
        line,
        field,
    )
    assert reason in error.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        ("[1]", "expected a JSON object"),
        ('{"subject_id": "x", "flag": []}', "unknown key 'flag'; known: subject_id, kind, "),
        ('{"subject_id": "x"}', "missing key 'kind'"),
    ],
)
def test_a_json_line_that_cannot_be_read_is_named(tmp_path: Path, text: str, reason: str) -> None:
    error = population_error(tmp_path, "\n" + text + "\n", "population.jsonl")
    assert error.line == 2
    assert reason in error.reason


def test_a_json_value_of_the_wrong_shape_is_named(tmp_path: Path) -> None:
    line = {
        "subject_id": uscc(1),
        "kind": "enterprise",
        "name": "x",
        "region": "230123",
        "domain": "road_transport",
        "grade": "B",
        "lists": {"serious": True},
    }
    error = population_error(tmp_path, json.dumps(line), "population.jsonl")
    assert (error.line, error.field) == (1, "lists")
    assert "lists must be names separated by ';' or an array" in error.reason


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        (("ZF 1", "王五", "230123", "road_transport", ""), "inspector_id", "must not contain"),
        (("ZF1", " ", "230123", "road_transport", ""), "name", "must not be blank"),
        (
            ("ZF1", "王五", "", "road_transport", ""),
            "regions",
            "no regions: an inspector with no eligible pool can never be drawn",
        ),
        (("ZF1", "王五", "230123", "", ""), "domains", "no domains: an inspector with no eligible"),
    ],
)
def test_a_bad_inspector_row_is_named(
    tmp_path: Path, cells: tuple[str, ...], field: str, reason: str
) -> None:
    path = write(tmp_path, "inspectors.csv", INSPECTOR_HEADER + row(*cells))
    with pytest.raises(InvalidRow) as caught:
        list(read_inspectors(path))
    assert (caught.value.line, caught.value.field) == (2, field)
    assert reason in caught.value.reason


# ---------------------------------------------------------------- bad rows, named by the draw


def test_an_invalid_identifier_is_named_by_row_and_field(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    bad = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    error = draw_error(tmp_path, engine, good_row(1) + good_row(2, subject_id=bad))
    assert (error.line, error.field) == (3, "subject_id")
    # an all-digit code that fails its check may be a person's ID: it is masked in the message
    shown = mask_resident_id(bad)
    assert error.reason.startswith(f"invalid unified social credit code '{shown}': check character")


def test_a_duplicate_subject_is_named_by_row(tmp_path: Path, engine: creditflow.Engine) -> None:
    error = draw_error(tmp_path, engine, good_row(1) + good_row(2) + good_row(1, grade="C"))
    assert str(error) == (
        f"{tmp_path / 'population.csv'} line 4, subject_id: duplicate subject id {uscc(1)}: "
        "it is already in domain road_transport"
    )


def test_an_unknown_grade_is_named_by_row(tmp_path: Path, engine: creditflow.Engine) -> None:
    error = draw_error(tmp_path, engine, good_row(1) + good_row(2, grade="E"))
    assert (error.line, error.field) == (3, "grade")
    assert error.reason.startswith("unknown grade 'E' in domain 'road_transport'")


def test_an_unknown_domain_of_an_inspector_is_named_by_row(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    path = write(
        tmp_path,
        "inspectors.csv",
        INSPECTOR_HEADER + row("ZF1", "王五", "230123", "road_transport;railway", ""),
    )
    with pytest.raises(InvalidRow) as caught:
        draw_plan([], engine=engine, period=2026, seed="s", inspectors=read_inspectors(path))
    assert (caught.value.line, caught.value.field) == (2, "domains")
    assert caught.value.reason.startswith("unknown domain 'railway'; known: highway_construction")
