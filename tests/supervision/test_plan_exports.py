"""Exports: CSV, JSON and the public notice, in which persons are masked."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Literal

import attrs
import pytest
from supervision_builders import officers, person, resident_id, stratum

import creditflow
from _markup import HOSTILE, assert_inert
from creditflow.core import ResidentId
from creditflow.supervision import (
    CSV_COLUMNS,
    InspectionPlan,
    draw_plan,
    mask_name,
    plan_to_csv,
    public_subject,
    render_notice,
    write_plan,
)


@pytest.fixture(scope="module")
def plan(engine: creditflow.Engine) -> InspectionPlan:
    population = [
        *stratum(4, "D", lists={"serious"}),
        person(1, grade="D"),
        person(2, grade="D"),
        person(3, grade="D"),
        person(4, grade="D"),
    ]
    return draw_plan(
        population, engine=engine, period=2026, seed="notice", inspectors=officers(3), quarters=True
    )


def test_csv_has_one_row_per_inspection_in_plan_order(plan: InspectionPlan) -> None:
    rows = list(csv.reader(io.StringIO(plan_to_csv(plan))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + len(plan.inspections)
    first = plan.inspections[0]
    assert rows[1] == [
        first.period,
        first.subject_id,
        first.kind,
        first.name,
        first.region,
        first.domain,
        first.grade,
        first.stratum,
        str(first.visit),
        ";".join(first.inspectors),
        first.key,
    ]


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "*"), ("", "*")]
)
def test_a_person_name_keeps_its_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_the_notice_masks_persons_and_only_persons(plan: InspectionPlan) -> None:
    notice = render_notice(plan, policy=None)
    people = [i for i in plan.inspections if i.kind == "person"]
    firms = [i for i in plan.inspections if i.kind == "enterprise"]
    assert people and firms
    for inspection in people:
        assert inspection.subject_id not in notice
        assert inspection.name not in notice
        shown = ResidentId(inspection.subject_id).masked().replace("*", "\\*")
        name = mask_name(inspection.name).replace("*", "\\*")  # Markdown-escaped
        assert f"| {shown} | {name} |" in notice
    for inspection in firms:
        assert f"| {inspection.subject_id} | {inspection.name} |" in notice
    assert public_subject(people[0]) == (
        people[0].subject_id[:6] + "********" + people[0].subject_id[-4:],
        "张*",
    )
    assert resident_id(1) not in notice


def test_the_notice_states_seed_policy_digest_and_ratios(
    plan: InspectionPlan, policy: creditflow.Policy
) -> None:
    notice = render_notice(plan, policy=policy)
    assert notice.startswith("# 2026年度“双随机、一公开”抽查计划公示\n")
    assert "- 随机种子：`notice`" in notice
    assert f"- 计划摘要（SHA-256）：`{plan.digest}`" in notice
    assert f"- 规则包摘要（SHA-256）：`{plan.policy_digest}`" in notice  # the exact pack
    assert "| 道路运输 | D | serious-list | 100% | 4 | 0 | 4 | 2 |" in notice
    for period in plan.periods:
        assert f"\n## {period}\n" in notice
    assert "执法0（ZF000）" in notice
    english = render_notice(plan, policy=policy, lang="en")
    assert english.startswith("# Double-random inspection plan for 2026\n")
    assert "| Road transport | D | serious-list | 100% | 4 | 0 | 4 | 2 |" in english
    assert "执法0 (ZF000)" in english


def test_write_plan_writes_the_three_files(plan: InspectionPlan, tmp_path: Path) -> None:
    paths = write_plan(plan, tmp_path / "out" / "2026")
    assert [p.name for p in paths] == ["plan.json", "plan.csv", "notice.md"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["digest"] == plan.digest
    assert paths[1].read_text(encoding="utf-8") == plan_to_csv(plan)
    assert paths[2].read_text(encoding="utf-8") == render_notice(plan)


# ---------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile_plan(engine: creditflow.Engine) -> InspectionPlan:
    """Every enterprise named by an attack, inspectors too, and a seed with markup."""
    firms = [
        entry._replace(name=f"{name}\n{name}")
        for entry, name in zip(stratum(len(HOSTILE), "D", lists={"serious"}), HOSTILE, strict=True)
    ]
    inspectors = [
        attrs.evolve(officer, name=f"<img src=x onerror=alert({n})>\n# Injected")
        for n, officer in enumerate(officers(3))
    ]
    population = [*firms, person(1, grade="D")]
    return draw_plan(
        population, engine=engine, period=2026, seed="`<b>x</b>``", inspectors=inspectors
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plan_notice_shows_hostile_names_and_seeds_as_text(
    hostile_plan: InspectionPlan, lang: Literal["zh", "en"]
) -> None:
    notice = render_notice(hostile_plan, lang=lang)
    assert_inert(notice, headings=4)
    seed = "``` `<b>x</b>`` ```"  # a code span: shown verbatim, never markup
    assert f"- 随机种子：{seed}\n" in notice or f"- Seed: {seed}\n" in notice


FORMULAS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'quoted")


def test_csv_cells_that_start_like_a_formula_get_a_quote_first(engine: creditflow.Engine) -> None:
    firms = [
        entry._replace(name=name)
        for entry, name in zip(
            stratum(len(FORMULAS), "D", lists={"serious"}), FORMULAS, strict=True
        )
    ]
    plan = draw_plan(firms, engine=engine, period=2026, seed="csv", inspectors=officers(3))
    rows = list(csv.DictReader(io.StringIO(plan_to_csv(plan))))
    names = {row["name"] for row in rows}
    assert names == {"'" + name for name in FORMULAS}
    by_name = {i.name: i for i in plan.inspections}
    for row in rows:
        inspection = by_name[row["name"][1:]]  # one leading ' removed: the value as drawn
        assert row["subject_id"] == inspection.subject_id and row["key"] == inspection.key
        assert row["period"] == inspection.period == "2026"
