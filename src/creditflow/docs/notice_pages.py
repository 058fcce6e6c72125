"""The public notice page of a :class:`~creditflow.docs.notices.Notices`, in one language."""

from __future__ import annotations

from collections.abc import Sequence

from creditflow._validation import ensure_instance
from creditflow.core.labels import Language
from creditflow.docs.document import Block, Bullets, Heading, Page, Paragraph, Table
from creditflow.docs.labels import text
from creditflow.docs.notices import Notices

__all__ = ["notice_page"]


def notice_page(notices: Notices, lang: Language) -> Page:
    """Listings in publication, commitments made public and completed repairs, and the book
    anchor the notices were made from."""
    ensure_instance(notices, Notices, "notices")
    title = f"{text('notices', lang)} ({notices.on.isoformat()})"
    blocks: list[Block] = [
        Heading(1, title),
        Bullets(
            (
                f"{text('notice_date', lang)}: {notices.on.isoformat()}",
                f"{text('policy', lang)}: {notices.policy_key}",
                *((f"{text('policy_digest', lang)}: {d}",) if (d := notices.policy_digest) else ()),
                f"{text('anchor', lang)}: {notices.anchor}",
            )
        ),
    ]
    blocks += _section("notice_listings", _listing_header(lang), _listing_rows(notices, lang), lang)
    blocks += _section(
        "notice_commitments", _commitment_header(lang), _commitment_rows(notices, lang), lang
    )
    repair_rows = [(r.subject, r.target, r.approved_on.isoformat()) for r in notices.repairs]
    repair_header = tuple(text(k, lang) for k in ("subject", "target", "approved_on"))
    blocks += _section("notice_repairs", repair_header, repair_rows, lang)
    blocks.append(Paragraph(text("masking", lang)))
    blocks.append(Paragraph(text("anchor_note", lang).format(anchor=notices.anchor)))
    return Page("notices", title, tuple(blocks))


def _section(
    key: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]], lang: Language
) -> list[Block]:
    body: Block = Table(header, tuple(rows)) if rows else Paragraph(text("nothing", lang))
    return [Heading(2, text(key, lang)), body]


def _listing_header(lang: Language) -> tuple[str, ...]:
    keys = ("subject", "list_kind", "domain", "decided_on", "published_on", "last_day", "basis")
    return tuple(text(k, lang) for k in keys)


def _listing_rows(notices: Notices, lang: Language) -> list[tuple[str, ...]]:
    return [
        (
            n.subject,
            n.kind.get(lang),
            n.domain.get(lang),
            n.decided_on.isoformat(),
            n.published_on.isoformat(),
            n.last_day.isoformat(),
            n.basis,
        )
        for n in notices.listings
    ]


def _commitment_header(lang: Language) -> tuple[str, ...]:
    keys = ("subject", "commitment_kind", "domain", "made_on", "state")
    return tuple(text(k, lang) for k in keys)


def _commitment_rows(notices: Notices, lang: Language) -> list[tuple[str, ...]]:
    return [
        (
            n.subject,
            n.kind.get(lang),
            n.domain.get(lang),
            n.made_on.isoformat(),
            text(f"state.{n.state}", lang),
        )
        for n in notices.commitments
    ]
