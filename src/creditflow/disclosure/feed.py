"""The 双公示 feed: the licensing and penalty decisions published on a date, persons masked.

A decision is in the feed on a date ``on`` once it was disclosed (its ``disclose`` event) on
or before ``on``:

- a licence while it is in force on ``on`` (not revoked or expired before it, and ``on`` not
  after its ``valid_until``, as the last ``amend`` left it: the feed shows that one);
- a penalty of any severity while its credit record is in publication: its maximum window
  (``severities.<severity>.publication_max``, from the decision) has not run out, and it was
  not ended (by its repair, an objection...) before ``on``.

Only the catalogue's ``published`` fields are shown; a party that is a person shows its
resident ID masked and its name masked (:mod:`creditflow.core.privacy`). The renderers
(:mod:`creditflow.docs.disclosure_pages`) escape every text; :meth:`Feed.to_jsonl` writes JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping

import attrs

from creditflow._validation import ensure_date, ensure_instance
from creditflow.book import CreditBook
from creditflow.core.identifiers import is_valid_uscc
from creditflow.core.labels import Label
from creditflow.core.privacy import mask_name, mask_resident_ids, public_id
from creditflow.policy.catalogue import RecordKind
from creditflow.workflows.case import Case

__all__ = ["Feed", "FeedEntry", "dual_publication_feed"]


@attrs.frozen
class FeedEntry:
    """One published decision: its kind (``licensing`` or ``penalty``), case, dates, the
    published fields as ``(name, label, value)`` (persons masked), and for a penalty its
    severity and the last day of its publication window."""

    kind: str
    case_id: str
    decided_on: dt.date
    disclosed_on: dt.date
    fields: tuple[tuple[str, Label, str], ...]
    severity: str | None = None
    published_until: dt.date | None = None
    words: Mapping[str, Label] = attrs.field(factory=dict)
    """The words for the values of enum fields and for the severity (key ``severity``), for
    the pages; the JSON keeps the values."""

    def to_json(self, anchor: str) -> dict[str, object]:
        """The entry as a JSON object (field names as keys), with the book's ``anchor``."""
        return {
            "kind": self.kind,
            "case_id": self.case_id,
            "decided_on": self.decided_on.isoformat(),
            "disclosed_on": self.disclosed_on.isoformat(),
            **{name: value for name, _, value in self.fields},
            "severity": self.severity,
            "published_until": self.published_until and self.published_until.isoformat(),
            "anchor": anchor,
        }


@attrs.frozen
class Feed:
    """The decisions published on ``on``, made from the book at ``anchor`` (``SEQ:HASH``)."""

    on: dt.date
    anchor: str
    entries: tuple[FeedEntry, ...]

    def to_jsonl(self) -> str:
        """One JSON object per line, each with the anchor; persons masked."""
        return "".join(self.jsonl_lines())

    def jsonl_lines(self) -> Iterator[str]:
        """:meth:`to_jsonl` a line at a time (each ending in a newline), to write a large
        feed without its whole text in memory."""
        for entry in self.entries:
            line = json.dumps(entry.to_json(self.anchor), ensure_ascii=False)
            yield f"{mask_resident_ids(line)}\n"


def dual_publication_feed(book: CreditBook, *, on: dt.date) -> Feed:
    """The 双公示 feed of ``book`` on ``on`` (see the module docstring), licences first, each
    kind in order of decision date and case id."""
    ensure_instance(book, CreditBook, "book")
    on = ensure_date(on, "on")
    anchor = str(book.anchor())
    entries: list[FeedEntry] = []
    for machine in ("licence", "record"):
        for case in book.cases(machine=machine):
            entry = _entry(book, case, on)
            if entry is not None:
                entries.append(entry)
    entries.sort(key=lambda e: (e.kind, e.decided_on, e.case_id))
    return Feed(on, anchor, tuple(entries))


def _entry(book: CreditBook, case: Case, on: dt.date) -> FeedEntry | None:
    values = case.data.get("decision")
    disclosure = case.deadline("disclosure")
    if not isinstance(values, Mapping) or disclosure is None or disclosure.met_on is None:
        return None
    if disclosure.met_on > on:
        return None
    decided = dt.date.fromisoformat(str(values["decided_on"]))
    policy = book.policy_on(decided)
    kind_name = "licensing" if case.machine == "licence" else "penalty"
    catalogue = policy.catalogue
    if catalogue is None or kind_name not in catalogue.kinds:
        return None
    record_kind = catalogue.kinds[kind_name]
    if case.machine == "licence":
        values = _current_validity(case, values)
    fields = _published(record_kind, values)
    words = {f.name: f.value_labels[str(values.get(f.name))] for f in record_kind.fields
             if f.published and str(values.get(f.name)) in f.value_labels}  # fmt: skip
    if case.machine == "licence":
        if not _licence_in_force(case, values, on):
            return None
        return FeedEntry(kind_name, case.case_id, decided, disclosure.met_on, fields,
                         words=words)  # fmt: skip
    window = case.deadline("publication_end")
    if window is None or window.last_day < on or _ended_before(case, "ended", on):
        return None
    for level, rule in policy.severities.items():
        if level.value == case.kind:
            words["severity"] = rule.label
    return FeedEntry(kind_name, case.case_id, decided, disclosure.met_on, fields,
                     case.kind, window.last_day, words)  # fmt: skip


def _current_validity(case: Case, values: Mapping[str, object]) -> Mapping[str, object]:
    """The decision's values with the licence's validity as it stands: an ``amend`` that
    moved ``valid_until`` changes the case's ``valid_until``, not the decision first
    recorded."""
    until = case.data.get("valid_until")
    if isinstance(until, str) and until and until != values.get("valid_until"):
        return {**values, "valid_until": until}
    return values


def _licence_in_force(case: Case, values: Mapping[str, object], on: dt.date) -> bool:
    until = values.get("valid_until")
    if isinstance(until, str) and until and dt.date.fromisoformat(until) < on:
        return False
    return not _ended_before(case, ("revoked", "expired"), on)


def _ended_before(case: Case, states: str | tuple[str, ...], on: dt.date) -> bool:
    """The case is in one of ``states`` and got there before ``on`` (its last event)."""
    return case.state in (states if isinstance(states, tuple) else (states,)) and (
        case.last_on < on
    )


def _published(
    kind: RecordKind, values: Mapping[str, object]
) -> tuple[tuple[str, Label, str], ...]:
    party = str(values.get("party", ""))
    person = bool(party) and not is_valid_uscc(party)
    # a person's name is masked wherever it appears (grounds, result: "对张三丰罚款")
    names = [str(values.get(f.name) or "") for f in kind.fields if f.type == "party_name"]
    names = sorted({n.strip() for n in names if person and n.strip()}, key=len, reverse=True)
    shown = []
    for field in kind.fields:
        if not field.published:
            continue
        value = str(values.get(field.name, ""))
        if field.type == "party":
            value = public_id(value, "person" if person else None)
        else:
            for name in names:
                value = value.replace(name, mask_name(name))
        shown.append((field.name, field.label, mask_resident_ids(value)))
    return tuple(shown)
