"""One check everywhere: every seeded defect is refused identically by the four entry points.

``load_policy``, ``creditflow check``, ``CreditBook`` and ``assert_policy_sound`` run the same
validation (:func:`creditflow.workflows.soundness.analyse_policy`), so they never disagree:
each defective pack below is refused by all of them with the same problems, word for word.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import creditflow
from creditflow.book import CreditBook
from creditflow.cli.main import main
from creditflow.errors import PolicyError
from creditflow.testing import assert_policy_sound

ON = dt.date(2026, 6, 1)
MINIMAL = Path(__file__).parent / "data" / "minimal.toml"

HEAD = """format = 1

[pack]
name = "seeded"
version = "1"
extends = "national-transport@2026.1"
effective_from = 2026-04-01
"""

GRADES = """
[[decisions.rules]]
id = "grade-aa"
when = { grade = "AA" }
sampling_ratio = "1%"
inspections_per_year = { min = 0, max = 1 }
basis = "国发〔2019〕5号"
source = "configurable"

[[decisions.rules]]
id = "grade-a"
when = { grade = "A" }
sampling_ratio = "3%"
inspections_per_year = { min = 0, max = 1 }
basis = "国发〔2019〕5号"
source = "configurable"

[[decisions.rules]]
id = "grade-b"
when = { grade = "B" }
sampling_ratio = "5%"
inspections_per_year = { min = 1, max = 1 }
basis = "国发〔2019〕5号"
source = "configurable"

[[decisions.rules]]
id = "grade-c"
when = { grade = "C" }
sampling_ratio = "25%"
inspections_per_year = { min = 1, max = 2 }
basis = "国发〔2019〕5号"
source = "configurable"

[[decisions.rules]]
id = "grade-d"
when = { grade = "D" }
sampling_ratio = "70%"
inspections_per_year = { min = 1 }
basis = "国发〔2019〕5号"
source = "configurable"
"""

SEEDED = {
    # The pack: under `first`, the serious list gets 0 % while grade D gets 70 %.
    "adverse-list-lowers": HEAD
    + """
[decisions]
hit_policy = "first"

[[decisions.rules]]
id = "serious-list"
when = { list_serious = true }
sampling_ratio = "0%"
inspections_per_year = { min = 2 }
basis = "国发〔2019〕5号"
source = "configurable"
"""
    + GRADES,
    # The red list gives AA, A and B firms more inspections than they get off it.
    "favourable-list-raises": HEAD
    + """
[decisions]
hit_policy = "first"

[[decisions.rules]]
id = "red-list"
when = { list_red = true }
sampling_ratio = "50%"
inspections_per_year = { min = 0, max = 1 }
basis = "交政研发〔2018〕181号"
source = "configurable"
"""
    + GRADES,
    "zero-duration": HEAD
    + """
[lists.watch]
duration = { value = "0 days", basis = "示例", source = "configurable" }
""",
    "missing-permission": HEAD
    + """
[permissions]
listing = { expire = [] }
""",
    "misspelt-permission": HEAD
    + """
[permissions]
listng = { propose = ["case_officer"] }
listing = { propse = ["case_officer"] }
""",
    "misspelt-separation": HEAD
    + """
[[separation]]
machine = "listing"
events = ["propose", "decde"]
basis = "示例"
source = "configurable"
""",
    "misspelt-separation-machine": HEAD
    + """
[[separation]]
machine = "listng"
events = ["propose", "decide"]
basis = "示例"
source = "configurable"
""",
    "blank-basis": HEAD
    + """
[commitments.voluntary]
verification_period = { value = "1 year", basis = "  ", source = "configurable" }
""",
}

EXPECTED = {
    "adverse-list-lowers": (
        "decisions.directions",
        "direction: adding adverse list serious lowers sampling_ratio from 70% (rule grade-d) "
        "to 0% (rule serious-list) in highway_construction/D lists=[] flags=[]; "
        "40 pairs of signatures alike",
    ),
    "favourable-list-raises": (
        "decisions.directions",
        "direction: adding favourable list red raises sampling_ratio from 1% (rule grade-aa) "
        "to 50% (rule red-list) in highway_construction/AA lists=[] flags=[]; "
        "40 pairs of signatures alike",
    ),
    "zero-duration": ("lists.watch.duration", "must be positive, got 0 days"),
    "missing-permission": ("permissions.listing.expire", "no role may fire it"),
    "misspelt-permission": (
        "permissions.listng",
        "no workflow 'listng'; workflows: commitment, listing, repair, objection, record, licence",
    ),
    "misspelt-separation-machine": (
        "separation[0].machine",
        "no workflow 'listng'; workflows: commitment, listing, repair, objection, record, licence",
    ),
    "misspelt-separation": (
        "separation[0].events.decde",
        "listing has no event 'decde'; events: propose, notify, waive, object, "
        "dismiss_objection, accept_objection, decide, publish, expire, remove_early, revoke, "
        "annul, restore, drop",
    ),
    "blank-basis": (
        "commitments.voluntary.verification_period",
        "has no basis: state the regulation it applies",
    ),
}


def write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(SEEDED[name], encoding="utf-8")
    return path


def by_load(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as info:
        creditflow.load_policy(path)
    return [str(p) for p in info.value.problems]


def by_check(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    report = creditflow.check_policy(path)
    assert not report.ok
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    printed = capsys.readouterr().out
    for problem in report.problems():
        if not problem.reason.startswith("... and "):
            assert problem.reason in printed
    return [str(p) for p in report.problems()]


def by_book(source: Path | creditflow.Policy) -> list[str]:
    book = CreditBook.memory(policy=source)
    with pytest.raises(PolicyError) as info:
        book.policy_on(ON)
    return [str(p) for p in info.value.problems]


def by_kit(policy: creditflow.Policy) -> list[str]:
    with pytest.raises(AssertionError) as info:
        assert_policy_sound(policy)
    return [line[4:] for line in str(info.value).splitlines() if line.startswith("  - ")]


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_every_entry_point_refuses_a_seeded_defect_with_the_same_problems(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, name)
    loaded = by_load(path)
    key, reason = EXPECTED[name]
    assert f"{path}: {key}: {reason}" in loaded
    assert by_check(path, capsys) == loaded
    assert by_book(path) == loaded
    unchecked = creditflow.read_policy(path)  # read, not analysed: what the kit is given
    assert by_book(unchecked) == loaded
    assert by_kit(unchecked) == loaded


def test_a_pack_without_a_direction_is_refused_by_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "undirected.toml"
    text = MINIMAL.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("direction = ")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    loaded = by_load(path)
    assert loaded == [
        f"{path}: flags.commitment_breached.direction: missing; declare whether it raises "
        "supervision (adverse: the serious and watch lists, breach flags) or lowers it "
        "(favourable: the red list), with its basis",
        f"{path}: lists.serious.direction: missing; declare whether it raises supervision "
        "(adverse: the serious and watch lists, breach flags) or lowers it (favourable: the "
        "red list), with its basis",
    ]
    assert by_check(path, capsys) == loaded
    assert by_book(path) == loaded


def test_the_built_in_packs_pass_every_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    for version in creditflow.builtin_versions():
        policy = creditflow.load_policy(version.key)
        assert creditflow.check_policy(version.key).ok
        assert main(["check", version.key]) == 0
        assert_policy_sound(policy)
        CreditBook.memory(policy=policy).policy_on(policy.effective_from)
    capsys.readouterr()
