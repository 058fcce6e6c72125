"""Malformed packs: every problem is reported at once, each with file, key path and reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import creditflow
from _packs import national_data
from creditflow.errors import PolicyError, PolicyProblem
from creditflow.policy.loader import policy_from_data


def problems_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(PolicyError) as info:
        policy_from_data(data, "test.toml")
    assert all(p.source == "test.toml" for p in info.value.problems)
    return {p.key: p.reason for p in info.value.problems}


def test_the_national_data_is_valid_to_start_with() -> None:
    assert policy_from_data(national_data(), "test.toml").key == "national-transport@2026.1"


def test_every_problem_is_reported_at_once() -> None:
    data = national_data()
    del data["pack"]["name"]
    data["decisions"]["rules"][0]["sampling_ratio"] = "120%"
    data["decisions"]["rules"][1]["measures"] = ["key_supervision", "nonsense"]
    data["lists"]["watch"]["duration"] = "1 fortnight"
    data["repair"]["acceptance_deadlin"] = "3 workdays"
    problems = problems_of(data)
    assert problems["pack.name"] == "missing; a string is required"
    assert problems["decisions.rules[0].sampling_ratio"] == (
        "ratio '120%' must lie between 0% and 100%"
    )
    assert "'nonsense' is not declared" in problems["decisions.rules[1].measures[1]"]
    assert problems["lists.watch.duration"].startswith("unknown unit 'fortnight'")
    assert problems["repair.acceptance_deadlin"].startswith("unknown key")
    assert len(problems) == 5


def test_the_error_message_lists_every_problem_with_its_path() -> None:
    data = national_data()
    data["pack"]["effective_from"] = "2026-04-01"
    data["severities"]["serious"]["publication_max"] = 3
    with pytest.raises(PolicyError) as info:
        policy_from_data(data, "pack.toml")
    message = str(info.value)
    assert message.startswith("policy pack pack.toml has 2 problems:")
    assert "pack.toml: pack.effective_from: must be a date, got '2026-04-01' (string)" in message
    assert "severities.serious.publication_max: must be a period text" in message


@pytest.mark.parametrize(
    ("when", "key", "reason"),
    [
        (
            {"grade": "A", "domain": "road_transport"},
            "decisions.rules[0].when",
            "exactly one key",
        ),
        ({"$ex": {"grade": 1}}, "decisions.rules[0].when.$ex", "hangs durable_rules"),
        ({"$ne": {"grade": "A"}}, "decisions.rules[0].when.$ne", "write $neq"),
        ({"colour": "red"}, "decisions.rules[0].when.colour", "unknown field 'colour'"),
        ({"grade": "E"}, "decisions.rules[0].when.grade", "'E' is not a value of grade"),
        ({"grade_rank": "1"}, "decisions.rules[0].when.grade_rank", "takes a int"),
        ({"$lt": {"grade": "B"}}, "decisions.rules[0].when.$lt.grade", "compares numbers"),
        ({"$and": []}, "decisions.rules[0].when.$and", "non-empty array"),
        ({"$or": [{"list_red": 1}]}, "decisions.rules[0].when.$or[0].list_red", "takes a bool"),
        ({"$mt": {"grade": "A.*"}}, "decisions.rules[0].when.$mt", "unknown operator $mt"),
    ],
)
def test_conditions_outside_the_safe_subset_are_refused(
    when: dict[str, Any], key: str, reason: str
) -> None:
    data = national_data()
    data["decisions"]["rules"][0]["when"] = when
    problems = problems_of(data)
    assert reason in problems[key], problems


@pytest.mark.parametrize(
    ("path", "value", "key", "reason"),
    [
        (("decisions", "hit_policy"), "last", "decisions.hit_policy", "not one of unique"),
        (("format",), 2, "format", "reads format 1, got 2"),
        (("pack", "effective_to"), "x", "pack.effective_to", "must be a date"),
        (
            ("inspection", "inspectors_per_inspection"),
            1,
            "inspection.inspectors_per_inspection",
            "got 1: law-enforcement inspections need at least two officers",
        ),
        (("inspection", "rounding"), "up", "inspection.rounding", "not one of ceil"),
        (
            ("severities", "minor", "repair_after"),
            "never",
            "severities.minor.repair_after",
            "must be 'obligations_fulfilled'",
        ),
        (
            ("commitments", "repair", "breach_severity"),
            "grave",
            "commitments.repair.breach_severity",
            "not a severity",
        ),
        (
            ("domains", "road_transport", "scale"),
            "nope",
            "domains.road_transport.scale",
            "unknown scale 'nope'",
        ),
        (("lists", "serious", "source"), "rumour", "lists.serious.source", "not a source"),
    ],
)
def test_bad_values_name_their_key(
    path: tuple[str, ...], value: object, key: str, reason: str
) -> None:
    data = national_data()
    table = data
    for part in path[:-1]:
        table = table[part]
    table[path[-1]] = value
    problems = problems_of(data)
    assert reason in problems[key], problems


def test_grade_cut_offs_must_fall() -> None:
    data = national_data()
    data["scales"]["construction"]["grades"][1]["min_score"] = 99
    assert "must fall strictly" in problems_of(data)["scales.construction.grades"]


def test_only_the_lowest_grade_may_omit_its_cut_off() -> None:
    data = national_data()
    del data["scales"]["construction"]["grades"][2]["min_score"]
    assert "only the lowest grade" in problems_of(data)["scales.construction.grades[2].min_score"]


def test_inspections_max_below_min_is_refused() -> None:
    data = national_data()
    data["decisions"]["rules"][1]["inspections_per_year"] = {"min": 3, "max": 2}
    problems = problems_of(data)
    assert problems["decisions.rules[1].inspections_per_year.max"] == "max 2 is below min 3"


def test_duplicate_rule_ids_are_refused() -> None:
    data = national_data()
    data["decisions"]["rules"][1]["id"] = data["decisions"]["rules"][0]["id"]
    assert "appears twice" in problems_of(data)["decisions.rules"]


def test_a_provision_can_carry_its_own_basis() -> None:
    data = national_data()
    data["repair"]["extension"] = {"value": "5 workdays", "basis": "local rule", "source": "copy"}
    policy = policy_from_data(data, "test.toml")
    assert str(policy.repair.extension.value) == "5 workdays"
    assert policy.repair.extension.basis.text == "local rule"
    assert policy.repair.decision_deadline.basis.text == policy.repair.basis.text


def test_toml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('format = 1\n[pack\nname = "x"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        creditflow.load_policy(path)
    (problem,) = info.value.problems
    assert problem.source == str(path)
    assert "not valid TOML" in problem.reason
    assert "line 2" in problem.reason


def test_a_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        creditflow.load_policy(tmp_path / "absent.toml")


def test_extends_must_name_a_builtin_version(tmp_path: Path) -> None:
    path = tmp_path / "regional.toml"
    path.write_text('format = 1\n[pack]\nextends = "national-transport@9.9"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        creditflow.load_policy(path)
    assert info.value.problems == (
        PolicyProblem(
            str(path),
            "pack.extends",
            info.value.problems[0].reason,
        ),
    )
    assert "no built-in pack 'national-transport@9.9'" in info.value.problems[0].reason


@pytest.mark.parametrize("source", [42, b"national-transport", ""])
def test_a_source_of_the_wrong_type_is_refused(source: object) -> None:
    with pytest.raises(creditflow.errors.InvalidInput, match="source must be None"):
        creditflow.load_policy(source)  # type: ignore[arg-type]


def test_a_datetime_for_on_is_refused() -> None:
    import datetime as dt

    with pytest.raises(creditflow.errors.InvalidDate, match="on must be a datetime.date"):
        creditflow.load_policy(on=dt.datetime(2026, 5, 1, 12, 0))


def test_an_invalid_measure_does_not_cascade_into_the_rules_using_it() -> None:
    data = national_data()
    data["measures"]["key_supervision"]["kind"] = "punishment"
    problems = problems_of(data)
    assert list(problems) == ["measures.key_supervision.kind"]


def test_a_provision_with_a_basis_but_no_source_inherits_the_source() -> None:
    data = national_data()
    data["lists"]["watch"]["duration"] = {"value": "2 years", "basis": "local rule"}
    watch = policy_from_data(data, "test.toml").lists["watch"]
    assert watch.duration.basis.text == "local rule"
    assert watch.duration.basis.source is watch.basis.source


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_label_is_a_problem(lang: str) -> None:
    data = national_data()
    data["measures"]["fast_track"]["label"][lang] = "  "
    assert problems_of(data) == {f"measures.fast_track.label.{lang}": "must not be empty"}


def test_scales_keep_their_basis() -> None:
    policy = policy_from_data(national_data(), "test.toml")
    work_safety = policy.scales["work_safety"]
    assert work_safety.basis.configurable
    assert work_safety.value is policy.domains["work_safety"].scale


def test_repair_materials_and_extensions_may_carry_their_own_basis() -> None:
    data = national_data()
    data["repair"]["materials"] = {
        "value": ["correction_proof"],
        "basis": "local",
        "source": "configurable",
    }
    repair = policy_from_data(data, "test.toml").repair
    assert repair.materials.value == ("correction_proof",)
    assert repair.materials.basis.configurable
    assert repair.max_extensions.value == 1
    assert repair.max_extensions.basis == repair.basis


def test_a_minimum_publication_longer_than_the_maximum_is_refused() -> None:
    data = national_data()
    data["severities"]["general"]["publication_min"] = "2 years"
    assert problems_of(data) == {
        "severities.general.publication_min": "2 years is longer than publication_max 1 year"
    }


def test_early_removal_after_the_list_expires_is_refused() -> None:
    data = national_data()
    data["lists"]["watch"]["early_removal_after"] = "13 months"
    assert problems_of(data) == {
        "lists.watch.early_removal_after": "13 months is longer than duration 1 year"
    }


EXTENDING = """\
format = 1

[pack]
name = "city"
version = "1"
extends = "national-transport@2026.1"
{dates}

[lists.watch]
duration = {{ value = "2 years", basis = "city rule", source = "copy" }}
"""


def test_an_extending_pack_states_its_own_dates(tmp_path: Path) -> None:
    path = tmp_path / "city.toml"
    path.write_text(EXTENDING.format(dates=""), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        creditflow.load_policy(path)
    assert [p.key for p in info.value.problems] == ["pack.effective_from"]


def test_an_extending_pack_replaces_a_provision_whole(tmp_path: Path) -> None:
    path = tmp_path / "city.toml"
    path.write_text(EXTENDING.format(dates="effective_from = 2026-07-01"), encoding="utf-8")
    policy = creditflow.load_policy(path)
    national = creditflow.load_policy("national-transport@2026.1")
    assert policy.lists["watch"].duration.basis.text == "city rule"
    assert policy.effective_to is None
    assert policy.basis == national.basis
    assert [c.path for c in national.diff(policy)] == [
        "effective_from",
        "lists.watch.duration.basis.source",
        "lists.watch.duration.basis.text",
        "lists.watch.duration.value",
        "title.en",
        "title.zh",
    ]


def test_a_file_must_be_in_force_on_an_explicit_date(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "city.toml"
    path.write_text(EXTENDING.format(dates="effective_from = 2026-07-01"), encoding="utf-8")
    assert creditflow.load_policy(path).version == "1"
    assert creditflow.load_policy(path, on=dt.date(2026, 7, 1)).version == "1"
    with pytest.raises(creditflow.errors.NoPolicyInForce) as info:
        creditflow.load_policy(path, on=dt.date(2026, 6, 30))
    assert str(info.value) == (
        "policy pack 'city@1' is not in force on 2026-06-30; in force: 1 (2026-07-01 to open)"
    )


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("sometimes", "must be one of new, old, old_unless_lighter, got 'sometimes'"),
        (True, "must be one of new, old, old_unless_lighter, got True"),
    ],
)
def test_an_unknown_transitional_rule_is_refused(rule: object, reason: str) -> None:
    data = national_data()
    data["transition"]["rule"] = rule
    assert problems_of(data) == {"transition.rule": reason}


def test_the_transitional_rule_names_its_basis_and_no_other_key() -> None:
    data = national_data()
    del data["transition"]["basis"]
    data["transition"]["rules"] = "old"
    problems = problems_of(data)
    assert problems["transition.basis"] == "missing; a string is required"
    assert problems["transition.rules"].startswith("unknown key")


@pytest.mark.parametrize("rule", ["new", "old", "old_unless_lighter"])
def test_every_transitional_rule_loads(rule: str) -> None:
    data = national_data()
    data["transition"]["rule"] = {"value": rule, "basis": "示例", "source": "configurable"}
    transition = policy_from_data(data, "test.toml").transition
    assert transition is not None
    assert transition.rule.value == rule


def test_a_pack_without_a_transitional_rule_judges_by_the_new_version() -> None:
    from creditflow.policy.transition import transitional_rule

    data = national_data()
    del data["transition"]
    assert transitional_rule(policy_from_data(data, "test.toml")) == "new"


# ---------------------------------------------------------------- directions of lists and flags


def test_every_list_kind_and_flag_must_declare_its_direction() -> None:
    data = national_data()
    del data["lists"]["red"]["direction"]
    del data["flags"]["commitment_breached"]["direction"]
    problems = problems_of(data)
    assert set(problems) == {"lists.red.direction", "flags.commitment_breached.direction"}
    assert problems["lists.red.direction"].startswith("missing; declare whether it raises")


def test_a_direction_is_adverse_or_favourable() -> None:
    data = national_data()
    data["lists"]["watch"]["direction"] = "upwards"
    assert problems_of(data) == {
        "lists.watch.direction": "'upwards' is not one of adverse, favourable"
    }


def test_a_flag_direction_carries_its_own_basis() -> None:
    data = national_data()
    data["flags"]["commitment_breached"]["direction"] = "adverse"
    problems = problems_of(data)
    assert problems["flags.commitment_breached.direction"].startswith(
        "a flag has no basis of its own: write direction = { value = 'adverse', basis"
    )
    data["flags"]["commitment_breached"]["direction"] = {"value": "adverse"}
    assert set(problems_of(data)) == {
        "flags.commitment_breached.direction.basis",
        "flags.commitment_breached.direction.source",
    }


def test_a_list_with_a_severity_cannot_be_favourable() -> None:
    data = national_data()
    data["lists"]["serious"]["direction"] = {
        "value": "favourable",
        "basis": "test",
        "source": "configurable",
    }
    assert problems_of(data) == {
        "lists.serious.direction": "'favourable', but a listing is a serious credit record: "
        "a list that punishes dishonesty is adverse"
    }


def test_a_bare_list_direction_takes_the_tables_basis() -> None:
    data = national_data()
    data["lists"]["red"]["direction"] = "favourable"
    policy = policy_from_data(data, "test.toml")
    assert policy.lists["red"].direction.value == "favourable"
    assert policy.lists["red"].direction.basis == policy.lists["red"].basis


def test_kinds_take_the_right_article() -> None:
    data = national_data()
    data["objections"] = []
    data["purposes"]["licensing"]["rules"] = "AA, A, B"
    data["decisions"]["hit_policy"] = 1
    del data["format"]
    data["pack"]["name"] = 7
    problems = problems_of(data)
    assert problems["objections"] == "must be a table, got [] (array)"
    assert problems["purposes.licensing.rules"] == "must be an array, got 'AA, A, B' (string)"
    assert problems["decisions.hit_policy"] == "must be a string, got 1 (integer)"
    assert problems["format"] == "missing; an integer is required"
    assert problems["pack.name"] == "must be a string, got 7 (integer)"


def test_a_scale_may_declare_the_range_of_its_scores() -> None:
    from fractions import Fraction

    data = national_data()
    data["scales"]["construction"]["score_range"] = {"min": 0, "max": 100}
    policy = policy_from_data(data, "test.toml")
    scale = policy.domains["highway_construction"].scale
    assert scale.score_range == (Fraction(0), Fraction(100))
    with pytest.raises(creditflow.errors.InvalidInput, match="outside the range 0 to 100"):
        scale.grade_for(120)
    assert policy.scales["road_transport"].value.score_range is None
    unbounded = policy_from_data(national_data(), "test.toml")
    assert "score_range" not in json.dumps(unbounded.to_data())  # digests of packs without it


@pytest.mark.parametrize(
    ("score_range", "key", "reason"),
    [
        ({"min": 100, "max": 0}, "scales.construction.score_range", "min 100 must be below max 0"),
        ({"min": 0}, "scales.construction.score_range.max", "missing; a number is required"),
        ({"min": 0, "max": "100"}, "scales.construction.score_range.max", "must be a number"),
        ({"min": 0, "max": 90}, "scales.construction.grades[0].min_score", "outside the range"),
        ({"min": 0, "max": 100, "step": 1}, "scales.construction.score_range.step", "unknown key"),
    ],
)
def test_a_score_range_is_checked(score_range: object, key: str, reason: str) -> None:
    data = national_data()
    data["scales"]["construction"]["score_range"] = score_range
    assert reason in problems_of(data)[key]


@pytest.mark.parametrize("version", ["", "  ", "2026 1", "2026@1", "2026.1#x"])
def test_a_version_that_cannot_key_a_pack_is_refused(version: str) -> None:
    """``name@version`` keys a version and ``name@version#digest`` tags an event."""
    data = national_data()
    data["pack"]["version"] = version
    assert problems_of(data)["pack.version"].endswith(
        "is not a version (not empty; no space, @ or #)"
    )
