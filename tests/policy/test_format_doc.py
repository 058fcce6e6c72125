"""docs/policy-format.md cannot drift: its examples load, its table of configurable values is
generated from the built-in packs.

Regenerate the table with ``PYTHONPATH=src python tests/policy/test_format_doc.py`` and paste
it between the ``configurable-values`` markers of the doc.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

import creditflow
from creditflow.calendar.periods import Period
from creditflow.errors import PolicyError
from creditflow.policy import DEFAULT_PACK
from creditflow.policy.model import Basis, Policy, Provision
from creditflow.rules.decision import format_ratio

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "policy-format.md"
MINIMAL = Path(__file__).parent / "data" / "minimal.toml"


def between(text: str, marker: str) -> str:
    """The text between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    match = re.search(rf"<!-- {marker}:start -->\n(.*?)<!-- {marker}:end -->", text, re.S)
    assert match, f"markers {marker}:start/end not found in {DOC.name}"
    return match.group(1)


def toml_block(text: str, marker: str) -> str:
    """The one fenced ```toml block between the markers."""
    blocks = re.findall(r"```toml\n(.*?)```\n", between(text, marker), re.S)
    assert len(blocks) == 1, f"expected one toml block between the {marker} markers"
    return str(blocks[0])


# ---------------------------------------------------------------- the configurable values


def show(value: object) -> str:
    """A setting's value as a pack author writes it."""
    if isinstance(value, Fraction):
        return format_ratio(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple | frozenset):
        return ", ".join(sorted(map(str, value)) if isinstance(value, frozenset) else value)
    if isinstance(value, Period | str | int):
        return str(value)
    raise TypeError(f"cannot show {value!r}")


def per_year(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more a year"
    return f"{low} a year" if high == low else f"{low}-{high} a year"


def settings(policy: Policy) -> Iterator[tuple[str, object, Basis]]:
    """Every value of a policy with the basis that grounds it, by the key an author writes.

    A provision carries its own basis (given, or inherited from its table); any other value
    of a table is grounded by the table's basis.
    """
    if policy.basis.configurable:
        yield "pack.effective_from", policy.effective_from.isoformat(), policy.basis
        if policy.effective_to is not None:
            yield "pack.effective_to", policy.effective_to.isoformat(), policy.basis
    for name, scale in policy.scales.items():
        cut_offs = ", ".join(
            g.name if g.min_score is None else f"{g.name} >= {g.min_score}"
            for g in scale.value.grades
        )
        yield f"scales.{name}", cut_offs, scale.basis
    for name, domain in policy.domains.items():
        yield f"domains.{name}.scale", domain.scale.name, domain.basis
    for rule in policy.decisions.rules:
        figures = f"{format_ratio(rule.sampling_ratio)}, {per_year(*rule.inspections_per_year)}"
        yield f"decisions.rules[id={rule.rule_id}]", figures, rule.basis
    for name, purpose in policy.purposes.items():
        for row in purpose.rules:
            shown = f"{row.effect} {row.measure} on {row.trigger} {row.name}"
            yield f"purposes.{name}.rules[id={row.rule_id}]", shown, row.basis
    tables: list[tuple[str, Any]] = [
        *((f"lists.{name}", kind) for name, kind in policy.lists.items()),
        *((f"severities.{s.value}", rule) for s, rule in policy.severities.items()),
        ("repair", policy.repair),
        ("objections", policy.objections),
        *((f"commitments.{name}", kind) for name, kind in policy.commitments.items()),
        ("inspection", policy.inspection),
        *((("evaluation", policy.evaluation),) if policy.evaluation else ()),
        *((("transition", policy.transition),) if policy.transition else ()),
    ]
    skip = {"name", "label", "basis"}
    for path, table in tables:
        basis = table.basis
        for field in attrs.fields(type(table)):
            key, value = field.name, getattr(table, field.name)
            if key in skip or value is None:
                continue
            if key == "severity" and path.startswith("severities."):
                continue  # the table's own name
            if isinstance(value, Provision):
                yield f"{path}.{key}", value.value, value.basis
            else:
                yield f"{path}.{key}", value, basis


def configurable_table() -> str:
    """The Markdown table of every configurable value of every built-in pack version.

    One row per setting, value and basis, with a mark for each version that has it; rows in
    the order of the pack files, national versions first.
    """
    versions = sorted(
        creditflow.builtin_versions(),
        key=lambda v: (v.name != DEFAULT_PACK, v.name, v.effective_from),
    )
    keys = [v.key for v in versions]
    rows: dict[tuple[str, str, str], set[str]] = {}
    position: dict[str, int] = {}
    for key in keys:
        for i, (path, value, basis) in enumerate(settings(creditflow.read_policy(key))):
            position[path] = min(position.get(path, i), i)
            if basis.configurable:
                rows.setdefault((path, show(value), basis.text), set()).add(key)
    head = ["setting", "value", "basis", *keys]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (path, shown, text), found in sorted(rows.items(), key=lambda r: position[r[0][0]]):
        marks = ["✓" if key in found else "" for key in keys]
        lines.append("| " + " | ".join([f"`{path}`", shown, text, *marks]) + " |")
    return "\n".join(lines) + "\n"


def test_the_doc_lists_every_configurable_value_of_the_builtin_packs() -> None:
    documented = between(DOC.read_text(encoding="utf-8"), "configurable-values")
    expected = configurable_table()
    assert documented.strip() == expected.strip(), (
        "the table of configurable values in docs/policy-format.md is out of date; regenerate "
        "it with: PYTHONPATH=src python tests/policy/test_format_doc.py"
    )


def test_the_table_has_the_values_that_are_known_to_be_configurable() -> None:
    table = configurable_table()
    assert "| `lists.serious.duration` | 3 years |" in table
    assert "| `pack.effective_from` | 2019-07-01 |" in table
    assert "| `severities.serious.publication_min` |" not in table  # 527号 [copy], Order 36 [full]
    assert "| `repair.materials` | correction_proof, commitment_letter, repair_training" in table
    assert "| `transition.rule` | old_unless_lighter |" in table  # a reading of the law


# ---------------------------------------------------------------- the examples


def test_the_minimal_example_in_the_doc_is_the_tested_file() -> None:
    documented = toml_block(DOC.read_text(encoding="utf-8"), "minimal-example")
    assert documented == MINIMAL.read_text(encoding="utf-8")


def test_the_minimal_example_loads_and_its_table_is_sound() -> None:
    policy = creditflow.load_policy(MINIMAL)
    assert policy.key == "example-minimal@1.0"
    report = creditflow.check_policy(MINIMAL)
    assert report.ok, report.to_text()
    assert report.unused_rules == ()
    engine = creditflow.Engine(policy)
    decide = engine.decide
    facts = creditflow.Facts
    assert decide(facts(domain="road_transport", grade="A")).sampling_ratio == Fraction(3, 100)
    assert decide(facts(domain="road_transport", grade="C")).inspections_per_year == (1, None)
    breached = facts(domain="road_transport", grade="A", flags={"commitment_breached"})
    assert decide(breached).rule_id == "breach-good-grade"
    listed = policy.lists["serious"]
    assert listed.duration.basis == policy.lists["serious"].basis  # a bare value inherits
    assert listed.publication_deadline.basis.text == "示例：决定后20个工作日内公示"
    assert policy.inspection.overall_cap is not None
    assert policy.inspection.overall_cap.value == Fraction(1, 20)


def test_the_extends_example_in_the_doc_loads(tmp_path: Path) -> None:
    path = tmp_path / "regional.toml"
    path.write_text(toml_block(DOC.read_text(encoding="utf-8"), "extends-example"), "utf-8")
    regional = creditflow.load_policy(path)
    national = creditflow.load_policy("national-transport@2026.1")
    changed = {c.path for c in national.diff(regional)}
    assert "decisions.rules.grade-b.sampling_ratio" not in changed
    assert "lists.watch.duration.value" in changed
    assert regional.lists["watch"].duration.basis.text == "某市示例：重点关注名单有效期2年"
    assert regional.decisions == national.decisions


def test_a_broken_example_would_be_caught(tmp_path: Path) -> None:
    """The guard above is real: the same file with a typo does not load."""
    text = MINIMAL.read_text(encoding="utf-8").replace("publication_max", "publication_maxx", 1)
    path = tmp_path / "broken.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PolicyError, match="severities.minor.publication_maxx: unknown key"):
        creditflow.load_policy(path)


if __name__ == "__main__":
    sys.stdout.write(configurable_table())
