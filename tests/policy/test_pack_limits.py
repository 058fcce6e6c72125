"""Packs beyond the documented limits (nesting depth, file size) are refused with PolicyError."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditflow
from creditflow._limits import MAX_DEPTH, MAX_PACK_BYTES
from creditflow.errors import PolicyError

PACK = '\n[pack]\nname = "deep"\nversion = "1"\neffective_from = 2026-04-01\n'


def deep_pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "deep.toml"
    path.write_text("format = 1\n" + body + PACK, encoding="utf-8")
    return path


DEEP_BODIES = {
    "arrays": "x = " + "[" * 500 + "]" * 500 + "\n",
    "inline tables": "x = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
    "dotted keys": "x." + ".".join(["a"] * 500) + " = 1\n",
    "a table header": "[" + ".".join(["a"] * 500) + "]\n",
    "very deep arrays": "x = " + "[" * 100_000 + "]" * 100_000 + "\n",
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
@pytest.mark.parametrize("read", [creditflow.load_policy, creditflow.read_policy])
def test_a_too_deep_pack_is_a_policy_error_naming_the_limit(
    tmp_path: Path, body: str, read: object
) -> None:
    path = deep_pack(tmp_path, body)
    with pytest.raises(PolicyError) as caught:
        read(path)  # type: ignore[operator]
    assert caught.value.source == str(path)
    assert f"nested deeper than {MAX_DEPTH} levels" in str(caught.value)


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_check_policy_reports_a_too_deep_pack(tmp_path: Path, body: str) -> None:
    report = creditflow.check_policy(deep_pack(tmp_path, body))
    assert not report.ok
    assert any(f"deeper than {MAX_DEPTH}" in p.reason for p in report.schema_problems)


def test_the_key_of_a_too_deep_value_is_named(tmp_path: Path) -> None:
    path = deep_pack(tmp_path, "x." + ".".join(["a"] * 500) + " = 1\n")
    with pytest.raises(PolicyError) as caught:
        creditflow.read_policy(path)
    (problem,) = caught.value.problems
    assert problem.key.startswith("x.a.a")


def test_the_line_of_a_too_deep_bracket_is_named(tmp_path: Path) -> None:
    path = deep_pack(tmp_path, "x = " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(PolicyError) as caught:
        creditflow.read_policy(path)
    assert "line 2: nested deeper" in str(caught.value)


def test_nesting_up_to_the_limit_is_read_as_toml(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1  # the value of x is one level below the top table
    path = deep_pack(tmp_path, "x = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(PolicyError) as caught:
        creditflow.read_policy(path)
    assert "deeper" not in str(caught.value)  # refused as an unknown key, not for depth


def test_brackets_in_strings_and_comments_do_not_count(tmp_path: Path) -> None:
    many = "[" * 500
    body = (
        f"title = \"{many}\"\nnote = '{many}'\n# {many}\n"
        f"basis = \"\"\"\n{many}\n\"\"\"\nsource = '''\n{many}'''\n"
    )
    path = tmp_path / "strings.toml"
    path.write_text("format = 1\n" + PACK + body, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        creditflow.read_policy(path)
    assert "deeper" not in str(caught.value)


def test_a_pack_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("format = 1\n" + PACK + "# " + "x" * MAX_PACK_BYTES + "\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        creditflow.read_policy(path)
    assert f"larger than the limit of {MAX_PACK_BYTES:,} bytes" in str(caught.value)
