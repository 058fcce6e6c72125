"""A progress bar (进度条) of the simulated days, on stderr, with no dependency."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """Draws ``[#####-----] 2026-03-04  63/365`` in place, one update per simulated day."""

    def __init__(self, stream: TextIO, year: int, width: int = 40) -> None:
        self._stream = stream
        self._first = dt.date(year, 1, 1)
        self._days = (dt.date(year + 1, 1, 1) - self._first).days
        self._width = width

    def __call__(self, day: dt.date) -> None:
        done = (day - self._first).days + 1
        filled = self._width * done // self._days
        bar = "#" * filled + "-" * (self._width - filled)
        self._stream.write(f"\r[{bar}] {day.isoformat()} {done:>3}/{self._days}")
        if done == self._days:
            self._stream.write("\n")
        self._stream.flush()
