"""The header of a plan: number, date and place of issue, issuer, province, title and the years it covers.

"Số: 53/KH-UBND", "Cần Thơ, ngày 27 tháng 8 năm 2025", "ỦY BAN NHÂN DÂN TỈNH …", the words under
"KẾ HOẠCH"; or, for a plan copied from a legal web site, that page's table of properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ansinh.core.text import fold_keep
from ansinh.plans.lines import safe_date
from ansinh.plans.outline import LABEL


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
            day = safe_date(year, match.group(3), match.group(2))
            return day, place, year
    for line in head:
        match = re.search(r"ngay ban hanh\W+(\d{1,2})/(\d{1,2})/(\d{4})", fold_keep(line))
        if match:
            return safe_date(int(match.group(3)), match.group(2), match.group(1)), None, int(match.group(3))
    return None, None, None


def _title(lines: list[str]) -> str | None:
    """The words under "KẾ HOẠCH", or after "Kế hoạch 53/KH-UBND" on a copied page's first line."""
    for index, line in enumerate(lines[:60]):
        folded = fold_keep(line).strip(" .:")
        if folded == "ke hoach":
            parts = []
            for following in lines[index + 1:index + 4]:
                if re.match(r"(?:thuc hien|can cu|de |nham|trien khai thuc hien (?:nghi|chi|quyet))", fold_keep(following)) and parts:
                    break
                if LABEL.match(following) or len(following) > 400:
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
