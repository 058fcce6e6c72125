"""The public notice page of a :class:`~creditflow.docs.notices.Notices`, in one language.

Each listing is published as 国办发〔2020〕49号 has a listing decision state it: the party, the
list, grounds, basis, measures, the decision document and authority, the dates, the removal
conditions and the remedies; completed repairs name the party and what was repaired. Every
entry is searchable by text and filtered by list (or kind), domain and date on the HTML page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from creditflow._validation import ensure_instance
from creditflow.core.labels import Language
from creditflow.docs.document import (
    Block,
    Bullets,
    Entries,
    Entry,
    Heading,
    Page,
    Paragraph,
    Text,
)
from creditflow.docs.labels import join_labels, text
from creditflow.docs.notices import CommitmentNotice, ListingNotice, Notices, RepairNotice

__all__ = ["notice_page"]

N = TypeVar("N", ListingNotice, CommitmentNotice, RepairNotice)


def notice_page(notices: Notices, lang: Language) -> Page:
    """Listings in publication, commitments made public and completed repairs, and the date,
    pack and book anchor the notices were made from (on top and at the foot)."""
    ensure_instance(notices, Notices, "notices")
    on = notices.on.isoformat()
    title = f"{text('notices', lang)} ({on})"
    blocks: list[Block] = [
        Heading(1, title),
        Bullets(
            (
                f"{text('notice_date', lang)}: {on}",
                f"{text('policy', lang)}: {notices.policy_key}",
                *((f"{text('policy_digest', lang)}: {d}",) if (d := notices.policy_digest) else ()),
                f"{text('anchor', lang)}: {notices.anchor}",
            )
        ),
    ]
    facets = (("kind", text("list_kind", lang)), ("domain", text("domain", lang)))
    dated = (("date", text("published_on", lang)),)
    listings = _NoticeEntries(notices.listings, _listing, lang)
    blocks += _section("notice_listings", listings, (*facets, *dated), lang)
    kinds = (("kind", text("commitment_kind", lang)), facets[1], ("date", text("made_on", lang)))
    commitments = _NoticeEntries(notices.commitments, _commitment, lang)
    blocks += _section("notice_commitments", commitments, kinds, lang)
    repaired = (("date", text("approved_on", lang)),)
    repairs = _NoticeEntries(notices.repairs, _repair, lang)
    blocks += _section("notice_repairs", repairs, repaired, lang)
    blocks.append(Paragraph(text("masking", lang)))
    blocks.append(Paragraph(text("anchor_note", lang).format(anchor=notices.anchor)))
    footer = text("notice_footer", lang).format(
        on=on, policy=notices.policy_key, anchor=notices.anchor
    )
    blocks.append(Paragraph(footer))
    return Page("notices", title, tuple(blocks))


def _section(
    key: str, entries: Sequence[Entry], facets: tuple[tuple[str, str], ...], lang: Language
) -> list[Block]:
    body: Block = Entries(entries, facets) if entries else Paragraph(text("nothing", lang))
    return [Heading(2, text(key, lang)), body]


class _NoticeEntries(Sequence[Entry], Generic[N]):
    """The entries of a section, each made from its notice when read (as often as it is
    read): a page of a million commitments holds their notices, not an entry of some
    1 KB beside each. Equal to any sequence of the same entries."""

    __slots__ = ("_lang", "_make", "_notices")
    _notices: Sequence[N]
    _make: Callable[[N, Language], Entry]
    _lang: Language

    def __init__(
        self, notices: Sequence[N], make: Callable[[N, Language], Entry], lang: Language
    ) -> None:
        self._notices, self._make, self._lang = notices, make, lang

    def __len__(self) -> int:
        return len(self._notices)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(index, slice):
            return tuple(self._make(n, self._lang) for n in self._notices[index])
        return self._make(self._notices[index], self._lang)

    def __iter__(self) -> Iterator[Entry]:
        make, lang = self._make, self._lang
        return (make(n, lang) for n in self._notices)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"_NoticeEntries({len(self)} entries)"


def _party(name: str, code: str, lang: Language) -> Text:
    """``某某运输有限公司（91350100M000100Y43）``; the code alone where no name is known."""
    return f"{name}（{code}）" if name and lang == "zh" else f"{name} ({code})" if name else code


_LISTING_FIELDS = (
    "party_name", "party_code", "list_kind", "domain", "grounds", "basis", "measures_taken",
    "document_number", "authority", "decided_on", "published_on", "last_day",
    "removal_conditions", "remedies",
)  # fmt: skip


@functools.cache
def _field_names(lang: Language) -> tuple[str, ...]:
    return tuple(text(k, lang) for k in _LISTING_FIELDS)


def _listing(n: ListingNotice, lang: Language) -> Entry:
    kind, domain = n.kind.get(lang), n.domain.get(lang)
    unknown = text("unknown", lang)
    values: tuple[Text, ...] = (
        n.name or unknown,
        n.subject,
        kind,
        domain,
        n.grounds or unknown,
        n.basis or unknown,
        join_labels(n.measures, lang),
        n.document_number or unknown,
        n.authority or unknown,
        n.decided_on.isoformat(),
        n.published_on.isoformat(),
        n.last_day.isoformat(),
        n.removal_conditions or unknown,
        n.remedies or unknown,
    )
    fields = tuple(zip(_field_names(lang), values, strict=True))
    facets = (("kind", kind), ("domain", domain), ("date", n.published_on.isoformat()))
    return Entry(_party(n.name, n.subject, lang), fields, facets)


def _commitment(n: CommitmentNotice, lang: Language) -> Entry:
    kind, domain = n.kind.get(lang), n.domain.get(lang)
    fields: tuple[tuple[str, Text], ...] = (
        (text("party_code", lang), n.subject),
        (text("commitment_kind", lang), kind),
        (text("domain", lang), domain),
        (text("made_on", lang), n.made_on.isoformat()),
        (text("state", lang), text(f"state.{n.state}", lang)),
    )
    facets = (("kind", kind), ("domain", domain), ("date", n.made_on.isoformat()))
    return Entry(_party(n.name, n.subject, lang), fields, facets)


def _repair(n: RepairNotice, lang: Language) -> Entry:
    fields: tuple[tuple[str, Text], ...] = (
        (text("party_code", lang), n.subject),
        (text("repaired", lang), n.repaired.get(lang) or text("unknown", lang)),
        (text("approved_on", lang), n.approved_on.isoformat()),
    )
    return Entry(_party(n.name, n.subject, lang), fields, (("date", n.approved_on.isoformat()),))
