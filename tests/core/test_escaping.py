"""CSV cells a spreadsheet cannot read as formulas, and that give their value back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow.core.escaping import FORMULA_STARTS, csv_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 591", "'+86 591"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
        ("2026-Q1", "2026-Q1"),
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("企业1", "企业1"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_quote(value: str, written: str) -> None:
    assert csv_cell(value) == written


@given(st.text(st.sampled_from([*FORMULA_STARTS, "'", "a", "1", " "])) | st.text())
def test_one_leading_quote_removed_gives_the_value_back(value: str) -> None:
    written = csv_cell(value)
    assert not written.startswith(FORMULA_STARTS)
    assert (written[1:] if written.startswith("'") else written) == value
