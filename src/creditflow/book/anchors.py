"""Anchors: a book's head (sequence and hash) kept outside the book, to prove later that the
history published from it is still there, unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import attrs

from creditflow._repr import shown
from creditflow.book.encoding import GENESIS
from creditflow.errors import InvalidInput

__all__ = ["Anchor", "anchor_map"]

_TEXT: Final = re.compile(r"(0|[1-9][0-9]{0,18}):([0-9a-f]{64})")


@attrs.frozen
class Anchor:
    """The head of a book at some moment: the ``seq`` of its last event and that event's
    ``hash`` (``0`` and :data:`~creditflow.book.encoding.GENESIS` for an empty book).

    Written ``SEQ:HASH`` (``str(anchor)``; :meth:`parse` reads it back), as every public output
    made from a book prints it. :meth:`CreditBook.verify(anchors=...)
    <creditflow.CreditBook.verify>` proves that the event ``seq`` still has that hash, so
    neither it nor anything before it was changed, removed or rewritten.
    """

    seq: int
    hash: str

    def __attrs_post_init__(self) -> None:
        if (
            type(self.seq) is not int
            or type(self.hash) is not str
            or not _TEXT.fullmatch(f"{self.seq}:{self.hash}")
        ):
            raise InvalidInput(
                f"an anchor is a seq (an int, 0 or more) and a hash (64 lowercase hex digits), "
                f"got seq={shown(self.seq)}, hash={shown(self.hash)}"
            )
        if self.seq == 0 and self.hash != GENESIS:
            raise InvalidInput(f"the anchor of an empty book (seq 0) has hash {GENESIS}")

    @classmethod
    def parse(cls, text: object) -> Anchor:
        """The anchor written ``SEQ:HASH``; :class:`~creditflow.errors.InvalidInput` if
        ``text`` is not one."""
        found = _TEXT.fullmatch(text) if isinstance(text, str) else None
        if found is None:
            raise InvalidInput(
                f"an anchor is written SEQ:HASH (a seq, a colon and 64 lowercase hex digits), "
                f"got {shown(text)}"
            )
        return cls(int(found[1]), found[2])

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def anchor_map(anchors: Iterable[Anchor | str | tuple[int, str]]) -> dict[int, str]:
    """``seq`` -> hash of the anchors given as :class:`Anchor`, ``"SEQ:HASH"`` or
    ``(seq, hash)`` (a :meth:`CreditBook.head`); two that disagree on one ``seq`` are refused."""
    if isinstance(anchors, str | bytes) or not isinstance(anchors, Iterable):
        raise InvalidInput(f"anchors must be a list of anchors, got {shown(anchors)}")
    found: dict[int, str] = {}
    for given in anchors:
        anchor = _anchor(given)
        if found.setdefault(anchor.seq, anchor.hash) != anchor.hash:
            raise InvalidInput(
                f"two anchors give event {anchor.seq} different hashes: "
                f"{found[anchor.seq]} and {anchor.hash}"
            )
    return found


def _anchor(given: object) -> Anchor:
    if isinstance(given, Anchor):
        return given
    if isinstance(given, tuple) and len(given) == 2:
        return Anchor(*given)
    return Anchor.parse(given)
