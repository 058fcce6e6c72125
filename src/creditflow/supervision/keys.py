"""The randomness of a draw: SHA-256 of the published seed and the names of what is drawn.

Every hash is ``SHA-256(UTF-8(text))`` of a text whose fields are joined by ``|``:

- a subject's key, ``seed|year|stratum|subject_id``: the 32-byte digest, compared as a
  big-endian number; the smallest keys of a stratum are drawn;
- an inspection's number, ``seed|period|domain|subject_id|visit``: the digest read as a
  256-bit big-endian integer, which picks the inspectors
  (:mod:`creditflow.supervision.assignment`).

No field may contain ``|``, so that a text reads back into its fields one way only: the seed
is checked here, the other fields where they are made.
"""

from __future__ import annotations

import hashlib

from creditflow._validation import ensure_str
from creditflow.errors import InvalidInput

__all__ = ["MAX_SEED_LENGTH", "check_seed", "inspection_number", "subject_key", "subject_prefix"]

MAX_SEED_LENGTH = 200
"""The longest seed accepted, in characters."""


def check_seed(seed: object) -> str:
    """The seed as published: a str of printable characters without ``|`` (an int is written).

    The seed must be fixed, and published, before anyone can know what it draws: for instance
    the digits of a lottery result drawn after the population was closed.
    """
    text = str(seed) if isinstance(seed, int) and not isinstance(seed, bool) else seed
    text = ensure_str(text, "seed")
    if "|" in text or not text.isprintable() or len(text) > MAX_SEED_LENGTH:
        raise InvalidInput(
            f"seed {text[:40]!r} must be printable text of at most {MAX_SEED_LENGTH} characters "
            "without '|'"
        )
    return text


def subject_prefix(seed: str, year: int, stratum: str) -> hashlib._Hash:
    """A SHA-256 state fed with ``seed|year|stratum|``: add a subject id to get its key."""
    return hashlib.sha256(f"{seed}|{year}|{stratum}|".encode())


def subject_key(seed: str, year: int, stratum: str, subject_id: str) -> bytes:
    """The 32-byte key of a subject in a stratum: ``SHA-256(seed|year|stratum|subject_id)``."""
    return hashlib.sha256(f"{seed}|{year}|{stratum}|{subject_id}".encode()).digest()


def inspection_number(seed: str, period: str, domain: str, subject_id: str, visit: int) -> int:
    """The number that draws an inspection's inspectors: ``SHA-256(seed|period|domain|
    subject_id|visit)`` as a big-endian integer."""
    text = f"{seed}|{period}|{domain}|{subject_id}|{visit}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
