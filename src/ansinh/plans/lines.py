"""The reader's lines, numbers and dates: what every other part of the reader matches on.

`extract.repair_text` has already undone the file's damage (encodings, legacy fonts, broken lines); here a
line loses its markdown and table dressing, a row of a targets table becomes the sentence the target
reader understands, the body stops before the copy list, and numbers and deadlines are read the way
Vietnamese plans write them. Matching is on `core.text.fold_keep` (folded, one character for one).
"""

from __future__ import annotations

import re
from datetime import date

from ansinh.core.text import fold_keep

# ------------------------------------------------------------------------------------------ numbers


NUMBER = re.compile(r"(?<![\w/])(\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)")


def parse_number(token: str, *, integer: bool = False) -> float | None:
    """A number as Vietnamese officials write it: "433.364" → 433364, "96,11" → 96.11, "1.234,5" →
    1234.5; English spellings survive ("96.11" → 96.11, "3,095,954" → 3095954). `integer`: the value
    counts people, so "118,892" is thousands, not a decimal. None if `token` is not a number."""
    token = token.strip()
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", token):
        return None
    if "." in token and "," in token:
        decimal_mark = "." if token.rfind(".") > token.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        return float(token.replace(thousands, "").replace(decimal_mark, "."))
    mark = "." if "." in token else "," if "," in token else ""
    if not mark:
        return float(token)
    head, *groups = token.split(mark)
    grouped = len(head) <= 3 and all(len(g) == 3 for g in groups)
    if len(groups) > 1:
        return float(token.replace(mark, "")) if grouped else None
    if integer and grouped:
        return float(token.replace(mark, ""))
    if mark == "." and grouped:
        return float(token.replace(mark, ""))  # "433.364": Vietnamese thousands
    return float(head + "." + groups[0])  # "96,11", "48,2", "96.11"


# -------------------------------------------------------------------------------------------- dates


def safe_date(year: int, month: str | int | None, day: str | int | None) -> date | None:
    try:
        return date(int(year), int(month), int(day)) if month and day else None
    except ValueError:
        return None


DATE_CUE = r"(?:den|truoc|cham nhat(?: den)?|trong|tinh den|han)\s+(?:het\s+)?"


def dates_in(folded: str) -> list[tuple[int, date]]:
    """(position, date) of the deadlines a text gives: "đến ngày 30 tháng 11 năm 2025", "trước 31/12/2025",
    "đến cuối năm 2017" (31/12/2017)."""
    found = []
    for match in re.finditer(DATE_CUE + r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", folded):
        day = safe_date(int(match.group(3)), match.group(2), match.group(1))
        if day:
            found.append((match.start(), day))
    for match in re.finditer(DATE_CUE + r"(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", folded):
        day = safe_date(int(match.group(3)), match.group(2), match.group(1))
        if day:
            found.append((match.start(), day))
    for match in re.finditer(r"(?:den|truoc)?\s*cuoi nam\s+(\d{4})", folded):
        found.append((match.start(), date(int(match.group(1)), 12, 31)))
    return sorted(found)


# -------------------------------------------------------------------------------------------- lines


def clean_line(line: str) -> str:
    """Markdown and table dressing off: "### **III. NHIỆM VỤ**" → "III. NHIỆM VỤ"; a table row becomes
    a sentence ("Số hiệu | 53/KH-UBND |" → "Số hiệu: 53/KH-UBND")."""
    line = line.strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    line = re.sub(r"(\*\*\*|\*\*|__)", "", line).strip()
    line = re.sub(r"^\*(\S.*\S)\*$", r"\1", line)
    if "|" in line:
        line = _table_row(line)
    if re.fullmatch(r"[-–—_=*.\s]*", line):
        return ""
    return line.strip()


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    cells = [cell for cell in cells if cell]
    if not cells:
        return ""
    if len(cells) == 2 and len(cells[0].split()) <= 4 and not re.search(r"\d", cells[0]):
        return f"{cells[0]}: {cells[1]}"
    sentence = _target_row(cells)
    return sentence or " ; ".join(cells)


def _target_row(cells: list[str]) -> str | None:
    """A row of a targets table ("| 1 | Tỷ lệ bao phủ BHYT | % | 94 |") as the sentence the target
    reader understands ("Tỷ lệ bao phủ BHYT đạt 94%")."""
    label = next((c for c in cells if re.search(r"[^\W\d_]{3,}", c)), None)
    unit = next((c for c in cells if fold_keep(c).strip() in {"%", "ty le", "ty le %", "ty le (%)", "nguoi", "don vi", "dv"}), None)
    values = [c for c in cells if parse_number(c) is not None and c is not cells[0]]
    if not label or not unit or not values:
        return None
    folded_unit = fold_keep(unit)
    suffix = "%" if "%" in unit or "ty le" in folded_unit else " người" if "nguoi" in folded_unit else " đơn vị"
    return f"{label} đạt {values[-1]}{suffix}"


_STOP = re.compile(r"^(?:noi nhan|tm\.? ?(?:uy ban|ubnd|ban)|kt\.? ?chu tich|t/m\b)")


def body_lines(lines: list[str]) -> list[str]:
    """The lines up to "Nơi nhận" or the signature block: what comes after addresses the copy list."""
    for index, line in enumerate(lines):
        if _STOP.match(fold_keep(line).strip(" :*")):
            return lines[:index]
    return lines
