"""Text helpers for Vietnamese: matching that ignores diacritics and case."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """'Nguyễn Văn Ánh' → 'nguyen van anh'; 'KIM TÂN' → 'kim tan'. Đ/đ become d."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def search_text(*parts: str) -> str:
    """What household search matches against: every part folded, joined by spaces."""
    return " ".join(fold(part) for part in parts if part)


def like_pattern(query: str) -> str | None:
    """'ng van a' → 'ng% van% a%': each word of the query starts a word of the text, in order.

    Wildcards typed by the user are escaped (with backslash), so they match literally."""
    words = fold(query).replace("\\", "").replace("%", "").replace("_", "").split()
    if not words:
        return None
    return "% ".join(words) + "%"
