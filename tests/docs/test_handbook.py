"""The handbook: golden Markdown of a built-in pack, and content checked against the engine.

After an intended change, regenerate the golden files with
``CREDITFLOW_UPDATE_GOLDEN=1 pytest tests/docs/test_handbook.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from _packs import national_data
from creditflow.core.facts import Facts
from creditflow.core.labels import LANGUAGES, Language
from creditflow.docs import diff_page, extract_handbook, handbook_pages, page_markdown
from creditflow.docs.document import Diagram, Table, plain
from creditflow.policy import Policy, builtin_versions
from creditflow.policy.loader import policy_from_data
from creditflow.rules.engine import Engine
from creditflow.rules.loading import load_policy

GOLDEN = Path(__file__).parent / "golden"
PACK = "national-transport@2019.1"


@pytest.fixture(scope="module")
def pack() -> Policy:
    return load_policy(PACK)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ["index", "workflows"])
def test_the_markdown_matches_the_golden_file(pack: Policy, lang: Language, slug: str) -> None:
    # diagrams as Mermaid: their SVG depends on the Graphviz version (tests/docs/test_diagrams.py)
    pages = {p.slug: p for p in handbook_pages(extract_handbook(pack), lang, draw=False)}
    text = page_markdown(pages[slug])
    golden = GOLDEN / f"{pack.name}-{pack.version}.{slug}.{lang}.md"
    if os.environ.get("CREDITFLOW_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_grade_row_is_what_the_engine_decides(pack: Policy) -> None:
    engine = Engine(pack)
    handbook = extract_handbook(pack)
    names = {d.label: d.name for d in pack.domains.values()}
    assert len(handbook.grade_decisions) == sum(len(d.scale) for d in pack.domains.values())
    for row in handbook.grade_decisions:
        decision = engine.decide(Facts(names[row.domain], row.grade.name))
        assert (row.rule_id, row.frequency.value) == (
            decision.rule_id,
            decision.inspections_per_year,
        )


def test_the_workflows_page_has_a_diagram_and_a_table_per_machine(pack: Policy) -> None:
    _, workflows = handbook_pages(extract_handbook(pack), "en")
    diagrams = [b for b in workflows.blocks if isinstance(b, Diagram)]
    assert len(diagrams) == len(extract_handbook(pack).machines) >= 5
    assert all(d.mermaid.startswith("stateDiagram-v2") for d in diagrams)
    assert any("[statement_done]" in d.mermaid for d in diagrams)  # guards on the arrows
    tables = [b for b in workflows.blocks if isinstance(b, Table)]
    deadlines = [row for t in tables for row in t.rows if plain(row[0]) == "decision"]
    assert deadlines and "7 workdays" in deadlines[0][4]  # deadlines in the table


@pytest.mark.parametrize("key", [v.key for v in builtin_versions()])
def test_every_built_in_pack_renders_in_both_languages(key: str) -> None:
    handbook = extract_handbook(load_policy(key))
    for lang in LANGUAGES:
        for page in handbook_pages(handbook, lang):
            assert page_markdown(page).startswith("# ")


def test_the_diff_page_lists_changed_settings(pack: Policy) -> None:
    new = load_policy("national-transport@2026.1")
    page = page_markdown(diff_page(pack, new, "en"))
    changes = pack.diff(new)
    assert changes
    assert all(c.path in page for c in changes)
    assert "added" in page or "changed" in page
    same = page_markdown(diff_page(pack, pack, "zh"))
    assert "两版规则内容相同" in same


def test_the_diff_page_shows_ratios_as_percents() -> None:
    old = load_policy("national-transport@2026.1")
    raw = national_data()
    for rule in raw["decisions"]["rules"]:
        if rule["id"] == "grade-b":
            rule["sampling_ratio"] = "4%"
    raw["inspection"]["overall_cap"] = {"value": "12.5%", "basis": "x", "source": "configurable"}
    new = policy_from_data(raw, "edited.toml")
    page = page_markdown(diff_page(old, new, "en"))
    row = next(line for line in page.splitlines() if "grade-b.sampling_ratio" in line)
    assert "| 5% | 4% |" in row
    cap = next(line for line in page.splitlines() if "inspection.overall_cap.value" in line)
    assert "12.5%" in cap
    assert "1/25" not in page
    assert [c.new for c in old.diff(new) if c.path.endswith("grade-b.sampling_ratio")] == ["1/25"]


@pytest.mark.parametrize(
    ("lang", "heading", "rule", "reading"),
    [
        ("en", "## Transitional rule between versions",
         "the old version's rules, item by item, unless", "a reading of the law"),
        ("zh", "## 新旧规则的适用", "从旧兼从轻", "对法律的理解适用"),
    ],
)  # fmt: skip
def test_the_handbook_shows_the_transitional_rule(
    lang: Language, heading: str, rule: str, reading: str
) -> None:
    page = page_markdown(handbook_pages(extract_handbook(load_policy(PACK)), lang)[0])
    section = page[page.index(heading) :]
    assert rule in section
    assert reading in section
    assert "第三十七条" in section  # the basis
    assert "old_unless_lighter" in section


def test_a_pack_without_a_transitional_rule_says_so() -> None:
    import attrs

    policy = attrs.evolve(load_policy(PACK), transition=None)
    page = page_markdown(handbook_pages(extract_handbook(policy), "en")[0])
    assert "judged by the version in force on each date (new)" in page
