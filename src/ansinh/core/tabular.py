"""Read the rows of an uploaded CSV or XLSX file, with the line numbers an official sees in Excel.

Uploads are untrusted: every file that cannot be read as a list ends in one `ValidationFailed` that says
why (encoding, damaged file, too many lines, a cell too long, a ZIP that would inflate too far), never in
another exception, and before anything is written.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from ansinh.core.errors import ValidationFailed
from ansinh.core.formatting import format_int
from ansinh.core.text import fold_words

#: Most lines one uploaded file may have (title and header rows included): one Excel sheet's worth (Excel
#: stops at 1,048,576). The largest list a province hands in (a ledger, a tax registry) fits; a longer file is
#: not a list an official can open and check, and would hold the server for minutes. Every import reads
#: through this module, so this one number bounds them all.
MAX_LINES = 1_000_000
#: Longest text of one cell: Excel's own limit. Longer is a damaged or hostile file, not a name or a note.
MAX_CELL_CHARS = 32_767
#: An XLSX or DOCX is a ZIP. A "zip bomb" is a few kilobytes that inflate to gigabytes; these bounds are
#: checked on the sizes the ZIP declares before anything is inflated (Python's zipfile never inflates a
#: member beyond its declared size). A 100 MB sheet is some 300,000 rows: larger lists come as CSV.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000


@dataclass(frozen=True)
class Row:
    line: int  # 1 is the header, so the first data row is line 2, as in a spreadsheet
    values: dict[str, str]


def read_rows(*, content: bytes, filename: str, required: tuple[str, ...]) -> list[Row]:
    """All data rows as text, keyed by lower-case header; blank lines are skipped.

    Raises ValidationFailed when the file cannot be read or a required column is missing.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(content, filename)
    elif suffix in (".csv", ".txt", ""):
        lines = _csv_lines(content, filename)
    else:
        raise ValidationFailed(f"Không đọc được tệp “{filename}”: chỉ nhận tệp .csv hoặc .xlsx.")
    header = next(lines, None)
    if header is None:
        raise ValidationFailed(f"Tệp “{filename}” không có dữ liệu.")
    names = [str(name or "").strip().lower() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise ValidationFailed(f"Tệp “{filename}” thiếu cột: {', '.join(missing)} (dòng 1 phải là tên cột).")
    rows = []
    for line, cells in enumerate(lines, start=2):
        texts = [_text(cell) for cell in cells]
        if not any(texts):
            continue
        _check_lengths(texts, line, names, filename)
        rows.append(Row(line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(names) if name}))
    return rows


@dataclass(frozen=True)
class ImportColumn:
    """A field of an import and the headers officials write for it (any case, with or without accents).

    Not the same thing as `core.spreadsheets.SheetColumn`, a column we write (header, width, format):
    this one is a column we look for in someone else's file."""

    field: str
    headers: tuple[str, ...]
    required: bool = True


#: Lists handed in by other bodies start with title rows (agency, title, date, merged cells); the header
#: row is looked for among this many first rows.
HEADER_SEARCH_ROWS = 20
_UNIT_SUFFIX = re.compile(r"\(.*?\)")


def read_table(
    *, content: bytes, filename: str, columns: Sequence[ImportColumn], mapping: Mapping[str, str] | None = None
) -> list[Row]:
    """Data rows keyed by field, from a file whose header row is found by the names officials use.

    The header row is the first of the top rows that names every required field; `mapping` (header →
    field, e.g. {"Tên NNT": "name"}) adds names this file uses. Dates typed as Excel dates come back as
    dd/mm/yyyy, like dates typed as text. Line numbers are the spreadsheet's own.
    """
    lines = enumerate(_lines(content, filename), start=1)
    headers = _header_names(columns, mapping or {})
    top = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
    if not top:
        raise ValidationFailed(f"Tệp “{filename}” không có dữ liệu.")
    found = _find_header(top, headers, columns, filename)
    header_line, positions = found
    names = [str(cell or "") for cell in top[header_line - 1][1]]
    rows = []
    for line, cells in itertools.chain((item for item in top if item[0] > header_line), lines):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        _check_lengths(texts, line, names, filename)
        rows.append(Row(line, {field: (texts[i] if i < len(texts) else "") for field, i in positions.items()}))
    return rows


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """`["Tên NNT=name", "Số LĐ=workers"]` → {"Tên NNT": "name", "Số LĐ": "workers"} (the CLI's --map)."""
    mapping = {}
    for pair in pairs:
        header, sep, field = pair.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise ValidationFailed(f"Ánh xạ cột “{pair}” không hợp lệ: viết “Tên cột trong tệp=tên trường”.")
        mapping[header.strip()] = field.strip()
    return mapping


def _header_key(text: object) -> str:
    """"Số lao động (người)" and "SO LAO DONG" both → "so lao dong"."""
    return fold_words(_UNIT_SUFFIX.sub(" ", str(text or "")))


def _header_names(columns: Sequence[ImportColumn], mapping: Mapping[str, str]) -> dict[str, str]:
    known = {column.field for column in columns}
    names = {_header_key(column.field): column.field for column in columns}
    for column in columns:
        names.update({_header_key(header): column.field for header in column.headers})
    for header, field in mapping.items():
        if field not in known:
            raise ValidationFailed(
                f"Ánh xạ “{header}={field}”: không có trường “{field}”; các trường: {', '.join(sorted(known))}."
            )
        names[_header_key(header)] = field
    return names


def _find_header(top, headers: dict[str, str], columns: Sequence[ImportColumn], filename: str) -> tuple[int, dict[str, int]]:
    """The header line and the position of each field in it; a message naming what is missing otherwise."""
    required = [column for column in columns if column.required]
    best: tuple[int, int, dict[str, int]] | None = None
    for line, cells in top:
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            field = headers.get(_header_key(cell))
            if field and field not in positions:
                positions[field] = index
        if all(column.field in positions for column in required):
            return line, positions
        if positions and (best is None or len(positions) > len(best[2])):
            best = (line, len(positions), positions)
    if best is None:
        raise ValidationFailed(
            f"Tệp “{filename}”: không tìm thấy dòng tên cột trong {HEADER_SEARCH_ROWS} dòng đầu "
            f"(cần các cột: {', '.join(column.headers[0] for column in required)})."
        )
    missing = [column.headers[0] for column in required if column.field not in best[2]]
    raise ValidationFailed(
        f"Tệp “{filename}”, dòng tên cột {best[0]}: thiếu cột {', '.join(missing)}. "
        "Đổi tên cột trong tệp hoặc chỉ rõ bằng ánh xạ (ví dụ --map \"Tên NNT=name\")."
    )


def zip_guard(*, content: bytes, filename: str) -> None:
    """Refuse a ZIP container (XLSX, DOCX) with more members or more inflated bytes than any real one has,
    from its directory alone, before a reader inflates anything. Content that is not a ZIP passes: the
    reader that expects one says the file is damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > MAX_ZIP_MEMBERS:
        raise ValidationFailed(
            f"Tệp “{filename}” chứa {format_int(len(members))} phần nén, quá giới hạn {format_int(MAX_ZIP_MEMBERS)}: "
            "không phải tệp Excel/Word bình thường, không đọc."
        )
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise ValidationFailed(
            f"Tệp “{filename}” khi giải nén lớn {format_int(inflated // 2**20)} MB, quá giới hạn "
            f"{format_int(MAX_UNCOMPRESSED_BYTES // 2**20)} MB: không đọc. Hãy chia tệp, hoặc gửi danh sách dạng .csv."
        )


def _check_lengths(texts: list[str], line: int, names: Sequence[str], filename: str) -> None:
    for index, text in enumerate(texts):
        if len(text) > MAX_CELL_CHARS:
            column = names[index] if index < len(names) and names[index] else f"thứ {index + 1}"
            raise ValidationFailed(
                f"Tệp “{filename}”, dòng {line}, cột {column}: ô dài {format_int(len(text))} ký tự, quá giới hạn "
                f"{format_int(MAX_CELL_CHARS)} ký tự của một ô Excel. Tệp không được nhập."
            )


def _too_many_lines(filename: str, count: int | None = None) -> ValidationFailed:
    counted = format_int(count) if count else f"hơn {format_int(MAX_LINES)}"
    return ValidationFailed(
        f"Tệp “{filename}” có {counted} dòng, quá giới hạn {format_int(MAX_LINES)} dòng cho một lần nhập: "
        "hãy chia thành nhiều tệp. Không có dữ liệu nào được lưu."
    )


def _lines(content: bytes, filename: str) -> Iterator[list]:
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_lines(content, filename)
    if suffix in (".csv", ".txt", ""):
        return _csv_lines(content, filename)
    raise ValidationFailed(f"Không đọc được tệp “{filename}”: chỉ nhận tệp .csv hoặc .xlsx.")


def _cell_text(cell: object) -> str:
    """`_text`, with a date cell written dd/mm/yyyy (as the same date typed as text would be)."""
    if isinstance(cell, (datetime, date)):
        return cell.strftime("%d/%m/%Y")
    return _text(cell)


def _text(cell: object) -> str:
    """Cell as text; Excel gives 3095954.0 for a whole number typed in a cell, which is the integer."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_lines(content: bytes, filename: str) -> Iterator[list[str]]:
    # Counted on the bytes, before anything is decoded or parsed, so an oversized file is refused at once.
    lines = content.count(b"\n") + (not content.endswith(b"\n"))
    if lines > MAX_LINES:
        raise _too_many_lines(filename, lines)
    if b"\x00" in content[:4096]:  # UTF-8 text never holds NUL; UTF-16 and binary files do
        raise ValidationFailed(
            f"Tệp “{filename}” không phải văn bản CSV UTF-8 (có ký tự NUL: tệp UTF-16 hoặc tệp nhị phân). "
            "Trong Excel, hãy lưu thành “CSV UTF-8”."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành “CSV UTF-8”); tệp này dùng bảng mã khác."
        ) from None
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        yield from reader
    except csv.Error as error:  # a cell longer than the csv module's limit, an unclosed quote …
        where = f"Tệp “{filename}”, dòng {reader.line_num}"
        if "field larger than field limit" in str(error):
            raise ValidationFailed(
                f"{where}: có ô dài hơn {format_int(csv.field_size_limit())} ký tự, quá giới hạn "
                f"{format_int(MAX_CELL_CHARS)} ký tự của một ô Excel. Tệp không được nhập."
            ) from None
        raise ValidationFailed(f"{where}: tệp CSV hỏng, không đọc được ({error}).") from None


def _xlsx_lines(content: bytes, filename: str) -> Iterator[list[object]]:
    zip_guard(content=content, filename=filename)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; the user needs one answer
        raise ValidationFailed("Không mở được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.") from None
    try:
        if not workbook.worksheets:
            raise ValidationFailed("Tệp Excel không có trang tính (sheet) dữ liệu nào: chỉ có biểu đồ hoặc trống.")
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for number in itertools.count(1):
            try:
                row = next(rows, None)
            except Exception:  # a damaged sheet fails while it is read, not when it is opened
                raise ValidationFailed(f"Tệp Excel hỏng ở dòng {number}: không đọc được trang tính.") from None
            if row is None:
                return
            if number > MAX_LINES:
                raise _too_many_lines(filename)
            yield list(row)
    finally:
        workbook.close()
