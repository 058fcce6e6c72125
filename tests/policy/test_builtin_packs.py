"""The built-in packs: each loads and analyses clean, versions are chosen by date, diffs say why."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest

import creditflow
from creditflow.errors import NoPolicyInForce, UnknownPolicy
from creditflow.policy.model import Change, Policy, Source

KEYS = [v.key for v in creditflow.builtin_versions()]
NATIONAL = "national-transport"
LINDIAN = "lindian-transport@2026.1"


def bases(data: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``basis`` in a policy's plain data, with the path of what it grounds."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else key
            if key == "basis" and isinstance(value, dict):
                yield path or "pack", value
            else:
                yield from bases(value, where)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            name = value.get("rule_id", i) if isinstance(value, dict) else i
            yield from bases(value, f"{path}[{name}]")


def test_the_expected_versions_are_built_in() -> None:
    assert [v.key for v in creditflow.builtin_versions()] == [
        LINDIAN,
        f"{NATIONAL}@2019.1",
        f"{NATIONAL}@2026.1",
        "ziyang-transport@2026.1",
    ]


@pytest.mark.parametrize("key", KEYS)
def test_a_builtin_version_loads_and_its_table_is_sound(key: str) -> None:
    policy = creditflow.load_policy(key)
    assert policy.key == key
    report = creditflow.check_policy(key)
    assert report.ok, report.to_text()
    assert report.signatures == 400
    assert report.unused_rules == ()


@pytest.mark.parametrize("key", KEYS)
def test_every_rule_and_setting_states_its_basis(key: str) -> None:
    policy = creditflow.load_policy(key)
    for rule in policy.decisions.rules:
        assert rule.basis.text.strip(), rule.rule_id
    found = list(bases(policy.to_data()))
    assert len(found) > 50
    for where, basis in found:
        assert basis["text"].strip(), where
        assert basis["source"] in {s.value for s in Source}, where


def test_the_version_in_force_is_chosen_by_date() -> None:
    assert creditflow.load_policy(on=dt.date(2026, 3, 31)).key == f"{NATIONAL}@2019.1"
    assert creditflow.load_policy(on=dt.date(2026, 4, 1)).key == f"{NATIONAL}@2026.1"
    assert creditflow.load_policy(NATIONAL, on=dt.date(2019, 7, 1)).version == "2019.1"
    assert creditflow.load_policy(NATIONAL, on=dt.date(2030, 1, 1)).version == "2026.1"
    assert creditflow.load_policy(LINDIAN.split("@")[0], on=dt.date(2026, 4, 1)).key == LINDIAN


def test_a_version_can_be_named() -> None:
    old = creditflow.load_policy(f"{NATIONAL}@2019.1")
    assert (old.name, old.version) == (NATIONAL, "2019.1")
    assert (old.effective_from, old.effective_to) == (dt.date(2019, 7, 1), dt.date(2026, 3, 31))
    assert old.in_force(dt.date(2026, 3, 31))
    assert not old.in_force(dt.date(2026, 4, 1))


def test_versions_of_a_pack_follow_each_other_without_gap_or_overlap() -> None:
    versions = [v for v in creditflow.builtin_versions() if v.name == NATIONAL]
    for before, after in itertools.pairwise(versions):
        assert before.effective_to is not None
        assert after.effective_from == before.effective_to + dt.timedelta(days=1)
    assert versions[-1].effective_to is None


def test_no_version_before_the_first_one() -> None:
    with pytest.raises(NoPolicyInForce) as info:
        creditflow.load_policy(on=dt.date(2018, 1, 1))
    assert str(info.value) == (
        "no version of policy pack 'national-transport' is in force on 2018-01-01; "
        "versions: 2019.1 (2019-07-01 to 2026-03-31); 2026.1 (2026-04-01 to open)"
    )
    assert isinstance(info.value, LookupError)
    with pytest.raises(NoPolicyInForce, match="'lindian-transport' is in force on 2026-03-31"):
        creditflow.load_policy("lindian-transport", on=dt.date(2026, 3, 31))


def test_an_unknown_pack_or_version_is_refused() -> None:
    with pytest.raises(UnknownPolicy) as info:
        creditflow.load_policy("nope")
    assert str(info.value) == (
        "unknown policy pack 'nope'; known: lindian-transport, national-transport, ziyang-transport"
    )
    with pytest.raises(UnknownPolicy) as info:
        creditflow.load_policy(f"{NATIONAL}@1999.1")
    assert str(info.value) == (
        "unknown policy pack 'national-transport@1999.1'; "
        "known: national-transport@2019.1, national-transport@2026.1"
    )


def test_old_and_new_national_versions_share_every_identifier() -> None:
    old = creditflow.load_policy(f"{NATIONAL}@2019.1")
    new = creditflow.load_policy(f"{NATIONAL}@2026.1")

    def identifiers(p: Policy) -> dict[str, object]:
        return {
            "domains": {name: d.scale.names for name, d in p.domains.items()},
            "lists": sorted(p.lists),
            "severities": sorted(s.value for s in p.severities),
            "measures": sorted(p.measures),
            "flags": sorted(p.flags),
            "commitments": sorted(p.commitments),
            "rules": [r.rule_id for r in p.decisions.rules],
        }

    assert identifiers(old) == identifiers(new)


def test_the_diff_shows_what_order_36_changed() -> None:
    old = creditflow.load_policy(f"{NATIONAL}@2019.1")
    new = creditflow.load_policy(f"{NATIONAL}@2026.1")
    changes = {c.path: c for c in old.diff(new)}
    assert changes["severities.serious.publication_min.value"] == Change(
        "severities.serious.publication_min.value", "6 months", "1 year"
    )
    assert changes["repair.materials.value"] == Change(
        "repair.materials.value",
        ["correction_proof", "commitment_letter", "repair_training", "credit_report"],
        ["correction_proof", "commitment_letter"],
    )
    assert changes["effective_to"] == Change("effective_to", "2026-03-31", None)
    # Only those two figures change: everything else differs in its basis, dates or title.
    values = [
        p
        for p in changes
        if not (".basis." in f".{p}" or p.startswith(("title.", "effective_", "basis.")))
    ]
    assert sorted(values) == ["repair.materials.value", "severities.serious.publication_min.value"]


def test_the_old_version_never_cites_order_36_as_in_force() -> None:
    """In 2019.1 every Order 36 figure stands in for an unknown one: it must be configurable."""
    old = creditflow.load_policy(f"{NATIONAL}@2019.1")
    cited = [(w, b) for w, b in bases(old.to_data()) if "第36号令" in b["text"]]
    assert cited
    for where, basis in cited:
        assert basis["source"] == "configurable", where


@pytest.mark.parametrize("key", KEYS)
def test_a_pack_has_no_diff_with_itself(key: str) -> None:
    policy = creditflow.load_policy(key)
    assert policy.diff(policy) == ()
    again = creditflow.read_policy(key)
    assert policy.diff(again) == ()
    assert policy == again


@pytest.mark.parametrize(
    ("grade", "ratio", "per_year", "rule_id"),
    [
        ("AA", Fraction(5, 100), (0, 1), "grade-aa"),
        ("A", Fraction(5, 100), (0, 1), "grade-a"),
        ("B", Fraction(20, 100), (1, 1), "grade-b"),
        ("C", Fraction(60, 100), (1, 2), "grade-c"),
        ("D", Fraction(1), (1, None), "grade-d"),
    ],
)
def test_lindian_grades_get_the_lindian_ratios(
    grade: str, ratio: Fraction, per_year: tuple[int, int | None], rule_id: str
) -> None:
    engine = creditflow.Engine(creditflow.load_policy(LINDIAN))
    decision = engine.decide(creditflow.Facts(domain="road_transport", grade=grade))
    assert decision.sampling_ratio == ratio
    assert type(decision.sampling_ratio) is Fraction
    assert decision.inspections_per_year == per_year
    assert decision.rule_id == rule_id
    assert decision.policy_version == LINDIAN
    assert "林甸" in decision.basis


@pytest.mark.parametrize(
    ("lists", "flags", "grade", "ratio", "rule_id"),
    [
        ({"serious"}, set(), "AA", Fraction(1), "serious-list"),
        ({"watch"}, set(), "A", Fraction(3, 5), "watch-list"),
        ({"watch"}, set(), "D", Fraction(1), "grade-d"),
        (set(), {"commitment_breached"}, "AA", Fraction(1, 5), "breach-good-grade"),
        (set(), {"commitment_breached"}, "C", Fraction(3, 5), "breach-grade-c"),
        ({"red"}, set(), "A", Fraction(1, 100), "red-list"),
        ({"red"}, set(), "B", Fraction(1, 5), "grade-b"),
    ],
)
def test_lindian_keeps_the_national_list_and_flag_rules(
    lists: set[str], flags: set[str], grade: str, ratio: Fraction, rule_id: str
) -> None:
    engine = creditflow.Engine(creditflow.load_policy(LINDIAN))
    facts = creditflow.Facts(domain="road_transport", grade=grade, lists=lists, flags=flags)
    decision = engine.decide(facts)
    assert (decision.sampling_ratio, decision.rule_id) == (ratio, rule_id)


def test_lindian_changes_only_the_decision_table_and_the_low_risk_ratio() -> None:
    national = creditflow.load_policy(f"{NATIONAL}@2026.1")
    lindian = creditflow.load_policy(LINDIAN)
    changes = national.diff(lindian)
    assert any(c.path == "decisions.rules.grade-b.sampling_ratio" for c in changes)
    outside = [
        c.path
        for c in changes
        if not c.path.startswith(("decisions.rules.", "title.", "basis.", "inspection.low_risk"))
    ]
    assert outside == []
    assert lindian.inspection.low_risk_ratio is not None
    assert lindian.inspection.low_risk_ratio.value == Fraction(5, 100)
    assert [r.rule_id for r in lindian.decisions.rules] == [
        r.rule_id for r in national.decisions.rules
    ]
    for attribute in ("measures", "flags", "domains", "lists", "severities", "repair",
                      "objections", "commitments", "effective_from"):  # fmt: skip
        assert getattr(lindian, attribute) == getattr(national, attribute), attribute
