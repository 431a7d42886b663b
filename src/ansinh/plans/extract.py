"""Text out of a plan document as it arrives at the provincial BHXH: .txt, .docx or .pdf, often damaged.

Plans reach An Sinh as files saved from Word, printed to PDF, scanned and OCR'd, or copied from a legal
web site; old ones went through legacy Vietnamese fonts (TCVN3, VNI) and come back with `ñ` for `đ`.
`document_text` gets the text out of the container; `repair_text` undoes the damage the reader can undo
safely, so `reader.read_plan` sees one clean line per paragraph or list item.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
import zipfile

from ansinh.core.errors import ValidationFailed

SUPPORTED = (".txt", ".docx", ".pdf")


# --------------------------------------------------------------------------------------------- containers


def document_text(*, content: bytes, filename: str) -> str:
    """The text of a plan file, by its extension; a file we cannot read raises ValidationFailed naming it."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not content or not content.strip():
        raise ValidationFailed(f"Tệp “{filename}” rỗng: không có nội dung để đọc.")
    readers = {".txt": _text_of_txt, ".docx": _text_of_docx, ".pdf": _text_of_pdf}
    if suffix not in readers:
        raise ValidationFailed(
            f"Tệp “{filename}”: không đọc được định dạng “{suffix or 'không có phần mở rộng'}”. "
            "Hãy gửi kế hoạch dạng .txt, .docx hoặc .pdf."
        )
    text = readers[suffix](content, filename)
    if not text.strip():
        raise ValidationFailed(f"Tệp “{filename}” không có chữ nào đọc được.")
    return text


def _text_of_txt(content: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then the Windows code pages Vietnamese offices used:
    cp1258 (Windows Vietnamese) before cp1252, because a cp1258 file decoded as cp1252 turns đ into ð."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:  # an odd number of bytes, a lone surrogate: damaged, or not UTF-16 at all
            raise ValidationFailed(f"Tệp “{filename}” bắt đầu như văn bản UTF-16 nhưng bị hỏng: không đọc được.") from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in content[:2000]:
        raise ValidationFailed(f"Tệp “{filename}” không phải văn bản (có ký tự nhị phân).")
    for encoding in ("cp1258", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _text_of_docx(content: bytes, filename: str) -> str:
    """Paragraphs and tables in document order; a table row becomes one line of cells joined by " | ",
    which the reader understands, and list numbering typed as text stays (Word's automatic numbering is
    not in the text: the reader copes without it)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ansinh.core.tabular import zip_guard

    zip_guard(content=content, filename=filename)
    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationFailed(f"Tệp “{filename}” không phải tệp Word (.docx) hợp lệ hoặc đã hỏng ({type(error).__name__}).") from None
    except Exception as error:  # python-docx raises its own errors for broken packages
        raise ValidationFailed(f"Tệp “{filename}” không mở được như tệp Word (.docx): {error}") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines += _table_lines(Table(child, document))
    return "\n".join(lines)


def _table_lines(table) -> list[str]:
    """One line per row, merged cells once (python-docx repeats a merged cell in every grid column)."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or text != cells[-1]:
                cells.append(text)
        if any(cells):
            lines.append(" | ".join(cells) + " |")
    return lines


def _text_of_pdf(content: bytes, filename: str) -> str:
    """The PDF's text layer; a scan has none, and OCR is the officer's job before An Sinh can read it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as error:
        raise ValidationFailed(f"Tệp “{filename}” không phải tệp PDF hợp lệ hoặc đã hỏng ({type(error).__name__}).") from None
    text = "\n".join(pages)
    if len(re.findall(r"\w", text)) < 20:
        raise ValidationFailed(
            f"Tệp “{filename}” là PDF không có lớp chữ (có vẻ là bản quét): hãy nhận dạng chữ (OCR) "
            "trước, hoặc gửi bản .docx/.txt của kế hoạch."
        )
    return text


# --------------------------------------------------------------------------------------------- repair


def repair_text(text: str) -> str:
    """Clean text for the reader: NFC, legacy fonts undone (only when evidently mangled), lines broken in
    the middle of a sentence joined again, spaces normalised."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ").replace("\f", "\n")
    text = repair_legacy_font(text)
    text = unicodedata.normalize("NFC", text)
    lines = [_tidy_line(line) for line in text.split("\n")]
    return "\n".join(join_broken_lines(lines))


def _tidy_line(line: str) -> str:
    return re.sub(r"[ ]{2,}", " ", line).strip()


# Legacy fonts. Vietnamese Unicode has precomposed letters in U+1EA0–U+1EF9 and a few Latin-1 ones; a
# mangled text has almost none of them and many bytes of the legacy font instead.
_VIET_LETTERS = re.compile(r"[\u1ea0-\u1ef9ăâêôơưđĂÂÊÔƠƯĐ]")


def repair_legacy_font(text: str) -> str:
    """Undo TCVN3 or VNI leftovers when the text is evidently in one of them; correct Unicode is kept."""
    genuine = len(_VIET_LETTERS.findall(text))
    tcvn3 = len(_TCVN3_SIGNS.findall(text))
    if tcvn3 >= 5 and tcvn3 > 2 * genuine:
        return _translate_tcvn3(text)
    vni = len(_VNI_SIGNS.findall(text))
    if vni >= 5 and vni > 2 * genuine:
        return _VNI_PATTERN.sub(lambda m: _VNI_TO_UNICODE[m.group(0)], text)
    return _repair_d_leftovers(text)


def _repair_d_leftovers(text: str) -> str:
    """`ñ`/`Ñ` for đ/Đ (VNI) and `ð`/`Ð` (Windows-1258 read as Windows-1252), in text otherwise readable.
    Only when they stand where Vietnamese has đ (at the start of a syllable) and outnumber real đ: a
    Spanish name with ñ in a correct text stays as it is."""
    starts = re.findall(r"(?<![^\W\d_])[ñÑðÐ](?=[^\W\d_])", text)
    real = len(re.findall(r"[đĐ]", text))
    if len(starts) < 2 or len(starts) <= real:
        return text
    vni_style = "ñ" in text or "Ñ" in text

    def swap(match: re.Match) -> str:
        char, following = match.group(1), match.group(2)
        if char in "ÑÐ":
            return "Đ" + following
        if char == "ð" and (vni_style or following.isupper()):
            return "Đ" + following  # with ñ standing for đ, ð can only be the capital
        return "đ" + following

    text = re.sub(r"(?<![^\W\d_])([ñÑðÐ])([^\W\d_])", swap, text)
    return re.sub(r"(?m)^(\s*)[ñð](?=\s*[).:/]\s)", r"\1đ", text)  # the list label "đ)"


_TCVN3 = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ", "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ", "®": "đ", "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ",
    "Ñ": "ẹ", "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ", "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ",
    "Þ": "ị", "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ", "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ",
    "é": "ộ", "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ", "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ",
    "ô": "ụ", "\u00ad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự", "ú": "ỳ", "ý": "ý", "û": "ỷ",
    "ü": "ỹ", "þ": "ỵ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
}
#: Bytes only TCVN3 puts inside words (¸ µ ¶ · ¹ ® ª « ¬ …): ordinary Latin-1 text hardly has them there.
_TCVN3_SIGNS = re.compile(r"(?<=[A-Za-z])[µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ªÒÕÓÔÖ×ÝØÜÞ«¬\u00ad]|[®§](?=[A-Za-z])")


def _translate_tcvn3(text: str) -> str:
    return "".join(_TCVN3.get(ch, ch) for ch in text)


def _vni_table() -> dict[str, str]:
    """VNI-Windows spells a Vietnamese letter as its base letter plus accent bytes (ấ = "aá", ư = "ö");
    the table is built from the letters' decompositions instead of typed by hand."""
    tones = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
    plain_marks, hat_marks, breve_marks = "ùøûõï", "áàåãä", "éèúüë"
    table: dict[str, str] = {}
    letters = "aăâeêioôơuưy"
    for base in letters:
        for tone in (None, *tones):
            for upper in (False, True):
                char = unicodedata.normalize("NFC", base + (tone or ""))
                if len(char) != 1:
                    continue
                char = char.upper() if upper else char
                table[_vni_spelling(char, tones, plain_marks, hat_marks, breve_marks)] = char
    table["ñ"], table["Ñ"] = "đ", "Đ"
    return {vni: uni for vni, uni in table.items() if vni != uni}


def _vni_spelling(char: str, tones: dict, plain: str, hat: str, breve: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    upper = char.isupper()
    base, marks = decomposed[0], decomposed[1:]
    tone = next((tones[m] for m in marks if m in tones), None)
    if base in "iI":
        return {None: base, 0: "íÍ"[upper], 1: "ìÌ"[upper], 2: "æÆ"[upper], 3: "óÓ"[upper], 4: "òÒ"[upper]}[tone]
    if base in "yY" and tone == 4:
        return "îÎ"[upper]
    def mark(chars: str) -> str:
        return chars[tone].upper() if upper else chars[tone]
    if "\u0302" in marks:  # circumflex
        return base + (mark(hat) if tone is not None else ("Â" if upper else "â"))
    if "\u0306" in marks:  # breve
        return base + (mark(breve) if tone is not None else ("Ê" if upper else "ê"))
    if "\u031b" in marks:  # horn: ơ → ô, ư → ö
        base = {"o": "ô", "O": "Ô", "u": "ö", "U": "Ö"}[base]
    return base + (mark(plain) if tone is not None else "")


_VNI_TO_UNICODE = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI_TO_UNICODE, key=len, reverse=True)))
#: Two-byte VNI spellings (a vowel followed by an accent byte) and ñ: what a VNI text is full of.
_VNI_SIGNS = re.compile(r"[aeoyuôöAEOYUÔÖ][ùøûõïáàåãäéèúüëâêÙØÛÕÏÁÀÅÃÄÉÈÚÜËÂÊ]|(?<![^\W\d_])[ñÑ]")


# --------------------------------------------------------------------------------------------- broken lines

_LIST_MARK = re.compile(
    r"^(?:#{1,6}\s|\*\*|[-–—•+*·]\s|[IVXLC]+\s*[.\-/:)]\s|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)/:]\s|"
    r"\d{1,2}\.\d{1,2}(?:\.\d{1,2}){0,2}\s|[a-zđ]\s*[)./]\s|(?:phần|mục|chương|điều)\s+[\dIVX]+)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;:!?…]\W*$|\|$")


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line to the one before when that one was cut in the middle of a sentence (OCR, PDF text,
    hard-wrapped e-mail): the next line starts in lower case, or the document is hard-wrapped and the
    line before ran to the wrap width. A line that starts a list item or heading is never joined."""
    width = _wrap_width(lines)
    out: list[str] = []
    blank_since = False
    last = ""  # the previous line as it was cut, not what it was joined into: its width tells
    for line in lines:
        if not line:
            blank_since = True
            continue
        if out and _continues(last, line, width, after_blank=blank_since):
            out[-1] = _joined(out[-1], line)
        else:
            out.append(line)
        blank_since, last = False, line
    return out


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped document was wrapped at, or None when paragraphs are one line each."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 10:
        return None
    high = lengths[int(len(lengths) * 0.9) - 1]
    median = statistics.median(lengths)
    return high if high <= 110 and median >= 0.4 * high else None


def _continues(previous: str, line: str, width: int | None, *, after_blank: bool) -> bool:
    if _LIST_MARK.match(line) or previous.startswith("#") or line.startswith("#") or previous.endswith("|") or "|" in line:
        return False
    if width and _is_heading_like(previous) and _is_heading_like(line) and len(previous) >= 0.6 * width:
        return True  # an upper-case title wrapped over two lines
    ends_sentence = bool(_SENTENCE_END.search(previous))
    starts_lower = line[:1].islower()
    if not ends_sentence and starts_lower:
        return True
    if width is None or after_blank or _is_heading_like(previous):
        return False
    if not ends_sentence and len(previous) >= 0.6 * width:
        return True
    # A full-width line ending with "." is a wrapped line whose cut fell after a sentence.
    return len(previous) >= 0.9 * width and not starts_lower and not _is_heading_like(line)


def _is_heading_like(line: str) -> bool:
    """Headings are upper case ("IV. TỔ CHỨC THỰC HIỆN"): never glued to the paragraph after them."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _joined(previous: str, line: str) -> str:
    """Glue two pieces; a word hyphenated at the cut ("tham-\\ngia") loses the hyphen."""
    if re.search(r"\w-$", previous) and line[:1].islower():
        return previous[:-1] + line
    return previous + " " + line
