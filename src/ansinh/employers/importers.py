"""How each list handed in becomes a dataset: the headers officials write, how each cell is read and checked.

One `Importer` per dataset, all in `IMPORTERS`, so the CLI, the API and the web page offer the same lists
with the same rules. Parsing only: `services.employers_import` decides what is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from stdnum.vn import mst

from ansinh.core.errors import RowError
from ansinh.core.numbers import FILE_DAY_PATTERNS, NumberTooLong, parse_day, parse_int
from ansinh.core.tabular import ImportColumn, Row
from ansinh.core.text import fold, fold_words


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong, in Vietnamese."""


# ---------------------------------------------------------------------------------------------- cells


def tax_code(text: str, *, check: bool = True) -> str:
    """"0301 234 567", "0301234567001", "'0301234567-001" → "0301234567" / "0301234567-001".

    Excel drops the leading zero of a tax code typed as a number (Hồ Chí Minh City's start with 03), so a
    9-digit code gets it back. With `check`, the check digit must be right (stdnum.vn.mst).
    """
    digits = re.sub(r"[\s.'’]", "", text)
    if re.fullmatch(r"\d{9}", digits):
        digits = "0" + digits
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", digits)
    if not match:
        raise CellError(f"mã số thuế “{text}” phải có 10 chữ số, chi nhánh thêm “-” và 3 chữ số")
    code = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
    if check and not mst.is_valid(code):
        raise CellError(f"mã số thuế “{text}” sai chữ số kiểm tra")
    return code


def tax_code_valid(code: str | None) -> bool:
    return bool(code) and mst.is_valid(code)


def day(text: str) -> date:
    """dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, and yyyy-mm-dd as some systems export)."""
    try:
        return parse_day(text, patterns=FILE_DAY_PATTERNS)
    except ValueError:
        raise CellError(f"ngày “{text}” không đúng dạng dd/mm/yyyy") from None


def month(text: str) -> date:
    """YYYY-MM (the ledger's documented shape), also MM/YYYY."""
    value = text.strip()
    for pattern in ("%Y-%m", "%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date().replace(day=1)
        except ValueError:
            continue
    raise CellError(f"kỳ “{text}” không đúng dạng YYYY-MM")


#: Longest whole number a list may hold: a month's contributions of the largest employer are far below
#: 10^15 đồng, and every number must fit the datasets' 64-bit integer columns.
MAX_DIGITS = 15


def whole(text: str, *, what: str = "số") -> int:
    """"1.234.567", "1234567", "1 234 567" → 1234567; negative numbers and fractions are refused."""
    value = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d+(,0+|\.0+)", value) and not re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        value = re.split(r"[,.]", value)[0]  # "12,0": a number cell Excel wrote with a fraction
    not_whole = CellError(f"{what} “{text}” phải là số nguyên không âm")
    if value.startswith("-"):
        raise not_whole
    try:
        return parse_int(value, max_digits=MAX_DIGITS)
    except NumberTooLong:
        raise CellError(f"{what} “{text}” lớn quá (quá {MAX_DIGITS} chữ số)") from None
    except ValueError:
        raise not_whole from None


def optional_whole(text: str, *, what: str = "số") -> int:
    return whole(text, what=what) if text.strip() else 0


def _choice(words: dict[str, str], what: str) -> Callable[[str], str]:
    """A reader for a column of Vietnamese labels ("Đang hoạt động") → codes ("active"); codes pass too."""
    by_fold = {fold(label): code for label, code in words.items()}
    by_fold.update({code: code for code in words.values()})
    shown = list({code: label for label, code in reversed(words.items())}.values())[::-1]  # first label per code

    def read(text: str) -> str:
        folded = fold(text)
        if folded in by_fold:
            return by_fold[folded]
        for label, code in sorted(by_fold.items(), key=lambda item: -len(item[0])):
            if label and label in folded:
                return code
        raise CellError(f"{what} “{text}” không rõ; dùng: {', '.join(shown)}")

    return read


tax_status = _choice({
    "Đang hoạt động": "active", "NNT đang hoạt động": "active", "Hoạt động": "active",
    "Tạm ngừng kinh doanh": "suspended", "Tạm ngừng hoạt động": "suspended", "Tạm ngừng": "suspended",
    "Ngừng hoạt động": "dissolved", "Đã giải thể": "dissolved", "Giải thể": "dissolved", "Đã đóng mã số thuế": "dissolved",
    "Phá sản": "bankrupt",
}, "tình trạng")
unit_status = _choice({
    "Đang hoạt động": "active", "Đang tham gia": "active", "Hoạt động": "active",
    "Tạm dừng": "suspended", "Tạm dừng đóng": "suspended", "Tạm ngừng": "suspended",
    "Đã đóng": "closed", "Chấm dứt": "closed", "Đóng mã đơn vị": "closed",
}, "trạng thái")
change_kind = _choice({
    "Thành lập mới": "registered", "Đăng ký mới": "registered", "Thành lập": "registered",
    "Tạm ngừng kinh doanh": "suspended", "Tạm ngừng": "suspended",
    "Giải thể": "dissolved", "Phá sản": "bankrupt",
    "Hoạt động trở lại": "resumed", "Tiếp tục kinh doanh": "resumed",
}, "nội dung thay đổi")


class Communes:
    """The province's current communes: read a commune code, a commune name, or find one in an address."""

    def __init__(self, communes: list[tuple[str, str]]):
        self.codes = {code for code, _ in communes}
        self.by_name = {fold_words(name): code for code, name in communes}
        names = sorted(self.by_name, key=len, reverse=True)
        self._in_text = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None

    def code(self, text: str) -> str:
        value = text.strip()
        if re.fullmatch(r"\d{1,5}", value):
            value = value.zfill(5)
            if value in self.codes:
                return value
            raise CellError(f"mã xã “{text}” không phải xã, phường hiện hành của tỉnh")
        found = self.by_name.get(fold_words(value))
        if found is None:
            raise CellError(f"xã, phường “{text}” không có trong danh mục hiện hành của tỉnh")
        return found

    def in_address(self, address: str) -> str | None:
        """The commune an address names ("…, Phường Ninh Kiều, TP. Cần Thơ"); the last one named wins."""
        if self._in_text is None:
            return None
        found = self._in_text.findall(fold_words(address))
        return self.by_name[found[-1]] if found else None


# --------------------------------------------------------------------------------------------- importers


class Cells:
    """One row's cells being read: each bad cell is noted (field, message) and reading goes on, so the
    answer lists every problem of the row at once, not only the first."""

    def __init__(self, values: dict[str, str], communes: Communes):
        self.values, self.communes = values, communes
        self.problems: list[tuple[str, str]] = []

    def text(self, field: str) -> str:
        return " ".join(self.values.get(field, "").split())

    def read(self, field: str, read: Callable[[str], object], default: object = None):
        """`read` the cell; an empty optional cell gives `default` (pass `default=...` only for optional)."""
        value = self.values.get(field, "")
        if default is not None and not value.strip():
            return default
        try:
            return read(value)
        except CellError as error:
            self.problems.append((field, str(error)))
            return None

    def required(self, field: str, what: str) -> str:
        text = self.text(field)
        if not text:
            self.problems.append((field, f"thiếu {what}"))
        return text

    def problem(self, field: str, message: str) -> None:
        self.problems.append((field, message))

    def commune(self) -> str | None:
        """The commune column if the list has one, else the commune named in the address (or none)."""
        if self.text("commune"):
            return self.read("commune", self.communes.code)
        return self.communes.in_address(self.values.get("address", ""))


@dataclass(frozen=True)
class Importer:
    """One list: its columns, how a row becomes a record, its key, and whether a file replaces or adds."""

    dataset: str
    label: str
    columns: tuple[ImportColumn, ...]
    parse: Callable[[Cells], dict]
    key: tuple[str, ...]
    replaces: bool  # True: the file is the whole list (a snapshot); False: rows are added or updated by key


def _workers(text: str) -> int:
    return optional_whole(text, what="số lao động")


def _unit(cells: Cells) -> dict:
    code = cells.text("unit_code").upper()
    if not re.fullmatch(r"[A-Z0-9]{3,20}", code):
        cells.problem("unit_code", f"mã đơn vị “{code}” không hợp lệ (3–20 chữ và số)")
    commune = cells.commune()
    if commune is None and not cells.text("commune"):
        cells.problem("commune", "không xác định được xã, phường: thêm cột “Mã xã” hoặc ghi xã, phường trong địa chỉ")
    raw_tax = cells.text("tax_code")
    return {
        "unit_code": code,
        # BHXH's own list keeps a wrong tax code as it is: finding such units is the reconciliation's job.
        "tax_code": _lenient_tax_code(raw_tax) if raw_tax else None,
        "name": cells.required("name", "tên đơn vị"),
        "address": cells.text("address"),
        "commune_code": commune,
        "sector": cells.text("sector"),
        "ownership": cells.text("ownership"),
        "workers": cells.read("workers", _workers),
        "status": cells.read("status", unit_status, default="active"),
    }


def _lenient_tax_code(text: str) -> str:
    try:
        return tax_code(text, check=False)
    except CellError:
        return re.sub(r"\s", "", text)


def _outside(cells: Cells, *, code_required: bool = True) -> dict:
    """Fields every outside list shares: tax code (checked; zone and union lists may lack it), name, commune."""
    return {
        "tax_code": cells.read("tax_code", tax_code) if code_required or cells.text("tax_code") else None,
        "name": cells.required("name", "tên doanh nghiệp"),
        "commune_code": cells.commune(),
    }


def _tax(cells: Cells) -> dict:
    return {
        **_outside(cells), "address": cells.text("address"),
        "status": cells.read("status", tax_status, default="active"), "workers": cells.read("workers", _workers),
    }


def _change(cells: Cells) -> dict:
    return {**_outside(cells), "change": cells.read("change", change_kind), "changed_on": cells.read("changed_on", day)}


def _zone(cells: Cells) -> dict:
    return {**_outside(cells, code_required=False), "zone": cells.text("zone"), "workers": cells.read("workers", _workers)}


def _union(cells: Cells) -> dict:
    return {**_outside(cells, code_required=False), "members": cells.read("members", lambda t: whole(t, what="số đoàn viên"))}


def _ledger(cells: Cells) -> dict:
    code = cells.required("unit_code", "mã đơn vị").upper()
    due = cells.read("amount_due", lambda t: optional_whole(t, what="số phải đóng"))
    paid = cells.read("amount_paid", lambda t: optional_whole(t, what="số đã đóng"))
    paid_on = cells.read("paid_on", day, default=False) or None
    period = cells.read("period", month, default=False) or None
    if due is not None and paid is not None:
        if (due > 0) == (paid > 0):
            cells.problem("amount_due", "mỗi dòng là một khoản phải đóng (amount_due) hoặc một lần nộp (amount_paid), không phải cả hai hay không có gì")
        elif due and period is None:
            cells.problem("period", "dòng phải đóng cần kỳ (YYYY-MM)")
        elif paid and paid_on is None:
            cells.problem("paid_on", "dòng nộp tiền cần ngày nộp (dd/mm/yyyy)")
        elif due and paid_on is not None:
            cells.problem("paid_on", "dòng phải đóng không ghi ngày nộp")
    return {"unit_code": code, "period": period, "amount_due": due, "amount_paid": paid, "paid_on": paid_on}


TAX_CODE = ImportColumn("tax_code", ("Mã số thuế", "MST", "Mã số DN", "Mã số doanh nghiệp", "Mã số thuế đơn vị", "Mã số thuế DN"))
OPTIONAL_TAX_CODE = ImportColumn(TAX_CODE.field, TAX_CODE.headers, required=False)
NAME = ImportColumn("name", ("Tên doanh nghiệp", "Tên người nộp thuế", "Tên NNT", "Tên đơn vị", "Tên công ty", "Tên DN", "Tên"))
ADDRESS = ImportColumn("address", ("Địa chỉ", "Địa chỉ trụ sở", "Địa chỉ trụ sở chính", "Địa chỉ kinh doanh"), required=False)
COMMUNE = ImportColumn("commune", ("Mã xã", "Mã phường", "Xã/phường", "Xã, phường", "Mã ĐVHC"), required=False)
WORKERS = ImportColumn("workers", ("Số lao động", "Số LĐ", "Tổng số lao động", "Số lao động đăng ký", "Lao động"), required=False)

IMPORTERS: dict[str, Importer] = {
    importer.dataset: importer
    for importer in (
        Importer("units", "Danh sách đơn vị tham gia BHXH", (
            ImportColumn("unit_code", ("Mã đơn vị", "Mã ĐV", "Mã đơn vị BHXH")), OPTIONAL_TAX_CODE,
            NAME, ADDRESS, COMMUNE, WORKERS,
            ImportColumn("sector", ("Ngành nghề", "Ngành kinh tế", "Ngành nghề kinh doanh"), required=False),
            ImportColumn("ownership", ("Loại hình", "Loại hình doanh nghiệp", "Loại hình đơn vị"), required=False),
            ImportColumn("status", ("Trạng thái", "Tình trạng"), required=False),
        ), _unit, ("unit_code",), replaces=True),
        Importer("tax", "Danh sách người nộp thuế (cơ quan Thuế)", (
            TAX_CODE, NAME, ADDRESS, COMMUNE, WORKERS,
            ImportColumn("status", ("Tình trạng hoạt động", "Trạng thái", "Tình trạng", "Trạng thái NNT"), required=False),
        ), _tax, ("tax_code",), replaces=True),
        Importer("changes", "Biến động đăng ký doanh nghiệp (Sở Tài chính)", (
            TAX_CODE, NAME, COMMUNE, ADDRESS,
            ImportColumn("change", ("Nội dung thay đổi", "Loại thay đổi", "Nội dung", "Tình trạng")),
            ImportColumn("changed_on", ("Ngày hiệu lực", "Ngày thay đổi", "Ngày", "Ngày quyết định")),
        ), _change, ("tax_code", "change", "changed_on"), replaces=False),
        Importer("zones", "Doanh nghiệp trong khu kinh tế, khu công nghiệp", (
            OPTIONAL_TAX_CODE, NAME, COMMUNE, ADDRESS, WORKERS,
            ImportColumn("zone", ("Khu công nghiệp", "Khu kinh tế", "KCN", "Khu"), required=False),
        ), _zone, ("tax_code", "name"), replaces=True),
        Importer("unions", "Số đoàn viên công đoàn theo doanh nghiệp", (
            OPTIONAL_TAX_CODE, NAME, COMMUNE, ADDRESS,
            ImportColumn("members", ("Số đoàn viên", "Đoàn viên", "Số đoàn viên công đoàn")),
        ), _union, ("tax_code", "name"), replaces=True),
        Importer("ledger", "Sổ thu: số phải đóng và số đã nộp theo đơn vị, tháng", (
            ImportColumn("unit_code", ("Mã đơn vị", "Mã ĐV")),
            ImportColumn("period", ("Kỳ", "Tháng", "Kỳ đóng"), required=False),
            ImportColumn("amount_due", ("Số phải đóng", "Phải đóng", "Số phải nộp"), required=False),
            ImportColumn("amount_paid", ("Số đã đóng", "Số đã nộp", "Đã nộp"), required=False),
            ImportColumn("paid_on", ("Ngày nộp", "Ngày đóng"), required=False),
        ), _ledger, ("unit_code", "period", "paid_on", "amount_paid", "occurrence"), replaces=False),
    )
}


def parse_rows(importer: Importer, rows: list[Row], communes: Communes) -> tuple[list[dict], list[RowError]]:
    """Every row read, or every bad row's error (line, field, message); duplicates of a key are errors."""
    records, errors, seen = [], [], {}
    occurrences: dict[tuple, int] = {}
    for row in rows:
        cells = Cells(row.values, communes)
        record = importer.parse(cells)
        if cells.problems:
            errors.extend(RowError(row.line, _header_of(importer, field), message) for field, message in cells.problems)
            continue
        if importer.dataset == "ledger":
            # Two equal payments on one day are two payments; two due rows for one month are a mistake.
            base = (record["unit_code"], record["paid_on"], record["amount_paid"])
            record["occurrence"] = occurrences[base] = occurrences.get(base, 0) + 1 if record["amount_paid"] else 0
        key = tuple(record.get(k) for k in importer.key)
        if key in seen:
            errors.append(RowError(row.line, _header_of(importer, importer.key[0]), f"trùng với dòng {seen[key]}"))
            continue
        seen[key] = row.line
        records.append(record)
    return records, errors


def _header_of(importer: Importer, field: str) -> str:
    """The header an official reads for a field ("Mã số thuế" rather than tax_code)."""
    for column in importer.columns:
        if column.field == field:
            return column.headers[0]
    return field
