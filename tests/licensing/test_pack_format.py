"""The pack tables the credit check reads: `[purposes.<name>]` and `[evaluation]`."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditflow
from creditflow.errors import PolicyError

HEAD = """format = 1

[pack]
name = "example-city"
version = "2026.1"
extends = "national-transport@2026.1"
effective_from = 2026-04-01
basis = "某市示例"
source = "configurable"
"""

PURPOSE = """
[purposes.parking]
label = {{ zh = "停车", en = "Parking" }}
basis = "示例"
source = "configurable"
rules = [ {rule} ]
"""


def _load(tmp_path: Path, extra: str) -> creditflow.Policy:
    path = tmp_path / "city.toml"
    path.write_text(HEAD + extra, "utf-8")
    return creditflow.load_policy(path)


def test_a_purpose_of_a_regional_pack_loads_with_inherited_basis(tmp_path: Path) -> None:
    rule = '{ id = "p1", list = "red", effect = "incentive", apply = "fast_track", normal = true }'
    policy = _load(tmp_path, PURPOSE.format(rule=rule))
    loaded = policy.purposes["parking"].rules[0]
    assert (loaded.trigger, loaded.name, loaded.measure) == ("list", "red", "fast_track")
    assert loaded.basis.text == "示例" and loaded.basis.configurable
    assert "licensing" in policy.purposes  # the national ones are kept


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('{ id = "p", effect = "incentive", apply = "fast_track", normal = true }',
         "needs exactly one of measure, list, flag"),
        ('{ id = "p", list = "red", flag = "commitment_breached", effect = "incentive", '
         'apply = "fast_track", normal = true }', "needs exactly one"),
        ('{ id = "p", list = "pink", effect = "incentive", apply = "fast_track", normal = true }',
         "unknown list 'pink'"),
        ('{ id = "p", list = "red", effect = "bonus", apply = "fast_track", normal = true }',
         "'bonus' is not one of restriction, incentive"),
        ('{ id = "p", list = "red", effect = "incentive", apply = "free_beer", normal = true }',
         "unknown apply 'free_beer'"),
        ('{ id = "p", list = "red", effect = "incentive", apply = "fast_track" }',
         "purposes.parking.rules[0].normal"),
        ('{ id = "p", list = "red", effect = "incentive", apply = "fast_track", normal = true, '
         'when = 1 }', "when"),
    ],
)  # fmt: skip
def test_a_bad_purpose_rule_is_refused_with_its_key(
    tmp_path: Path, rule: str, message: str
) -> None:
    with pytest.raises(PolicyError, match="purposes.parking.rules") as info:
        _load(tmp_path, PURPOSE.format(rule=rule))
    assert message in str(info.value)


def test_repeated_rule_ids_are_refused(tmp_path: Path) -> None:
    one = '{ id = "p", list = "red", effect = "incentive", apply = "fast_track", normal = true }'
    with pytest.raises(PolicyError, match="rule ids repeat"):
        _load(tmp_path, PURPOSE.format(rule=f"{one}, {one}"))


def test_an_evaluation_grade_must_be_in_every_scale(tmp_path: Path) -> None:
    extra = '\n[evaluation]\ndefault_grade = "AAA"\n'
    with pytest.raises(PolicyError, match="evaluation.default_grade") as info:
        _load(tmp_path, extra)
    assert "grade 'AAA' is not in the scale of domains" in str(info.value)
    bad_period = '\n[evaluation]\nvalidity = "a while"\n'
    with pytest.raises(PolicyError, match="evaluation.validity"):
        _load(tmp_path, bad_period)
