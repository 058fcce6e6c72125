"""Assemble the pages of a policy (and optionally a book) and write them as a Markdown or HTML
site: one file per page, plus ``style.css`` for HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from creditflow._repr import shown
from creditflow._validation import ensure_instance
from creditflow.book.book import CreditBook
from creditflow.core.labels import Language, ensure_language
from creditflow.docs.diff import diff_page
from creditflow.docs.document import Page
from creditflow.docs.extract import extract_handbook
from creditflow.docs.handbook import handbook_pages
from creditflow.docs.html import STYLESHEET, page_html_parts
from creditflow.docs.markdown import page_markdown_parts
from creditflow.docs.notice_pages import notice_page
from creditflow.docs.notices import extract_notices
from creditflow.errors import InvalidInput
from creditflow.policy.model import Policy

__all__ = ["Format", "site_pages", "write_site"]

Format = Literal["md", "html"]


def site_pages(
    policy: Policy,
    lang: Language,
    *,
    previous: Policy | None = None,
    book: CreditBook | None = None,
    on: dt.date | None = None,
) -> tuple[Page, ...]:
    """The handbook pages of ``policy``; a diff page from ``previous``; the notices of
    ``book`` on ``on`` (default: today)."""
    ensure_instance(policy, Policy, "policy")
    if previous is not None:
        ensure_instance(previous, Policy, "previous")
    lang = ensure_language(lang)
    pages = list(handbook_pages(extract_handbook(policy), lang))
    if previous is not None:
        pages.append(diff_page(previous, policy, lang))
    if book is not None:
        pages.append(notice_page(extract_notices(book, on or dt.date.today()), lang))
    return tuple(pages)


def write_site(pages: Sequence[Page], out: Path, fmt: Format, lang: Language) -> list[Path]:
    """Write ``pages`` into ``out`` (created if absent); return the files written."""
    if fmt not in ("md", "html"):
        raise InvalidInput(f"format must be 'md' or 'html', got {shown(fmt)}")
    out.mkdir(parents=True, exist_ok=True)
    nav = tuple((f"{p.slug}.{fmt}", p.title) for p in pages)
    written = []
    for page in pages:
        parts = (
            page_markdown_parts(page) if fmt == "md" else page_html_parts(page, lang=lang, nav=nav)
        )
        path = out / f"{page.slug}.{fmt}"
        with path.open("w", encoding="utf-8") as file:  # a part at a time: notices can be GBs
            file.writelines(parts)
        written.append(path)
    if fmt == "html":
        (out / "style.css").write_text(STYLESHEET, encoding="utf-8")
        written.append(out / "style.css")
    return written
