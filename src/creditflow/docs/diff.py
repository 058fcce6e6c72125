"""The diff page: what changed between two policy versions (:meth:`Policy.diff`)."""

from __future__ import annotations

from creditflow._validation import ensure_instance
from creditflow.core.labels import Language
from creditflow.docs.document import Block, Heading, Page, Paragraph, Table
from creditflow.docs.labels import text
from creditflow.policy.model import Change, Policy
from creditflow.rules.decision import format_setting

__all__ = ["diff_page"]


def diff_page(old: Policy, new: Policy, lang: Language) -> Page:
    """One row per changed setting (path, kind, before, after), in path order."""
    ensure_instance(old, Policy, "old")
    ensure_instance(new, Policy, "new")
    title = f"{text('diff', lang)}: {old.key} -> {new.key}"
    changes = old.diff(new)
    blocks: list[Block] = [
        Heading(1, title),
        Paragraph(text("diff_intro", lang).format(old=old.key, new=new.key)),
    ]
    if not changes:
        blocks.append(Paragraph(text("diff_none", lang)))
    else:
        header = tuple(text(k, lang) for k in ("path", "change", "old", "new"))
        blocks.append(Table(header, tuple(_row(c, lang) for c in changes)))
    return Page("diff", title, tuple(blocks))


def _row(change: Change, lang: Language) -> tuple[str, str, str, str]:
    old, new = (format_setting(v, change.path) for v in (change.old, change.new))
    return (change.path, text(change.kind, lang), old, new)
