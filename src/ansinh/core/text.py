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


#: Words written in capitals wherever they stand in a sentence: the schemes' and bodies' abbreviations.
ACRONYMS = ("BHXH", "BHYT", "BHTN", "BHTNLĐ-BNN", "UBND", "HĐND", "BNN", "TNLĐ")
_ACRONYM = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(ACRONYMS, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def in_sentence(label: str, *, whole: bool = False) -> str:
    """A label as it reads inside a sentence: first letter in lower case ("Số người tham gia BHYT" → "số
    người tham gia BHYT"), or with `whole` every letter, the scheme names (BHYT, BHXH, BHTN …) always in
    capitals, as official documents write them (a lower-cased "bhyt" in a signed report looks careless)."""
    text = label.lower() if whole else label[:1].lower() + label[1:]
    return _ACRONYM.sub(lambda match: match.group(1).upper(), text)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and ended with "…" ("…phươn…" would read as a
    typo); a text shorter than `limit` is returned as is, a single word longer than it is cut inside it."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-–") + "…"
