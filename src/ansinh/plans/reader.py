"""Read a provincial BHXH/BHYT plan ("Kế hoạch … thực hiện chỉ tiêu …") into a draft plan.

Pure functions, no database: text in, `DraftPlan` out, for an officer to review before anything is saved.
The reader knows how such plans are written, not any one plan's sentences:

* the header: "Số: 53/KH-UBND", "Cần Thơ, ngày 27 tháng 8 năm 2025", "ỦY BAN NHÂN DÂN TỈNH …", the title
  under "KẾ HOẠCH";
* the outline: I. / 1. / 1.1. / a) / - / + in any of their usual spellings ("1)", "a.", "I -", "## ");
  a letter list that starts again at "a)" with no heading between means the heading was lost (as when a
  plan is copied from a web page), and the reader keeps a numbered place for it ("[10]");
* targets: every number with "%" or a unit of people or employers, classified by what the words around
  it say (scheme, rate or count, "thuộc diện", "so với năm trước", "số đơn vị", a BHYT group…), with the
  year and deadline from the sentence or from the heading above it; several years in one sentence give
  several targets;
* assignments: an item or heading addressed to agencies ("3. Sở Y tế", "2.1. Sở LĐTBXH, Cục Thuế: …",
  "Giao BHXH thành phố chủ trì, phối hợp với …", "Đề nghị Liên đoàn Lao động …"), every task under it,
  the agencies it must work with, how often and by when.

All matching is on folded text (no accents, lower case), so OCR that lost most diacritics reads the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from ansinh.tasks.agencies import AGENCIES, AgencyMention, StandardAgency, agency_by_short_name, mentions_in

# ============================================================================================ the draft

Unit = Literal["%", "persons", "units", "households", "VND"]
Comparison = Literal[">=", ">", "=", "<", "<="]
Role = Literal["lead", "support"]
Recurrence = Literal["once", "monthly", "quarterly", "half_yearly", "yearly"]


class DraftTarget(BaseModel):
    """One numeric target. `unit`: "%" for rates, "persons" for head counts, "units" for employers,
    "households", "VND" for money. `group`: for a BHYT group target, the sub-group the plan names
    ("học sinh, sinh viên"), the group number being in the indicator code (`bhyt.coverage.group.4`).
    `comparison`: how the plan bounds the value ("trên 90%" is ">", "từ 85% trở lên" ">=", "đạt" "=")."""

    indicator: str
    value: float
    unit: Unit
    year: int | None = None
    deadline: date | None = None
    group: str | None = None
    comparison: Comparison = "="
    text: str
    section: str = ""


class DraftAssignment(BaseModel):
    """One task of one agency. `agency` is the directory's canonical name, `agency_text` as written;
    `role` "support" when the agency's own task is to work with another ("Phối hợp với …");
    `supports`: codes of the agencies the lead must involve ("chủ trì, phối hợp với …");
    `inferred`: the heading naming the agency was lost and the agency was guessed from the content.
    `recurrence`, `due_on`, `due_day`, `offset_months` follow `tasks.models.Task`; `due_text` is the
    plan's own words about the deadline."""

    agency: str
    agency_code: str
    agency_text: str = ""
    section: str
    text: str
    role: Role = "lead"
    supports: list[str] = Field(default_factory=list)
    recurrence: Recurrence | None = None
    due_on: date | None = None
    due_day: int | None = None
    offset_months: int = 0
    due_text: str | None = None
    inferred: bool = False


class DraftPlan(BaseModel):
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    scope: str | None = None
    scope_code: str | None = None
    title: str | None = None
    years: list[int] = Field(default_factory=list)
    targets: list[DraftTarget] = Field(default_factory=list)
    assignments: list[DraftAssignment] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def read_plan_file(*, content: bytes, filename: str) -> DraftPlan:
    """A plan file (.txt, .docx, .pdf) read into a draft; ValidationFailed if the file cannot be read."""
    from ansinh.plans.extract import document_text, repair_text

    return read_plan(repair_text(document_text(content=content, filename=filename)))


def read_plan(text: str) -> DraftPlan:
    """The draft plan in `text` (as `extract.repair_text` leaves it; repaired again here, harmlessly)."""
    from ansinh.plans.extract import repair_text

    text = repair_text(text)
    lines = [_clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    header = read_header(lines)
    body = _body_lines(lines)
    root = build_outline(body)
    warnings = list(header.warnings)
    default_year = header.title_years[0] if len(header.title_years) == 1 else (header.year_hint)
    targets = find_targets(root, default_year=default_year, warnings=warnings)
    assignments = find_assignments(root, warnings=warnings)
    years = sorted({t.year for t in targets if t.year} | set(header.title_years)) or ([header.year_hint] if header.year_hint else [])
    if not targets:
        warnings.append("Không tìm thấy chỉ tiêu nào có số liệu: kiểm tra lại văn bản.")
    if not assignments:
        warnings.append("Không tìm thấy nhiệm vụ nào giao cho cơ quan cụ thể.")
    return DraftPlan(
        number=header.number, issued_on=header.issued_on, issuer=header.issuer, scope=header.scope,
        scope_code=header.scope_code, title=header.title, years=years, targets=targets, assignments=assignments,
        warnings=warnings,
    )


# ============================================================================================ folding


def fold_keep(text: str) -> str:
    """`core.text.fold` one character for one character (đ → d, ấ → a, lower case), so a match found in
    the folded text is sliced out of the original at the same place."""
    out = []
    for ch in text.lower():
        if ch == "đ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


# ============================================================================================ numbers

_NUMBER = re.compile(r"(?<![\w/])(\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)")


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


# ============================================================================================ lines


def _clean_line(line: str) -> str:
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


def _body_lines(lines: list[str]) -> list[str]:
    """The lines up to "Nơi nhận" or the signature block: what comes after addresses the copy list."""
    for index, line in enumerate(lines):
        if _STOP.match(fold_keep(line).strip(" :*")):
            return lines[:index]
    return lines


# ============================================================================================ header


@dataclass
class Header:
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    scope: str | None = None
    scope_code: str | None = None
    title: str | None = None
    title_years: list[int] = field(default_factory=list)
    year_hint: int | None = None
    warnings: list[str] = field(default_factory=list)


def read_header(lines: list[str]) -> Header:
    """Number, date, place, issuer and title from the top of the document (and the web page's table of
    properties, when the plan was copied from one)."""
    head = lines[:60]
    header = Header()
    header.number = _number(head, header.warnings)
    header.issued_on, place, header.year_hint = _issued(head)
    header.title = _title(lines)
    header.title_years = _years_in(header.title or "")
    header.scope, header.scope_code, kind = _scope(place, head)
    header.issuer = _issuer(head, header.number, header.scope, kind)
    if header.issued_on is None:
        header.warnings.append("Không đọc được ngày ban hành (có thể văn bản chưa ghi ngày).")
    if header.scope_code is None:
        header.warnings.append("Không nhận ra tỉnh, thành phố ban hành kế hoạch.")
    if header.year_hint is None and header.issued_on:
        header.year_hint = header.issued_on.year
    return header


_NUMBER_LINE = re.compile(r"\bso(?: hieu)?\s*[:|]?\s*(\d*)\s*/\s*([a-z0-9][a-z0-9\-]*)")


def _number(head: list[str], warnings: list[str]) -> str | None:
    for line in head:
        folded = fold_keep(line)
        match = _NUMBER_LINE.search(folded) if re.match(r"\W*so\b", folded) else None
        match = match or re.search(r"\bke hoach\s+(?:so\s+)?(\d+)\s*/\s*([a-z0-9][a-z0-9\-]*)", folded)
        if match:
            symbol = line[match.start(2):match.end(2)].upper()
            if not match.group(1):
                warnings.append(f"Văn bản chưa có số (“Số: /{symbol}”): điền số khi văn bản được ban hành.")
                return None
            return f"{match.group(1)}/{symbol}"
    warnings.append("Không tìm thấy số văn bản (“Số: …/KH-UBND”).")
    return None


_PLACE_DATE = re.compile(r"^\W*([^\d,|:]{2,40}),\s*ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})")


def _issued(head: list[str]) -> tuple[date | None, str | None, int | None]:
    """(issue date, place, year): "Hải Phòng, ngày   tháng   năm 2024" gives no date but the year."""
    for line in head:
        folded = fold_keep(line)
        match = _PLACE_DATE.search(folded)
        if match:
            place = line[match.start(1):match.end(1)].strip()
            year = int(match.group(4))
            day = _safe_date(year, match.group(3), match.group(2))
            return day, place, year
    for line in head:
        match = re.search(r"ngay ban hanh\W+(\d{1,2})/(\d{1,2})/(\d{4})", fold_keep(line))
        if match:
            return _safe_date(int(match.group(3)), match.group(2), match.group(1)), None, int(match.group(3))
    return None, None, None


def _safe_date(year: int, month: str | int | None, day: str | int | None) -> date | None:
    try:
        return date(int(year), int(month), int(day)) if month and day else None
    except ValueError:
        return None


def _title(lines: list[str]) -> str | None:
    """The words under "KẾ HOẠCH", or after "Kế hoạch 53/KH-UBND" on a copied page's first line."""
    for index, line in enumerate(lines[:60]):
        folded = fold_keep(line).strip(" .:")
        if folded == "ke hoach":
            parts = []
            for following in lines[index + 1:index + 4]:
                if re.match(r"(?:thuc hien|can cu|de |nham|trien khai thuc hien (?:nghi|chi|quyet))", fold_keep(following)) and parts:
                    break
                if _LABEL.match(following) or len(following) > 400:
                    break
                parts.append(following)
                if len(" ".join(parts)) > 60:
                    break
            if parts:
                return " ".join(parts).strip()
        match = re.match(r"ke hoach\s+(?:so\s+)?\d+\s*/\s*[a-z0-9\-]+\s+(.+?)(?:\s+do\s+.{2,60}\s+ban hanh)?\s*$", folded)
        if match and index < 5:
            title = line[match.start(1):match.end(1)]
            return title[:1].upper() + title[1:]
    return None


def _years_in(text: str) -> list[int]:
    folded = fold_keep(text)
    years = {int(y) for y in re.findall(r"\bnam (\d{4})\b", folded)}
    for start, end in re.findall(r"giai doan (\d{4})\s*[-–]\s*(\d{4})", folded):
        years |= set(range(int(start), int(end) + 1))
    return sorted(y for y in years if 1990 <= y <= 2100)


# --- provinces ------------------------------------------------------------------------------------------

#: Provinces merged away on 1/7/2025, with their pre-2025 codes: plans before then name them.
OLD_PROVINCES = {
    "Hà Giang": "02", "Bắc Kạn": "06", "Yên Bái": "15", "Hòa Bình": "17", "Vĩnh Phúc": "26", "Bắc Giang": "24",
    "Hải Dương": "30", "Thái Bình": "34", "Hà Nam": "35", "Nam Định": "36", "Quảng Bình": "44", "Quảng Nam": "49",
    "Kon Tum": "62", "Bình Định": "52", "Phú Yên": "54", "Ninh Thuận": "58", "Bình Thuận": "60", "Đắk Nông": "67",
    "Bình Phước": "70", "Bình Dương": "74", "Bà Rịa - Vũng Tàu": "77", "Long An": "80", "Tiền Giang": "82",
    "Bến Tre": "83", "Trà Vinh": "84", "Kiên Giang": "91", "Hậu Giang": "93", "Sóc Trăng": "94", "Bạc Liêu": "95",
    "Thừa Thiên Huế": "46",
}


def _provinces() -> list[tuple[str, str, str]]:
    """(name, 2-digit code, "tỉnh" | "thành phố"), longest name first; 2025 units from vietnam_provinces."""
    from vietnam_provinces import Province

    found = []
    for province in Province.iter_all():
        city = "trung ương" in province.division_type.value or province.name.startswith("Thành phố")
        name = re.sub(r"^Thành phố\s+", "", province.name)
        found.append((name, f"{int(province.code):02d}", "thành phố" if city else "tỉnh"))
    found += [(name, code, "tỉnh") for name, code in OLD_PROVINCES.items()]
    found.append(("Hồ Chí Minh", "79", "thành phố"))
    return sorted(found, key=lambda row: -len(row[0]))


def _scope(place: str | None, head: list[str]) -> tuple[str | None, str | None, str | None]:
    candidates = [place or ""] + [line for line in head if re.search(r"\b(?:tinh|thanh pho|dia ban)\b", fold_keep(line))]
    for text in candidates:
        folded = " " + re.sub(r"[^a-z0-9 ]", " ", fold_keep(text)) + " "
        for name, code, kind in _provinces():
            key = " " + re.sub(r"[^a-z0-9 ]", " ", fold_keep(name)) + " "
            if re.sub(r"\s+", " ", key) in re.sub(r"\s+", " ", folded):
                return name, code, kind
    return place, None, None


def _issuer(head: list[str], number: str | None, scope: str | None, kind: str | None) -> str | None:
    folded_head = " ".join(fold_keep(line) for line in head[:15])
    symbol = (number or "").split("/")[-1].upper()
    where = f" {kind} {scope}" if scope and kind else (f" {scope}" if scope else "")
    if "UBND" in symbol or "uy ban nhan dan" in folded_head:
        return f"Ủy ban nhân dân{where}"
    if "BHXH" in symbol:
        return f"Bảo hiểm xã hội{where}"
    if "BCĐ" in symbol or "BCD" in symbol:
        return f"Ban Chỉ đạo{where}"
    for line in head:
        match = re.match(r"co quan ban hanh\s*:\s*(.+)", fold_keep(line))
        if match:
            return line[match.start(1):].strip()
    return None


# ============================================================================================ outline

STYLE_RANK = {"roman": 0, "decimal": 1, "letter": 2, "dash": 3, "plus": 4, "star": 5}
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LABEL = re.compile(
    r"^(?:(?P<part>(?i:ph[aầâ]n|m[uụ]c|ch[uư][oơ]ng)\s+)?(?P<roman>[IVXL]+)\s*[.\-–/:)]\s*(?=\S)"
    r"|(?P<decimal>\d{1,2}(?:\.\d{1,2}){0,3})(?:\s*[.)/:](?!\d)\s*|(?<=\d)\s+)(?=\S|$)"
    r"|(?P<letter>[a-zđ])\s*[).](?=\s)\s*|(?P<letter2>[a-zđ])/\s+"
    r"|(?P<bullet>[-–—•+*·▪◦○])\s*(?=\S))"
)


@dataclass
class Node:
    """One numbered or bulleted item of the plan, its heading text, the plain paragraphs under it and
    its sub-items. `virtual`: a heading the text lost (the reader numbers it in brackets)."""

    style: str
    label: str
    text: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    virtual: bool = False
    closing: bool = False
    addressees: list[AgencyMention] = field(default_factory=list)
    intro_addressees: list[AgencyMention] = field(default_factory=list)
    heading_only: bool = False
    inferred: bool = False

    @property
    def rank(self) -> int:
        return STYLE_RANK.get(self.style, -1)

    @property
    def number(self) -> int | None:
        """The item's place among its siblings as a number (III → 3, 2.11 → 11, c → 3)."""
        label = self.label.strip("[]")
        if self.style == "roman":
            return _roman(label)
        if self.style == "decimal":
            return int(label.split(".")[-1]) if re.fullmatch(r"[\d.]+", label) else None
        if self.style == "letter":
            return _LETTERS.index(label) + 1 if label in _LETTERS else None
        return None

    @property
    def section(self) -> str:
        """"III.2.11", "IV.1", "[IV].[10].a": the labels of the numbered items from the top down."""
        parts: list[str] = []
        node: Node | None = self
        chain = []
        while node is not None and node.style != "root":
            if node.style in ("roman", "decimal", "letter"):
                chain.append(node)
            node = node.parent
        for item in reversed(chain):
            if item.style == "decimal" and parts and "." in item.label and item.label.startswith(parts[-1] + "."):
                parts[-1] = item.label
            else:
                parts.append(item.label)
        return ".".join(parts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _roman(label: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    if not label or any(ch not in values for ch in label):
        return None
    total = 0
    for index, ch in enumerate(label):
        value = values[ch]
        total += -value if index + 1 < len(label) and values[label[index + 1]] > value else value
    return total


def _to_roman(number: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def parse_label(line: str) -> tuple[str, str, str] | None:
    """(style, label, rest) of a numbered or bulleted line, or None for a plain paragraph."""
    match = _LABEL.match(line)
    if not match:
        return None
    rest = line[match.end():].strip()
    if match.group("roman"):
        roman = match.group("roman")
        if _roman(roman) is None or not rest or (not match.group("part") and not rest[:1].isupper()):
            return None
        return "roman", roman, rest
    if match.group("decimal"):
        label = match.group("decimal")
        plain_single = "." not in label and not re.match(r"\d{1,2}\s*[.)/:]", line)
        if plain_single or not rest:
            return None
        return "decimal", label.rstrip("."), rest
    letter = match.group("letter") or match.group("letter2")
    if letter:
        return ("letter", letter, rest) if rest else None
    bullet = match.group("bullet")
    style = "plus" if bullet == "+" else "star" if bullet in "*·▪◦○" else "dash"
    return style, bullet, rest


_TASK_VERB_WORDS = ("chu", "phoi", "chi", "thuc", "tham", "huong", "xay", "tang", "kiem", "cung", "trien", "theo",
                    "ra", "don", "tuyen", "phat")
_TASK_VERBS = ("phoi hop", "chu tri", "chi dao", "thuc hien", "tham muu", "huong dan", "to chuc", "xay dung",
               "tang cuong", "kiem tra", "cung cap", "trien khai", "theo doi", "ra soat", "don doc", "tuyen truyen")


def build_outline(lines: list[str]) -> Node:
    """The plan as a tree of items; lost headings become virtual items so sections stay apart."""
    root = Node("root", "", "")
    stack = [root]
    state = {"blocks": 1}
    for line in lines:
        parsed = parse_label(line)
        if parsed is None:
            _add_paragraph(root, stack, line)
            continue
        style, label, rest = parsed
        node = Node(style, label, rest)
        _place(root, stack, node, state)
    return root


def _add_paragraph(root: Node, stack: list[Node], line: str) -> None:
    top = stack[-1]
    if _is_closing(line):
        root.children.append(Node("para", "", line, parent=root, closing=True))
        return
    if top.style == "letter" and _ends_sentence(top.paras[-1] if top.paras else top.text) and _starts_task(line):
        parent = top.parent
        virtual = _virtual_sibling(parent) if parent is not None and parent.style != "root" else None
        if virtual is not None:
            virtual.text = line
            while stack[-1] is not parent:
                stack.pop()
            stack.pop()
            stack.append(virtual)
            return
    top.paras.append(line)


def _is_closing(line: str) -> bool:
    """"Trên đây là Kế hoạch …", "UBND tỉnh yêu cầu …": the plan's last words, outside every section."""
    folded = fold_keep(line)
    return bool(re.match(r"(?:tren day la|(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho)\s*(?:\S+\s+){0,3}yeu cau)", folded))


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?]\W*$", text.strip()))


def _starts_task(line: str) -> bool:
    folded = fold_keep(line)
    return line[:1].isupper() and folded.startswith(_TASK_VERBS)


def _virtual_sibling(node: Node) -> Node | None:
    """A numbered place for a lost heading: the next number after `node`, beside it."""
    parent = node.parent
    if parent is None or node.style not in ("decimal", "roman"):
        return None
    number = (node.number or 0) + 1
    label = f"[{_to_roman(number)}]" if node.style == "roman" else f"[{number}]"
    virtual = Node(node.style, label, "", parent=parent, virtual=True)
    parent.children.append(virtual)
    return virtual


def _place(root: Node, stack: list[Node], node: Node, state: dict) -> None:
    rank = node.rank
    if node.style == "decimal" and "." in node.label:
        while stack[-1].rank > 1 or (stack[-1].style == "decimal" and not node.label.startswith(stack[-1].label + ".")):
            stack.pop()
    else:
        while stack[-1].rank >= rank:
            stack.pop()
    parent = stack[-1]
    if node.style == "letter":
        parent = _letter_parent(stack, node)
    elif node.style == "decimal" and "." not in node.label:
        parent = _decimal_parent(root, stack, node, state)
    node.parent = parent
    parent.children.append(node)
    stack.append(node)


def _letter_parent(stack: list[Node], node: Node) -> Node:
    """An "a)" after a finished letter list under the same heading starts a new, lost, heading."""
    parent = stack[-1]
    if node.label == "d" and parent.children and parent.children[-1].style == "letter" and parent.children[-1].label == "d":
        node.label = "đ"  # OCR lost the stroke: "d)" after "d)" is "đ)"
    restarts = node.label == "a" and any(child.style == "letter" for child in parent.children)
    if not restarts:
        return parent
    if parent.style == "decimal":
        virtual = _virtual_sibling(parent)
    else:  # letters straight under a roman heading or the top: the lost heading is a decimal under it
        decimals = [child for child in parent.children if child.style == "decimal"]
        number = (decimals[-1].number or 0) + 1 if decimals else 1
        virtual = Node("decimal", f"[{number}]", "", parent=parent, virtual=True)
        parent.children.append(virtual)
    if stack[-1] is parent and parent.style == "decimal":
        stack.pop()
    stack.append(virtual)
    return virtual


def _decimal_parent(root: Node, stack: list[Node], node: Node, state: dict) -> Node:
    """"1." again after "6." with no roman heading between: a lost part heading ("[II]")."""
    parent = stack[-1]
    real = [child for child in parent.children if child.style == "decimal" and not child.virtual]
    number = int(node.label)
    if not real or (real[-1].number or 0) < number:
        return parent
    if parent.style == "roman":
        block = _virtual_sibling(parent)
    else:
        state["blocks"] += 1
        block = Node("roman", f"[{_to_roman(state['blocks'])}]", "", parent=root, virtual=True)
        root.children.append(block)
    while len(stack) > 1 and stack[-1].rank >= 0:
        stack.pop()
    stack.append(block)
    return block


# ============================================================================================ targets

_SCHEMES = (
    ("bhxh.compulsory", r"(?:bhxh|bao hiem xa hoi) bat buoc"),
    ("bhxh.voluntary", r"(?:bhxh|bao hiem xa hoi) tu nguyen"),
    ("bhxh", r"\bbhxh\b|bao hiem xa hoi"),
    ("bhyt", r"\bbhyt\b|bao hiem y te"),
    ("bhtn", r"\bbhtn\b|bao hiem that nghiep"),
)
_SCHEME_WORD = r"(?:bhxh|bhyt|bhtn|bao hiem)"

#: Sub-groups of BHYT participants plans set targets for: (folded words, group of the Law, label).
BHYT_SUBGROUPS = (
    (r"hoc sinh|sinh vien|hoc vien", "4", "học sinh, sinh viên"),
    (r"can ngheo", "4", "người thuộc hộ cận nghèo"),
    (r"muc song trung binh|nong,? lam,? ngu", "4", "hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình"),
    (r"\bngheo\b", "3", "người thuộc hộ nghèo"),
    (r"tre em duoi 6 tuoi", "3", "trẻ em dưới 6 tuổi"),
    (r"dan toc thieu so", "3", "người dân tộc thiểu số vùng khó khăn"),
    (r"ho gia dinh", "5", "hộ gia đình"),
)

#: Indicator codes the reader gives to targets the DESIGN registry has no code for (see docs/plans.md).
NEW_INDICATORS = {
    "arrears.rate": ("%", "Tỷ lệ nợ, chậm đóng BHXH, BHYT, BHTN (trên số phải thu)"),
    "employers.e_transaction_share": ("%", "Tỷ lệ đơn vị sử dụng lao động giao dịch hồ sơ điện tử"),
    "bhyt.schools.share": ("%", "Tỷ lệ trường học tổ chức BHYT học sinh"),
    "service.satisfaction": ("%", "Mức độ hài lòng của người tham gia, doanh nghiệp"),
    "egov.online_share": ("%", "Tỷ lệ hồ sơ, thủ tục giải quyết trực tuyến"),
    "bhxh.growth": ("%", "Tăng trưởng số người tham gia BHXH so với năm trước"),
    "bhxh.compulsory.growth": ("%", "Tăng trưởng số người tham gia BHXH bắt buộc so với năm trước"),
    "bhyt.growth": ("%", "Tăng trưởng số người tham gia BHYT so với năm trước"),
    "bhtn.growth": ("%", "Tăng trưởng số người tham gia BHTN so với năm trước"),
    "bhxh.voluntary.new_participants": ("persons", "Số người tham gia BHXH tự nguyện phát triển mới"),
    "bhxh.compulsory.new_participants": ("persons", "Số người tham gia BHXH bắt buộc phát triển mới"),
    "bhyt.new_participants": ("persons", "Số người tham gia BHYT phát triển mới"),
    "employers.registered": ("units", "Số đơn vị sử dụng lao động đăng ký tham gia"),
    "contributions.collected": ("VND", "Số thu BHXH, BHYT, BHTN"),
    "unclassified": ("", "Chỉ tiêu có số liệu nhưng chưa nhận ra chỉ số: người rà soát chọn chỉ số"),
    **{f"bhyt.participants.group.{g}": ("persons", f"Số người tham gia BHYT nhóm {g}") for g in "12345"},
}

_UNIT_AFTER = re.compile(
    r"^\s*(?P<pct>%)|^\s*(?P<money>(?:ty|trieu|nghin)?\s*(?:dong|vnd)\b)|^\s*(?P<persons>nguoi|lao dong|doi tuong)\b"
    r"|^\s*(?P<units>don vi|doanh nghiep|dn\b|co so)|^\s*(?P<households>ho\b)"
)
_PAST = re.compile(r"\b(?:da dat|uoc dat|uoc thuc hien|dat duoc|cung ky|hien nay|hien co|ket qua thuc hien nam)\b")


@dataclass
class _Token:
    start: int
    end: int
    value: float
    unit: str


def find_targets(root: Node, *, default_year: int | None, warnings: list[str]) -> list[DraftTarget]:
    """Every numeric target in the plan, once each (the same target repeated in two sections is kept once)."""
    found: list[DraftTarget] = []
    seen: dict[tuple, DraftTarget] = {}
    for node in root.walk():
        for text in _units_of(node):
            for target in _targets_in(text, node, default_year):
                key = (target.indicator, target.value, target.unit, target.year, target.group)
                if key in seen:
                    seen[key].deadline = seen[key].deadline or target.deadline
                    continue
                seen[key] = target
                found.append(target)
    for target in found:
        if target.indicator == "unclassified":
            warnings.append(f"Chỉ tiêu {target.value:g}{'%' if target.unit == '%' else ' ' + target.unit} chưa nhận ra chỉ số: “{target.text[:120]}”.")
    return found


def _units_of(node: Node) -> list[str]:
    return [text for text in [node.text, *node.paras] if text]


def _numbers(text: str, folded: str) -> list[_Token]:
    tokens = []
    for match in _NUMBER.finditer(text):
        unit_match = _UNIT_AFTER.match(folded[match.end():match.end() + 20])
        if not unit_match:
            continue
        unit = {"pct": "%", "money": "VND", "persons": "persons", "units": "units", "households": "households"}[unit_match.lastgroup]
        value = parse_number(match.group(1), integer=unit != "%")
        if value is None:
            continue
        if unit == "VND":
            scale = folded[match.end():match.end() + 12]
            value *= 1e9 if "ty" in scale else 1e6 if "trieu" in scale else 1e3 if "nghin" in scale else 1
        tokens.append(_Token(match.start(), match.end() + (unit_match.end() if unit == "%" else 0), value, unit))
    return tokens


def _targets_in(text: str, node: Node, default_year: int | None) -> list[DraftTarget]:
    folded = fold_keep(text)
    tokens = _numbers(text, folded)
    targets: list[DraftTarget] = []
    previous: DraftTarget | None = None
    for index, token in enumerate(tokens):
        start = tokens[index - 1].end if index else 0
        until = tokens[index + 1].start if index + 1 < len(tokens) else len(text)
        before = folded[start:token.start]
        after = _after_window(folded[token.end:until])
        if _PAST.search(_clause_tail(before)):
            continue
        indicator, group = _classify(before, after, token, folded)
        if indicator is None:
            if previous is None or _has_subject(before):
                indicator, group = "unclassified", None
            else:
                indicator, group = previous.indicator, previous.group
        year, deadline = _when(before, after, folded, node, default_year, token)
        sentence = _sentence_around(text, token.start)
        target = DraftTarget(
            indicator=indicator, value=token.value, unit=token.unit, year=year, deadline=deadline, group=group,
            comparison=_comparison(before, after), text=sentence, section=node.section,
        )
        targets.append(target)
        previous = target
    return targets


def _after_window(folded_after: str) -> str:
    """What follows the number up to the end of its clause ("… số đơn vị có lao động …; năm 2018 …")."""
    cut = re.search(r";|\.\s|\.$|\(|\)", folded_after)
    return folded_after[:cut.start()] if cut else folded_after[:200]


def _clause_tail(before: str) -> str:
    return re.split(r"[;.]\s", before)[-1]


def _without_parentheses(text: str) -> str:
    return re.sub(r"\([^()]*\)", " ", text)


def _subject(before: str) -> str:
    """The shortest end of `before` that names a scheme: "…, trong đó: số người tham gia BHXH bắt buộc là"
    → "số người tham gia BHXH bắt buộc là". Commas inside "BHXH, BHYT" do not cut."""
    plain = _without_parentheses(before)
    pieces = re.split(rf"[,;:](?!\s*{_SCHEME_WORD})", plain)
    for size in range(1, len(pieces) + 1):
        tail = ",".join(pieces[-size:])
        if re.search(_SCHEME_WORD, tail):
            return tail
    return pieces[-1] if pieces else ""


def _has_subject(before: str) -> bool:
    return bool(re.search(rf"{_SCHEME_WORD}|ty le|so nguoi|so don vi", _clause_tail(_without_parentheses(before))))


def _scheme(*texts: str) -> str | None:
    for text in texts:
        hits = [(m.start(), code) for code, pattern in _SCHEMES for m in [re.search(pattern, text)] if m]
        if hits:
            first = min(hits)[0]
            at_first = [code for start, code in hits if start == first]
            return at_first[0]
    return None


def _classify(before: str, after: str, token: _Token, folded: str) -> tuple[str | None, str | None]:
    """(indicator code, BHYT sub-group) for one number, from the words before and after it."""
    before = _clause_tail(before)
    subject = _subject(before)
    near_after = re.split(r",\s", after, maxsplit=1)[0]
    scheme = _scheme(subject if re.search(_SCHEME_WORD, subject) else "", after, _without_parentheses(before))
    local = subject + " " + near_after
    if not re.search(rf"{_SCHEME_WORD}|ty le|so nguoi|don vi|doanh nghiep|hoc sinh|truong|giao dich|chi tra|no|thu", local):
        return None, None
    if token.unit == "%":
        return _rate_indicator(subject, near_after, local, scheme)
    if token.unit in ("persons", "households"):
        return _count_indicator(local, scheme)
    if token.unit == "units":
        return "employers.registered", None
    return ("contributions.collected" if re.search(r"\bthu\b", local) else "unclassified"), None


def _subgroup(text: str) -> tuple[str, str] | None:
    for pattern, group, label in BHYT_SUBGROUPS:
        if re.search(pattern, text):
            return group, label
    return None


def _rate_indicator(subject: str, near_after: str, local: str, scheme: str | None) -> tuple[str | None, str | None]:
    if "giao dich dien tu" in local or "ho so dien tu" in local:
        return "employers.e_transaction_share", None
    if re.search(r"chi tra|\bnhan\b|\bhuong\b|luong huu|tro cap", local) and re.search(r"tai khoan|khong dung tien mat|\batm\b", local):
        return "benefits.account_payment_share", None
    if re.search(r"\bno dong\b|\bcham dong\b|\bno bhxh\b|ty le no\b|so no\b", local):
        return "arrears.rate", None
    if "hai long" in local:
        return "service.satisfaction", None
    if "dich vu cong" in local or "truc tuyen" in local:
        return "egov.online_share", None
    if re.match(r"\s*(?:so )?(?:don vi|doanh nghiep)", near_after):
        return "employers.registered_share", None
    if re.match(r"\s*(?:so )?truong", near_after):
        return "bhyt.schools.share", None
    if re.search(r"\btang\b", subject) and re.search(r"so voi|hang nam|moi nam|nam truoc", local):
        return {"bhxh.voluntary": "bhxh.voluntary.growth", "bhxh.compulsory": "bhxh.compulsory.growth",
                "bhyt": "bhyt.growth", "bhtn": "bhtn.growth"}.get(scheme or "", "bhxh.growth"), None
    if "thuoc dien" in local:
        if scheme == "bhtn":
            return "bhtn.required_coverage", None
        if scheme in ("bhxh", "bhxh.compulsory", None):
            return "bhxh.compulsory.required_coverage", None
    subgroup = _subgroup(subject.split("bhyt")[-1] + " " + near_after) if scheme in ("bhyt", None) else None
    if subgroup and scheme in ("bhyt", None):
        return f"bhyt.coverage.group.{subgroup[0]}", subgroup[1]
    return {"bhyt": "bhyt.coverage", "bhxh.compulsory": "bhxh.compulsory.rate", "bhxh.voluntary": "bhxh.voluntary.rate",
            "bhxh": "bhxh.participation", "bhtn": "bhtn.participation"}.get(scheme or ""), None


def _count_indicator(local: str, scheme: str | None) -> tuple[str | None, str | None]:
    new = bool(re.search(r"phat trien moi|tang them|\bmoi\b", local))
    if scheme == "bhyt":
        subgroup = _subgroup(local.split("bhyt")[-1])
        if subgroup:
            return f"bhyt.participants.group.{subgroup[0]}", subgroup[1]
        return ("bhyt.new_participants" if new else "bhyt.participants"), None
    if scheme in ("bhxh.compulsory", "bhxh.voluntary"):
        return f"{scheme}.{'new_participants' if new else 'participants'}", None
    if scheme == "bhxh":
        return "bhxh.participants", None
    if scheme == "bhtn":
        return "bhtn.participants", None
    return None, None


def _comparison(before: str, after: str) -> str:
    near = before[-30:]
    if re.search(r"\b(?:it nhat|toi thieu|khong thap hon|khong duoi)\b", near) or (
        re.search(r"\btu\s*$", near) and re.match(r"\s*tro len", after)) or re.match(r"\s*tro len", after):
        return ">="
    if re.search(r"\b(?:tren|hon)\s*$", near):
        return ">"
    if re.search(r"\b(?:duoi|thap hon)\s*$", near):
        return "<"
    if re.search(r"\b(?:khong qua|toi da|khong vuot)\s*$", near):
        return "<="
    return "="


_DATE_CUE = r"(?:den|truoc|cham nhat(?: den)?|trong|tinh den|han)\s+(?:het\s+)?"


def _dates_in(folded: str) -> list[tuple[int, date]]:
    """(position, date) of the deadlines a text gives: "đến ngày 30 tháng 11 năm 2025", "trước 31/12/2025",
    "đến cuối năm 2017" (31/12/2017)."""
    found = []
    for match in re.finditer(_DATE_CUE + r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", folded):
        day = _safe_date(int(match.group(3)), match.group(2), match.group(1))
        if day:
            found.append((match.start(), day))
    for match in re.finditer(_DATE_CUE + r"(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", folded):
        day = _safe_date(int(match.group(3)), match.group(2), match.group(1))
        if day:
            found.append((match.start(), day))
    for match in re.finditer(r"(?:den|truoc)?\s*cuoi nam\s+(\d{4})", folded):
        found.append((match.start(), date(int(match.group(1)), 12, 31)))
    return sorted(found)


def _when(before: str, after: str, folded: str, node: Node, default_year: int | None, token: _Token) -> tuple[int | None, date | None]:
    """Year and deadline of a target: from its own clause first, then the headings above it."""
    tail = _clause_tail(before)
    years = re.findall(r"\bnam (\d{4})\b", tail)
    year = int(years[-1]) if years else None
    clause_start = token.start - len(tail)
    clause_end = token.end + len(after)
    deadline = next((day for _, day in _dates_in(folded[max(0, clause_start - 5):clause_end + 60])), None)
    recurring = re.search(r"\b(?:hang|moi) nam\b", tail) and year is None
    if recurring:
        return None, None
    if year is None and deadline is not None:
        year = deadline.year
    ancestor = node
    while (year is None or deadline is None) and ancestor is not None:
        context = fold_keep(" ".join([ancestor.text, *(ancestor.paras[:1] if ancestor is not node else [])]))
        if year is None:
            found = re.findall(r"\bnam (\d{4})\b", context)
            year = int(found[0]) if len(set(found)) == 1 else None
        if deadline is None:
            dates = _dates_in(context)
            deadline = dates[0][1] if dates and (year is None or dates[0][1].year == year) else None
        ancestor = ancestor.parent
    return (year or default_year), deadline


def _sentence_around(text: str, position: int) -> str:
    """The sentence a number stands in, as the plan wrote it (for the reviewer)."""
    starts = [m.end() for m in re.finditer(r"(?:[.;]\s+|:\s+(?=[A-ZĐ]))", text[:position])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.;](?:\s|$)", text[position:])
    end = position + end_match.end() if end_match else len(text)
    return text[start:end].strip()


# ============================================================================================ assignments

_PREFIX = re.compile(r"^(?:\W*(?:de nghi|giao|yeu cau|chu tich|giam doc|thu truong|lanh dao|cac)\s+)+")
_CONNECTORS = set(
    "va voi cac cung co quan don vi so ban nganh lien to chuc doan the thanh vien pho tinh huyen dia phuong cap "
    "tren de nghi giao chu tich giam doc thu truong chinh tri xa hoi khac truc thuoc nha nuoc trung uong tp "
    "chuyen mon ca nhan".split()
)


@dataclass
class Run:
    """Agencies named one after another from a place in a text ("Sở Nội vụ, BHXH thành phố, Thuế và
    các cơ quan liên quan"), and where the list ends."""

    mentions: list[AgencyMention]
    end: int


def agency_run(text: str, start: int = 0) -> Run:
    """The list of agencies beginning at `start` (only connecting words may stand between them)."""
    mentions = [m for m in mentions_in(text) if m.start >= start]
    accepted: list[AgencyMention] = []
    position = start
    for mention in mentions:
        gap = text[position:mention.start]
        gap_agencies = _gap_agencies(gap, position)
        if gap_agencies is None:
            break
        accepted += gap_agencies + [mention]
        position = mention.end
    tail = _tail_agencies(text, position)
    accepted += tail.mentions
    return Run(_unique(accepted), tail.end if tail.mentions else position)


def _gap_agencies(gap: str, offset: int) -> list[AgencyMention] | None:
    """None if the gap holds other words; else the short-named agencies in it ("…, Thuế, …")."""
    found = []
    for element in re.split(r"[,;/&()]|\bvà\b|\bva\b|\s-\s", gap):
        words = re.findall(r"[^\W\d_]+", fold_keep(element))
        if not words or all(w in _CONNECTORS for w in words):
            continue
        short = agency_by_short_name(element) or _newspaper(element)
        if short is None:
            return None
        index = gap.find(element.strip())
        found.append(AgencyMention(short, offset + index, offset + index + len(element.strip()), element.strip()))
    return found


def _newspaper(element: str) -> StandardAgency | None:
    """"Báo Hà Tĩnh", "Báo Cần Thơ": the province's newspaper, named after it."""
    if re.fullmatch(r"\s*(?:Báo|BÁO|Bao|BAO)\s+[A-ZĐÀ-Ỹ][^\s,;]*(?:\s+[A-ZĐÀ-Ỹ][^\s,;]*){0,3}\s*", element):
        return next(agency for agency in AGENCIES if agency.code == "bao-dai")
    return None


def _tail_agencies(text: str, position: int) -> Run:
    found, end = [], position
    for match in re.finditer(r"[^,;]+", text[position:position + 120]):
        element = match.group(0)
        for piece in re.split(r"\bvà\b|\bva\b", element):
            words = re.findall(r"[^\W\d_]+", fold_keep(piece))
            if not words or all(w in _CONNECTORS for w in words):
                continue
            short, size = _leading_short_name(piece)
            if short is None:
                return Run(found, end)
            begin = position + match.start() + element.find(piece.strip())
            found.append(AgencyMention(short, begin, begin + size, piece.strip()[:size]))
            end = begin + size
            if size < len(piece.strip()):
                return Run(found, end)  # "…, Thuế thực hiện rà soát": the list ends with this agency
    return Run(found, end)


def _leading_short_name(piece: str) -> tuple[StandardAgency | None, int]:
    """The short-named agency a list element starts with, and how many characters it takes."""
    piece = piece.strip()
    spans = [m.end() for m in re.finditer(r"[^\W\d_]+", piece)]
    for count in range(min(4, len(spans)), 0, -1):
        agency = agency_by_short_name(piece[:spans[count - 1]]) or (_newspaper(piece[:spans[count - 1]]) if count == len(spans) else None)
        if agency is not None:
            return agency, spans[count - 1]
    return None, 0


def _unique(mentions: list[AgencyMention]) -> list[AgencyMention]:
    seen, out = set(), []
    for mention in mentions:
        if mention.agency.code not in seen:
            seen.add(mention.agency.code)
            out.append(mention)
    return out


def _subject_run(text: str) -> Run:
    """The agencies a paragraph is addressed to when it starts with them ("Sở Y tế: …", "Đề nghị …",
    "Giao BHXH thành phố chủ trì …", "Chủ tịch UBND phường, xã chủ trì …")."""
    folded = fold_keep(text)
    prefix = _PREFIX.match(folded)
    start = prefix.end() if prefix else 0
    mentions = mentions_in(text)
    if not mentions:
        return Run([], 0)
    gap = folded[start:mentions[0].start]
    if gap.strip(" ,;:-") and _gap_agencies(text[start:mentions[0].start], start) is None:
        return Run([], 0)
    run = agency_run(text, start)
    return Run(run.mentions, _task_start(text, run.end)) if run.mentions else run


def _task_start(text: str, end: int) -> int:
    """Where the task begins after the agencies: past "(Cơ quan thường trực …)", "thành phố Hải Phòng",
    and past a colon that closes the list of agencies ("… và các tổ chức thành viên: Tăng cường …")."""
    parenthesis = re.match(r"\s*\([^()]*\)", text[end:])
    if parenthesis:
        end += parenthesis.end()
    colon = text.find(":", end, end + 90)
    if colon >= 0:
        between = text[end:colon]
        words = re.findall(r"[^\W\d_]+", between)
        if all(fold_keep(w) in _CONNECTORS or w[:1].isupper() for w in words):
            return colon + 1
    folded = fold_keep(text[end:])
    place = re.match(r"\s*(?:cua\s+)?(?:chi nhanh\s+)?(?:tinh|thanh pho|tp)\b\.?", folded)
    if not place:
        return end + (len(text[end:]) - len(text[end:].lstrip()))
    end += place.end()
    for match in re.finditer(r"\S+", text[end:]):
        word = match.group(0)
        if not word[:1].isupper() or fold_keep(word).startswith(_TASK_VERB_WORDS):
            return end + match.start()
    return len(text)


def find_assignments(root: Node, *, warnings: list[str]) -> list[DraftAssignment]:
    """Every task the plan gives an agency, in the plan's order."""
    for node in root.walk():
        _address(node)
    _infer_lost_headings(root, warnings)
    found: list[DraftAssignment] = []
    seen: set[tuple] = set()
    for node in root.walk():
        for assignment in _node_assignments(node):
            key = (assignment.agency_code, assignment.role, assignment.section, assignment.text)
            if key not in seen:
                seen.add(key)
                found.append(assignment)
    return found


def _address(node: Node) -> None:
    """Who a heading or item is addressed to: its own words, or (for a heading) its first paragraph."""
    if node.style == "root" or not node.text:
        return
    run = _subject_run(node.text)
    if run.mentions:
        node.addressees = run.mentions
        rest = fold_keep(node.text[run.end:]).strip(" :.-,;")
        rest_words = re.findall(r"[^\W\d_]+", rest)
        node.heading_only = all(w in _CONNECTORS for w in rest_words) or (len(rest_words) <= 3 and ":" not in rest)
    elif node.style in ("roman", "decimal") and node.paras:
        node.intro_addressees = _subject_run(node.paras[0]).mentions


def _inherited(node: Node) -> list[AgencyMention]:
    """Sub-items without an agency of their own belong to the agency of the heading above them."""
    current = node
    while current.parent is not None and current.parent.style != "root":
        parent = current.parent
        if parent.addressees:
            return parent.addressees
        if parent.intro_addressees and current.style in ("letter", "dash", "plus", "star"):
            return parent.intro_addressees
        if parent.style in ("roman", "decimal"):
            return []
        current = parent
    return []


def _node_assignments(node: Node) -> list[DraftAssignment]:
    if node.style == "root":
        return []
    out: list[DraftAssignment] = []
    units = ([] if node.heading_only else [node.text]) + node.paras
    for index, text in enumerate(units):
        if not text:
            continue
        if node.closing:
            out += _directives(text, node, lead_only=True)
            continue
        own = _subject_run(text)
        if own.mentions and not (index == 0 and node.addressees and not node.heading_only):
            addressees, task = own.mentions, text[own.end:]
        elif node.addressees:
            addressees, task = node.addressees, text[_subject_run(text).end:] if index == 0 else text
        else:
            addressees, task = _inherited(node), text
        task = task.strip(" :-–,;")
        for mention in addressees:
            out.append(_assignment(mention, node, text if not task else _task_text(text, task), task, inferred=node.inferred))
        out += _directives(text, node, lead_only=True, exclude={m.agency.code for m in addressees})
    return out


def _task_text(full: str, task: str) -> str:
    return task[:1].upper() + task[1:] if task else full


def _assignment(mention: AgencyMention, node: Node, text: str, task: str, *, inferred: bool = False) -> DraftAssignment:
    folded = fold_keep(task)
    supports, role = _partners(task, folded, mention.agency.code)
    due = _due(folded)
    return DraftAssignment(
        agency=mention.agency.name, agency_code=mention.agency.code, agency_text=mention.text if not inferred else "",
        section=node.section, text=text.strip(), role=role, supports=supports, inferred=inferred, **due,
    )


_ADVERBS = r"(?:(?:chu dong|tich cuc|tiep tuc|thuong xuyen|hang nam|hang thang|hang quy|dinh ky|kip thoi)\W+)*"


def _partners(task: str, folded: str, own: str) -> tuple[list[str], str]:
    """(codes of the agencies to involve, role): "Chủ trì, phối hợp với A, B" → A, B and lead;
    "Phối hợp với A …" → the agency supports A."""
    lead_phrase = re.search(r"chu tri\W+(?:va\s+)?phoi hop(?:\s+chat che)?(?:\s+voi)?\s+", folded)
    if lead_phrase:
        run = agency_run(task, lead_phrase.end())
        return [m.agency.code for m in run.mentions if m.agency.code != own], "lead"
    support_phrase = re.match(r"\W*" + _ADVERBS + r"(?:phoi hop|tham gia)(?:\s+chat che)?(?:\s+voi)?(?:\s+cung)?\s+", folded)
    if support_phrase:
        run = agency_run(task, support_phrase.end())
        partners = [m.agency.code for m in run.mentions if m.agency.code != own]
        if partners:
            return partners, "support"
    return [], "lead"


def _directives(text: str, node: Node, *, lead_only: bool, exclude: set[str] = frozenset()) -> list[DraftAssignment]:
    """"Giao UBND xã …", "UBND tỉnh yêu cầu các sở, UBND huyện …": agencies given work inside a sentence."""
    folded = fold_keep(text)
    out = []
    for match in re.finditer(r"(?:^|[.;:]\s+|\b(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho)\s+)(giao|yeu cau|de nghi)\s+", folded):
        if match.start() == 0 and not node.closing:
            continue  # a paragraph's own first word is its subject, read above
        run = agency_run(text, match.end())
        for mention in run.mentions:
            if mention.agency.code in exclude:
                continue
            sentence_end = re.search(r"[.;](?:\s|$)", text[match.end():])
            sentence = text[match.start():match.end() + sentence_end.end()] if sentence_end else text[match.start():]
            out.append(_assignment(mention, node, sentence.strip(" .;:"), text[run.end:]))
    return out


# --- recurrence and due dates ------------------------------------------------------------------------------

_RECURRENCES = (
    ("monthly", r"\b(?:hang|moi) thang\b|dinh ky thang"),
    ("quarterly", r"\b(?:hang|moi) quy\b|dinh ky quy"),
    ("half_yearly", r"\b0?6 thang\b|sau thang"),
    ("yearly", r"\b(?:hang|moi) nam\b|dinh ky nam|\bcuoi nam\b"),
)
_DEFAULT_OFFSET = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def _due(folded: str) -> dict:
    """How often and by when, from the task's words: "hằng tháng", "định kỳ hàng quý", "trước ngày 15/12
    hằng năm" (yearly, day 15, month 12), "chậm nhất ngày 20 tháng 10 năm 2025" (once, that day)."""
    recurrence = next((code for code, pattern in _RECURRENCES if re.search(pattern, folded)), None)
    yearly = re.search(r"(?:truoc|cham nhat(?: den)?|den)\s+ngay\s+(\d{1,2})(?:\s+thang\s+|/)(\d{1,2})(?!\s*(?:nam\s+)?/?\d{4})\s*(?:hang|moi) nam", folded)
    if yearly:
        day, month = int(yearly.group(1)), int(yearly.group(2))
        return {"recurrence": "yearly", "due_day": day, "offset_months": month - 1, "due_text": yearly.group(0)}
    dates = _dates_in(folded)
    if dates and recurrence in (None, "yearly") and not re.search(r"\b(?:hang|moi) nam\b", folded):
        return {"recurrence": "once", "due_on": dates[0][1], "due_text": None}
    month = re.search(r"trong thang (\d{1,2})/(\d{4})", folded)
    if month and recurrence is None:
        first = date(int(month.group(2)), int(month.group(1)), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return {"recurrence": "once", "due_on": last, "due_text": month.group(0)}
    day = re.search(r"(?:truoc|cham nhat(?: den)?)\s+ngay\s+(\d{1,2})\b(?!\s*(?:/|thang))", folded)
    if recurrence and day:
        offset = 1 if "thang sau" in folded else 3 if "quy sau" in folded else _DEFAULT_OFFSET[recurrence]
        return {"recurrence": recurrence, "due_day": int(day.group(1)), "offset_months": offset, "due_text": day.group(0)}
    return {"recurrence": recurrence}


# --- lost headings ----------------------------------------------------------------------------------------


def _infer_lost_headings(root: Node, warnings: list[str]) -> None:
    """A run of lost headings between sections addressed to agencies (and before the plan's end) is a run
    of agency sections: guess each one's agency from what its tasks are about, and say so."""
    for parent in root.walk():
        siblings = parent.children
        index = 0
        while index < len(siblings):
            if not (siblings[index].virtual and not siblings[index].addressees and siblings[index].style == "decimal"):
                index += 1
                continue
            end = index
            while end < len(siblings) and siblings[end].virtual and siblings[end].style == "decimal" and not siblings[end].addressees:
                end += 1
            if _addressed(siblings[index - 1] if index else None) and _next_heading_addressed(root, siblings[end - 1]):
                for node in siblings[index:end]:
                    _guess(node, warnings)
            index = end


def _addressed(node: Node | None) -> bool:
    return node is not None and bool(node.addressees or node.intro_addressees)


def _next_heading_addressed(root: Node, last: Node) -> bool:
    """Is the next real heading after `last` (at its level or above) addressed to an agency, or is `last`
    the plan's final section?"""
    nodes = list(root.walk())
    after = nodes[nodes.index(last) + 1:]
    for node in after:
        if node.closing:
            return True
        if node.style in ("roman", "decimal") and not _descends(node, last):
            if node.virtual and not node.text:
                continue
            return _addressed(node) or bool(_subject_run(node.text).mentions)
    return True


def _descends(node: Node, ancestor: Node) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _guess(node: Node, warnings: list[str]) -> None:
    text = " ".join([node.text, *node.paras] + [" ".join([c.text, *c.paras]) for c in node.walk() if c is not node])
    agency = guess_agency(text)
    if agency is None:
        warnings.append(f"Mục {node.section}: mất tiêu đề, không đoán được cơ quan; cần điền tay.")
        return
    node.addressees = [AgencyMention(agency, 0, 0, "")]
    node.heading_only = not node.text
    node.inferred = True
    for child in node.walk():
        child.inferred = True
    warnings.append(f"Mục {node.section}: mất tiêu đề; đoán là “{agency.name}” theo nội dung, cần kiểm tra.")


def guess_agency(text: str) -> StandardAgency | None:
    """The agency whose usual tasks a section's text is most about; None when no agency clearly leads.
    Agencies the text names as partners ("phối hợp với Sở Tài chính") are not the section's own."""
    folded = fold_keep(text)
    partners = set()
    for match in re.finditer(r"phoi hop(?:\s+chat che)?(?:\s+voi)?\s+", folded):
        partners |= {m.agency.code for m in agency_run(text, match.end()).mentions}
    scores = []
    for agency in AGENCIES:
        hits = sum(1 for topic in agency.topics if re.search(r"\b" + re.escape(topic) + r"\b", folded))
        score = 2 * hits - (3 if agency.code in partners else 0)
        scores.append((score, agency.code, agency))
    scores.sort(key=lambda row: (-row[0], row[1]))
    best, second = scores[0], scores[1]
    if best[0] >= 2 and best[0] >= second[0] + 2:
        return best[2]
    return None
