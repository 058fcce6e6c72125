"""Bilingual labels: the one source of the Chinese and English names shown to people."""

from __future__ import annotations

from typing import Literal

import attrs

from creditflow._repr import shown

__all__ = ["LANGUAGES", "Label", "Language", "ensure_language"]

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


def ensure_language(lang: object) -> Language:
    """Return ``lang`` if it is ``"zh"`` or ``"en"``; raise a clear error otherwise."""
    from creditflow.errors import InvalidInput

    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise InvalidInput(f"lang must be 'zh' or 'en', got {shown(lang)}")


@attrs.frozen
class Label:
    """A name in Chinese and in English, e.g. ``Label("道路运输", "Road transport")``."""

    zh: str
    en: str

    def get(self, lang: Language) -> str:
        """The text in ``lang``."""
        return self.zh if ensure_language(lang) == "zh" else self.en
