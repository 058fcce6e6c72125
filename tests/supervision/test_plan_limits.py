"""A plan's JSON nested beyond the documented limit is refused with InvalidInput."""

from __future__ import annotations

import io
from typing import Any

import pytest

from creditflow._limits import MAX_DEPTH, MAX_LINE_CHARS, json_line_problem
from creditflow.errors import InvalidInput, InvalidRow
from creditflow.supervision import plan_from_json, read_inspectors, read_population

DEEP = {
    "arrays": "[" * 5000 + "]" * 5000,
    "objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "inside a plan": '{"format": 1, "strata": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_a_too_deep_plan_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput, match=f"nested deeper than {MAX_DEPTH} levels"):
        plan_from_json(text)


def test_a_too_deep_plan_as_bytes_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="nested deeper"):
        plan_from_json(b"[" * 5000 + b"]" * 5000)


def test_brackets_in_strings_do_not_count() -> None:
    text = '{"format": "' + "[" * 5000 + '"}'
    with pytest.raises(InvalidInput) as caught:
        plan_from_json(text)
    assert "deeper" not in str(caught.value)


@pytest.mark.parametrize("reader", [read_population, read_inspectors])
def test_a_too_deep_json_line_of_a_file_is_an_invalid_row(reader: Any) -> None:
    source = io.StringIO("[" * 5000 + "\n")
    source.name = "rows.jsonl"
    with pytest.raises(InvalidRow) as caught:
        list(reader(source, format="jsonl"))
    assert caught.value.line == 1
    assert f"nested deeper than {MAX_DEPTH} levels" in caught.value.reason


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_a_json_line_of_exactly_the_limit_is_read_whatever_its_ending(ending: str) -> None:
    """The limit counts the line's characters, not its line ending."""
    line = '{"name": "' + "x" * (MAX_LINE_CHARS - 12) + '"}'
    assert len(line) == MAX_LINE_CHARS
    assert json_line_problem(line + ending) is None
    assert json_line_problem("x" + line + ending) is not None


@pytest.mark.parametrize("reader", [read_population, read_inspectors])
def test_a_too_long_json_line_of_a_file_is_an_invalid_row(reader: Any) -> None:
    source = io.StringIO('{"name": "' + "x" * MAX_LINE_CHARS + '"}\n')
    with pytest.raises(InvalidRow) as caught:
        list(reader(source, format="jsonl"))
    assert caught.value.line == 1
    assert f"longer than the limit of {MAX_LINE_CHARS:,} characters" in caught.value.reason
