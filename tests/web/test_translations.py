"""English for every page: each `{% translate "…" %}` of the templates has an English entry.

Vietnamese is the default and the source text; the English interface falls back to it silently when an
entry is missing, which is how half the pages came to show Vietnamese in English. A new string without
its entry now fails here, naming the template."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ansinh"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?')
ENTRY = re.compile(r'^(?:msgctxt "([^\n]*)"\n)?msgid "(.*)"\nmsgstr "(.*)"$', re.M)


def _english() -> dict[tuple[str, str], str]:
    """(context, source) → English; the context is "" for a word used in its plain sense."""
    return {(context, source): english for context, source, english in ENTRY.findall(PO.read_text(encoding="utf-8")) if source}


def test_every_template_string_has_english():
    english = _english()
    missing = {
        f"{path.relative_to(SRC / 'templates')}: {text}"
        for path in (SRC / "templates").rglob("*.html")
        for text, context in TRANSLATE.findall(path.read_text(encoding="utf-8"))
        if not english.get((context, text))
    }
    assert not missing, "no English for:\n" + "\n".join(sorted(missing))


def test_the_compiled_catalogue_is_current():
    """The .mo Django reads says what the .po says (a .po edited without `msgfmt` changes nothing)."""
    with PO.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = {
        source
        for (context, source), english in _english().items()
        if (catalogue.pgettext(context, source) if context else catalogue.gettext(source)) != english.replace('\\"', '"')
    }
    assert not stale, "run msgfmt: the compiled catalogue lacks " + ", ".join(sorted(stale)[:10])
