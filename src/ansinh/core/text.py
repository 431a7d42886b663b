"""Vietnamese text helpers: fold diacritics so "Công ty TNHH Phú Hưng" and "CONG TY TNHH PHU HUNG" compare equal.

Officials type the same name with or without accents, in upper or title case, in NFC or NFD; every
comparison of names or headers in An Sinh goes through `fold`.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")


def _drop_marks(text: str, form: str) -> str:
    """Decompose (`form` is "NFD" or "NFKD") and drop the combining marks; đ has no decomposition, so it is
    folded by hand first."""
    decomposed = unicodedata.normalize(form, text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain(text: str, *, compatibility: bool = False) -> str:
    """No diacritics, case kept, NFC ("Đức Phát" → "Duc Phat"). With `compatibility` the compatibility forms
    are taken apart too ("ﬁ" → "fi", full-width "１" → "1"), as a file name wants."""
    return unicodedata.normalize("NFC", _drop_marks(text, "NFKD" if compatibility else "NFD"))


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: the form two spellings of one name share."""
    return _SPACES.sub(" ", _drop_marks(text.lower(), "NFD")).strip()


def fold_words(text: str) -> str:
    """`fold`, with punctuation turned into spaces ("Cty. TNHH-MTV" → "cty tnhh mtv")."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text)).replace("_", " ")).strip()


def fold_keep(text: str) -> str:
    """`fold` one character for one character (đ → d, ấ → a, lower case), so a match found in the folded
    text is sliced out of the original at the same place. Unlike `fold` it keeps every space and every
    stray combining mark (they would shift the places); the plan reader matches on it."""
    out = []
    for ch in text.lower():
        if ch == "đ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        out.append(base if len(base) == 1 else ch)
    return "".join(out)
