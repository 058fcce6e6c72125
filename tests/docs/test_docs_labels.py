"""Every fixed text of the handbook and notices has both languages, and every key used exists."""

from __future__ import annotations

import re

import pytest

from creditflow.calendar.periods import Period
from creditflow.docs.labels import TEXT, UNITS, period_text, term
from creditflow.policy import builtin_versions
from creditflow.rules.loading import load_policy

CJK = re.compile(r"[\u3400-\u9fff]")
CATALOGUE = {**TEXT, **{f"unit.{k}": v for k, v in UNITS.items()}}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_label_has_chinese_and_english(key: str) -> None:
    label = CATALOGUE[key]
    assert label.zh.strip() and label.en.strip()
    assert CJK.search(label.zh), f"{key}: zh has no Chinese: {label.zh!r}"
    assert not CJK.search(label.en), f"{key}: en has Chinese: {label.en!r}"
    assert re.findall(r"\{\w+\}", label.zh) == re.findall(r"\{\w+\}", label.en)


def test_periods_read_in_both_languages() -> None:
    assert period_text(Period.parse("3 months"), "zh") == "3个月"
    assert period_text(Period.parse("7 workdays"), "zh") == "7个工作日"
    assert period_text(Period.parse("1 year"), "en") == "1 year"
    assert period_text(None, "zh") == "-"


def test_a_term_without_a_label_shows_its_name() -> None:
    assert term("commitment_letter").zh == "信用承诺书"
    assert term("unheard_of").en == term("unheard_of").zh == "unheard_of"


def test_every_pack_term_is_in_the_catalogue() -> None:
    for version in builtin_versions():
        pack = load_policy(version.key)
        names = {n for c in pack.commitments.values() for n in c.breach_consequences}
        names |= set(pack.repair.materials.value)
        assert {n for n in names if f"term.{n}" not in TEXT} == set(), version.key
