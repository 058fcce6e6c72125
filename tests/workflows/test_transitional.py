"""The transitional rule between pack versions: a record decided under the 527-era pack and
judged after 2026-04-01 keeps its old rules, item by item, unless the new ones are lighter
(从旧兼从轻, Administrative Penalty Law Art. 37, by analogy; ``[transition] rule``).

2019.1 (527号): a serious record is published at least 6 months, and a repair needs repair
training and a credit report too. 2026.1 (Order 36): at least 1 year; proof of correction and
a commitment letter suffice.
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs
import pytest

from _people import ME, OFFICER, OFFICIAL, SUBJECT, D, entered_record
from creditflow.book.book import CreditBook
from creditflow.calendar.periods import Period
from creditflow.errors import TransitionRefused
from creditflow.policy.model import Policy, TransitionalRule

OLD_MATERIALS = ["correction_proof", "commitment_letter", "repair_training", "credit_report"]
NEW_MATERIALS = ["correction_proof", "commitment_letter"]
DECIDED = D(2025, 6, 2)  # a Monday under 2019.1: the old minimum ends 2025-12-02
JUDGED = D(2026, 5, 6)  # under 2026.1: the new minimum would end 2026-06-02


@functools.cache
def _version(
    policy: Policy, rule: TransitionalRule, serious_max: str | None, fraud_ban: str | None
) -> Policy:
    assert policy.transition is not None
    setting = attrs.evolve(policy.transition.rule, value=rule)
    changed = attrs.evolve(policy, transition=attrs.evolve(policy.transition, rule=setting))
    if fraud_ban is not None:
        ban = attrs.evolve(changed.repair.fraud_ban, value=Period.parse(fraud_ban))
        changed = attrs.evolve(changed, repair=attrs.evolve(changed.repair, fraud_ban=ban))
    if serious_max is None:
        return changed
    severities = dict(changed.severities)
    serious = next(s for s in severities if s.value == "serious")
    window = attrs.evolve(severities[serious].publication_max, value=Period.parse(serious_max))
    severities[serious] = attrs.evolve(severities[serious], publication_max=window)
    return attrs.evolve(changed, severities=severities)


class _Book(CreditBook):
    """The national pack, with 2026.1's transitional rule (and serious maximum) replaced."""

    def __init__(
        self,
        rule: TransitionalRule,
        serious_max: str | None = None,
        fraud_ban: str | None = None,
    ) -> None:
        from creditflow.book.memory_store import MemoryStore

        super().__init__(MemoryStore(), policy="national-transport")
        self.rule: TransitionalRule = rule
        self.serious_max = serious_max
        self.fraud_ban = fraud_ban

    def policy_on(self, on: dt.date) -> Policy:
        policy = super().policy_on(on)
        if policy.version != "2026.1":
            return policy
        return _version(policy, self.rule, self.serious_max, self.fraud_ban)


def _apply(book: CreditBook, target: str, on: dt.date, materials: list[str]) -> str:
    promise = book.open_case("commitment.repair", SUBJECT, on=on, actor=ME,
                             domain="road_transport", summary="信用修复承诺")  # fmt: skip
    return book.open_case("repair", SUBJECT, on=on, actor=ME, target=target,
                          materials=materials, obligations_fulfilled=True,
                          commitment_case=promise.case_id).case_id  # fmt: skip


def _old_record(book: CreditBook) -> str:
    return entered_record(book, DECIDED, DECIDED, "serious")


def test_the_national_pack_keeps_the_old_minimum_and_takes_the_new_materials() -> None:
    """old_unless_lighter: the old minimum (6 months) is lighter than the new (1 year); the
    new materials are fewer. A repair on 2026-05-06 with the two new materials goes through."""
    book = CreditBook.memory(policy="national-transport")
    record = _old_record(book)
    repair = _apply(book, record, JUDGED, NEW_MATERIALS)
    assert book.fire(repair, "accept", on=JUDGED, actor=OFFICER).state == "accepted"
    assert book.fire(repair, "approve", on=JUDGED, actor=OFFICIAL).state == "approved"
    assert book.get(record).state == "ended"
    assert book.replay() == {c.case_id: c for c in book.cases()}


def test_the_status_shows_the_old_minimum_after_the_new_version() -> None:
    book = CreditBook.memory(policy="national-transport")
    record = _old_record(book)
    (published,) = book.status(SUBJECT, on=JUDGED).records
    assert published.repairable_from == D(2025, 12, 3)
    ((target, eligible),) = [(e.target, e.eligible) for e in book.status(SUBJECT, on=JUDGED).repair]
    assert (target, eligible) == (record, True)


def test_the_new_rule_tightens_the_minimum_retroactively() -> None:
    """``new``: the record is judged by 2026.1 on every date (the behaviour before the
    setting existed): its minimum runs until 2026-06-02."""
    book = _Book("new")
    record = _old_record(book)
    repair = _apply(book, record, JUDGED, NEW_MATERIALS)
    with pytest.raises(TransitionRefused) as info:
        book.fire(repair, "accept", on=JUDGED, actor=OFFICER)
    assert info.value.rule == "severities.serious.publication_min"
    assert "ends on 2026-06-02" in str(info.value)
    (published,) = book.status(SUBJECT, on=JUDGED).records
    assert published.repairable_from == D(2026, 6, 3)


def test_the_old_rule_keeps_the_old_materials() -> None:
    book = _Book("old")
    record = _old_record(book)
    short = _apply(book, record, JUDGED, NEW_MATERIALS)
    with pytest.raises(TransitionRefused) as info:
        book.fire(short, "accept", on=JUDGED, actor=OFFICER)
    assert info.value.rule == "repair.materials"
    assert "materials missing: credit_report, repair_training" in str(info.value)
    assert "527号" in str(info.value.basis)
    full = _apply(book, record, JUDGED, OLD_MATERIALS)
    assert book.fire(full, "accept", on=JUDGED, actor=OFFICER).state == "accepted"


def test_a_record_decided_before_the_new_version_and_entered_after_it() -> None:
    """Decided on 2026-03-20 (2019.1: at most 3 years), entered on 2026-04-02 under a 2026.1
    that publishes serious records at most 2 years: the lighter window applies unless the
    rule is ``old``."""
    expected = {"old_unless_lighter": D(2028, 3, 20), "new": D(2028, 3, 20), "old": D(2029, 3, 20)}
    for rule, last_day in expected.items():
        book = _Book(rule, serious_max="2 years")  # type: ignore[arg-type]
        record = entered_record(book, D(2026, 4, 2), D(2026, 3, 20), "serious")
        window = book.get(record).deadline("publication_end")
        assert window is not None
        assert (rule, window.last_day) == (rule, last_day)
        assert book.replay() == {c.case_id: c for c in book.cases()}


def test_the_old_version_judges_nothing_before_it_was_replaced() -> None:
    """On 2026-01-05, under 2019.1 itself, the four 527 materials are needed."""
    book = CreditBook.memory(policy="national-transport")
    record = _old_record(book)
    repair = _apply(book, record, D(2026, 1, 5), NEW_MATERIALS)
    with pytest.raises(TransitionRefused, match="materials missing: credit_report"):
        book.fire(repair, "accept", on=D(2026, 1, 5), actor=OFFICER)


@pytest.mark.parametrize(
    ("rule", "barred"), [("old_unless_lighter", False), ("new", False), ("old", True)]
)
def test_a_fraud_ban_of_the_old_version_yields_to_a_shorter_new_one(
    rule: TransitionalRule, barred: bool
) -> None:
    """A repair revoked for false materials on 2026-01-05 (2019.1: a 3-year ban, until
    2029-01-05); a 2026.1 whose ban is 1 year (until 2027-01-05) is lighter."""
    book = _Book(rule, fraud_ban="1 year")
    record = entered_record(book, D(2025, 1, 2), D(2025, 1, 2), "serious")
    repair = _apply(book, record, D(2025, 8, 1), OLD_MATERIALS)
    book.fire(repair, "accept", on=D(2025, 8, 1), actor=OFFICER)
    book.fire(repair, "approve", on=D(2025, 8, 1), actor=OFFICIAL)
    book.fire(repair, "revoke", on=D(2026, 1, 5), actor=OFFICIAL, summary="材料造假")
    again = _apply(book, record, D(2027, 1, 6), OLD_MATERIALS)
    eligible = {e.target: e for e in book.status(SUBJECT, on=D(2027, 1, 6)).repair}[record]
    assert eligible.eligible is not barred
    if barred:
        with pytest.raises(TransitionRefused, match="repair is barred until 2029-01-05"):
            book.fire(again, "accept", on=D(2027, 1, 6), actor=OFFICER)
    else:
        assert book.fire(again, "accept", on=D(2027, 1, 6), actor=OFFICER).state == "accepted"
