"""Vietnamese text helpers: fold diacritics so "Công ty TNHH Phú Hưng" and "CONG TY TNHH PHU HUNG" compare equal.

Officials type the same name with or without accents, in upper or title case, in NFC or NFD; every
comparison of names or headers in An Sinh goes through `fold`.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: the form two spellings of one name share."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip()


def fold_words(text: str) -> str:
    """`fold`, with punctuation turned into spaces ("Cty. TNHH-MTV" → "cty tnhh mtv")."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text)).replace("_", " ")).strip()
