"""A decision: what graded supervision (分级分类监管) applies to one signature of facts, and why."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs

from creditflow._repr import shown
from creditflow.core.facts import Facts
from creditflow.core.labels import Language, ensure_language
from creditflow.errors import InvalidInput
from creditflow.policy.model import DecisionRule, Policy

__all__ = ["Decision", "format_ratio", "format_setting"]


def format_ratio(ratio: Fraction) -> str:
    """``Fraction(1, 20)`` -> ``"5%"``; a ratio with no short percent keeps its fraction too."""
    if isinstance(ratio, bool) or not isinstance(ratio, Fraction | int):
        raise InvalidInput(f"ratio must be a Fraction, got {shown(ratio)}")
    percent = ratio * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    if (percent * 100).denominator == 1:
        return f"{float(percent):g}%"
    return f"{ratio} ({float(percent):.2f}%)"


RATIO_SETTINGS = ("sampling_ratio", "overall_cap.value", "low_risk_ratio.value")
"""Setting paths (their ends) whose values are ratios, kept in pack data as exact text."""


def format_setting(value: object, path: str) -> str:
    """A pack setting's value (as :meth:`Policy.diff <creditflow.Policy.diff>` gives it) for
    people: a ratio as the author writes it (``"1/20"`` -> ``"5%"``), None as ``-``, text as
    it is, anything else as JSON."""
    if value is None:
        return "-"
    if isinstance(value, str) and path.endswith(RATIO_SETTINGS):
        return format_ratio(Fraction(value))
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@attrs.frozen(eq=False)
class Decision:
    """The measures a decision table gives one combination of facts.

    ``sampling_ratio`` is exact; ``inspections_per_year`` is ``(min, max)`` with ``max`` None
    for "as needed". ``rule_id``, ``policy_version`` (``name@version``), ``policy_digest``
    (the pack's content digest, :attr:`Policy.digest`: two edited files of one version differ
    in it) and ``basis`` state the grounds, as an administrative act must. Decisions are
    shared by every fact with the same signature.
    """

    facts: Facts
    sampling_ratio: Fraction
    inspections_per_year: tuple[int, int | None]
    measures: frozenset[str]
    rule_id: str
    policy_version: str
    basis: str
    _rule: DecisionRule = attrs.field(repr=False, alias="rule")
    _policy: Policy = attrs.field(repr=False, alias="policy")

    @property
    def policy_digest(self) -> str:
        """The content digest of the pack that decided (SHA-256, 64 hex digits)."""
        return self._policy.digest

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def _fields(self) -> tuple[object, ...]:
        return (
            self.facts,
            self.sampling_ratio,
            self.inspections_per_year,
            self.measures,
            self.rule_id,
            self.policy_version,
            self.policy_digest,
            self.basis,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data: ratio as text (``"1/20"``) and percent, measures sorted."""
        low, high = self.inspections_per_year
        return {
            "domain": self.facts.domain,
            "grade": self.facts.grade,
            "lists": sorted(self.facts.lists),
            "flags": sorted(self.facts.flags),
            "sampling_ratio": str(self.sampling_ratio),
            "sampling_percent": format_ratio(self.sampling_ratio),
            "inspections_per_year": {"min": low, "max": high},
            "measures": sorted(self.measures),
            "rule_id": self.rule_id,
            "policy_version": self.policy_version,
            "policy_digest": self.policy_digest,
            "basis": self.basis,
        }

    def explain(self, lang: Language = "zh") -> str:
        """One paragraph giving the decision and its grounds, in Chinese or English."""
        lang = ensure_language(lang)
        policy, facts = self._policy, self.facts
        domain = policy.domains[facts.domain]
        grade = next(g for g in domain.scale.grades if g.name == facts.grade)
        lists = [policy.lists[k].label.get(lang) for k in sorted(facts.lists)]
        flags = [policy.flags[f].label.get(lang) for f in sorted(facts.flags)]
        measures = [m.label.get(lang) for n, m in policy.measures.items() if n in self.measures]
        reason = self._rule.reason.get(lang) if self._rule.reason else ""
        ratio = format_ratio(self.sampling_ratio)
        low, high = self.inspections_per_year
        if lang == "zh":
            return _explain_zh(
                self,
                domain.label.zh,
                grade.label.zh,
                lists,
                flags,
                measures,
                reason,
                ratio,
                low,
                high,
            )
        return _explain_en(
            self, domain.label.en, grade.label.en, lists, flags, measures, reason, ratio, low, high
        )


def _explain_zh(
    d: Decision,
    domain: str,
    grade: str,
    lists: list[str],
    flags: list[str],
    measures: list[str],
    reason: str,
    ratio: str,
    low: int,
    high: int | None,
) -> str:
    who = f"{domain}领域信用等级为{d.facts.grade}（{grade}）的主体"
    if lists:
        who += f"，已列入{'、'.join(lists)}"
    if flags:
        who += f"，{'、'.join(flags)}"
    times = (
        f"不少于{low}次" if high is None else (f"{low}次" if low == high else f"{low}至{high}次")
    )
    text = f"{who}：{reason + '。' if reason else ''}抽查比例为{ratio}，每年检查{times}"
    text += f"；适用措施：{'、'.join(measures)}。" if measures else "。"
    return text + f"依据：{d.basis}（规则 {d.rule_id}，{d.policy_version}）。"


def _explain_en(
    d: Decision,
    domain: str,
    grade: str,
    lists: list[str],
    flags: list[str],
    measures: list[str],
    reason: str,
    ratio: str,
    low: int,
    high: int | None,
) -> str:
    who = f"A subject graded {d.facts.grade} ({grade}) in {domain}"
    if lists:
        who += f", on the {', '.join(lists)}"
    if flags:
        who += f" ({'; '.join(flags)})"
    if high is None:
        times = f"at least {low} time{'s' if low != 1 else ''} a year, as needed"
    elif low == high:
        times = f"{low} time{'s' if low != 1 else ''} a year"
    else:
        times = f"{low} to {high} times a year"
    text = f"{who}: {reason + '. ' if reason else ''}Sampling ratio {ratio}, inspected {times}"
    text += f"; measures: {', '.join(measures)}." if measures else "."
    return text + f" Basis: {d.basis} (rule {d.rule_id}, {d.policy_version})."
