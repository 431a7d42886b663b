"""Bad input, tried for real: every importer and the plan reader fed random and hostile files.

For every input the answer is either a clean import or one of our domain errors with a message that names
the problem (the line and the column where there is one) — never another exception — and a refused file
changes nothing: no row, no audit event, no file in the data directory.

The hypothesis budgets are small and derandomized (the same examples on every run), so the module runs
in CI in well under a minute; the hand-made hostile files are the cases hypothesis would take long to
reach: encodings, BOMs, empty sheets, chart sheets, formulas, 1 MB cells, a million lines, zip bombs.
"""

from __future__ import annotations

import io
import os
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ansinh.core.errors import AnSinhError, ImportRejected
from ansinh.core.spreadsheets import write_row
from ansinh.core.tabular import MAX_CELL_CHARS, MAX_LINES, MAX_UNCOMPRESSED_BYTES, ImportColumn, read_rows, read_table

pytestmark = pytest.mark.django_db

#: Small, fixed budgets: the same examples on every run (CI is deterministic), the module in seconds.
#: ANSINH_FUZZ_EXAMPLES=500 digs deeper on a developer's machine.
FUZZ = settings(
    max_examples=int(os.environ.get("ANSINH_FUZZ_EXAMPLES", "40")), derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
DATASETS = ("units", "tax", "changes", "zones", "unions", "ledger")


# --------------------------------------------------------------------------------------------- doors


def _actuals(content: bytes, filename: str, actor) -> None:
    from ansinh.targets.services import actuals_import

    actuals_import(actor=actor, content=content, filename=filename)


def _employers(dataset: str) -> Callable:
    def call(content: bytes, filename: str, actor) -> None:
        from ansinh.employers.services import employers_import

        employers_import(actor=actor, dataset=dataset, content=content, filename=filename)

    call.__name__ = f"employers_{dataset}"
    return call


def _mapping(content: bytes, filename: str, actor) -> None:
    from ansinh.units.services import units_load_mapping

    units_load_mapping(actor=actor, content=content, filename=filename)


def _table(content: bytes, filename: str, actor) -> None:
    read_table(content=content, filename=filename, columns=[ImportColumn("name", ("Tên",)), ImportColumn("code", ("Mã",), required=False)])


IMPORTS = {"actuals": _actuals, **{f"employers.{d}": _employers(d) for d in DATASETS}, "mapping": _mapping, "table": _table}


def _state(data_dir: Path) -> tuple:
    """What an import may change: the steering tables, the audit log, the files of the data directory."""
    from ansinh.audit.models import AuditEvent
    from ansinh.units.models import OrgUnit, UnitSuccession
    from ansinh.employers.models import EmployerImport
    from ansinh.targets.models import Actual, ActualRevision, ImportBatch

    files = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in data_dir.rglob("*") if p.is_file())
    counts = [m.objects.count() for m in (Actual, ActualRevision, ImportBatch, EmployerImport, OrgUnit, UnitSuccession, AuditEvent)]
    return tuple(counts), tuple(files)


def _refused_or_clean(door: Callable, content: bytes, filename: str, data_dir: Path, actor=None) -> AnSinhError | None:
    """Run one import: a clean import returns None; a refusal returns the domain error after checking that
    it says what is wrong and that nothing changed. Any other exception fails the test as it is.

    Without `actor` the import runs as the operator's `system` account (as `ansinh … import` without `--as`)."""
    from ansinh.accounts.models import User

    actor = actor or User.objects.system()
    before = _state(data_dir)
    try:
        door(content, filename, actor)
    except AnSinhError as error:
        assert error.message.strip()
        assert 400 <= error.status_code < 500
        if isinstance(error, ImportRejected):
            assert error.errors, "a rejected file lists its bad rows"
            for row in error.errors:
                assert row.line >= 1 and row.field and row.message, row
        assert _state(data_dir) == before, f"{door.__name__} refused {filename} but changed something"
        return error
    return None


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _xlsx(*rows: list, sheet_title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if sheet_title:
        sheet.title = sheet_title
    for number, row in enumerate(rows, start=1):
        write_row(sheet, row=number, values=row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


# ------------------------------------------------------------------------------------------ hypothesis

_cell = st.one_of(
    st.sampled_from([
        "31135", "31120", "92", "2025-01", "2025-13", "01/2025", "bhyt.participants", "population", "1", "0", "-1",
        "1.234.567", "1 234", "²", "١٢٣", "9" * 30, "NaN", "Infinity", "1e999999999", "0,5", "=1+2", "@SUM(1)",
        "0301234567", "0100233488-001", "Đang hoạt động", "Phường Ninh Kiều", "15/03/2025", "31/02/2025", "TA0001A",
        "", " ", '"', "'", ";", "\t", "\r\n", "\x00", "\ufeff",
    ]),
    st.text(max_size=30),
)
_HEADERS = {
    "actuals": ["unit_code", "period", "measure", "value"],
    "mapping": ["old_code", "new_code", "share", "old_name"],
    **{f"employers.{d}": None for d in DATASETS},
}


def _headers(door: str) -> list[str]:
    if _HEADERS[door] is not None:
        return _HEADERS[door]
    from ansinh.employers.importers import IMPORTERS

    return [column.headers[0] for column in IMPORTERS[door.split(".")[1]].columns]


def _csv(rows: list[list[str]], delimiter: str) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(
    door=st.sampled_from(sorted(k for k in IMPORTS if k != "table")),
    data=st.lists(st.lists(_cell, min_size=0, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    as_xlsx=st.booleans(),
)
def test_structured_files_with_random_cells(data_dir, door, data, delimiter, as_xlsx):
    """The right headers, random cells: the rows reach the parsers, where the crashes hide."""
    rows = [_headers(door), *data]
    if as_xlsx:
        content, name = _xlsx(*rows), "fuzz.xlsx"
    else:
        try:
            content, name = _csv(rows, delimiter), "fuzz.csv"
        except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8: nobody can send it either
            return
    _refused_or_clean(IMPORTS[door], content, name, data_dir)


@FUZZ
@given(
    door=st.sampled_from(sorted(IMPORTS)),
    content=st.one_of(st.binary(max_size=600), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt", "", ".xls", ".CSV"]),
)
def test_random_bytes_are_refused_or_read(data_dir, door, content, suffix):
    _refused_or_clean(IMPORTS[door], content, f"fuzz{suffix}", data_dir)


@FUZZ
@given(content=st.binary(max_size=2_000), suffix=st.sampled_from([".txt", ".docx", ".pdf", ".doc", ""]))
def test_plan_reader_random_bytes(content, suffix):
    from ansinh.plans.reader import read_plan_file

    try:
        read_plan_file(content=content, filename=f"ke-hoach{suffix}")
    except AnSinhError as error:
        assert error.message.strip()


@FUZZ
@given(text=st.text(max_size=3_000) | st.lists(
    st.sampled_from([
        "KẾ HOẠCH", "Số: 53/KH-UBND", "Cần Thơ, ngày 27 tháng 8 năm 2025", "I. MỤC TIÊU", "1. Chỉ tiêu",
        "- Tỷ lệ bao phủ BHYT đạt 95,2% dân số.", "Số người tham gia BHXH tự nguyện đạt 3.095.954 người",
        "Sở Y tế chủ trì, phối hợp", "| a | b |", "năm 2025", "trên 90%", "UBND", "\u00a0", "ñ", "Ð", "%", "...",
    ]),
    max_size=40,
).map("\n".join))
def test_plan_reader_random_text_never_crashes(text):
    from ansinh.plans.reader import read_plan

    draft = read_plan(text)
    assert isinstance(draft.warnings, list)


# ------------------------------------------------------------------------------------ hand-made files

GOOD_ACTUALS = "unit_code,period,measure,value\n31135,2025-01,population,1000\n"


def _zip(members: dict[str, bytes], *, big: tuple[str, int] | None = None) -> bytes:
    """A ZIP with `members`, and optionally one member of `big[1]` spaces written in chunks (a bomb)."""
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if big:
            chunk = b" " * (4 * 2**20)
            with archive.open(big[0], "w", force_zip64=True) as member:
                for _ in range(big[1] // len(chunk)):
                    member.write(chunk)
    return saved.getvalue()


def _edited(content: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The same ZIP with one member changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members[part] = edit(members[part])
    return _zip(members)


def _chart_sheet_only() -> bytes:
    """A workbook whose only sheet is a chart sheet."""
    book = Workbook()
    book.create_chartsheet("Biểu đồ")
    book.remove(book.active)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def _without_sheets() -> bytes:
    """A workbook that lists no sheet at all (it opens; openpyxl's `worksheets` is empty)."""
    return _edited(_xlsx(["a"]), "xl/workbook.xml", lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml))


def _damaged_sheet() -> bytes:
    """A real workbook whose sheet XML breaks off in the middle: it opens, and fails while it is read."""
    good = _xlsx(["unit_code", "period", "measure", "value"], ["31135", "2025-01", "population", 5])
    return _edited(good, "xl/worksheets/sheet1.xml", lambda xml: xml[:-60])


def _huge_xlsx_cell() -> bytes:
    """A 1 MB text in one cell (openpyxl itself cuts texts at Excel's 32,767 characters, so it is put in by hand)."""
    good = _xlsx(["unit_code", "period", "measure", "value"], ["31135", "2025-01", "population", "HUGE"])
    return _edited(good, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"HUGE", b"x" * 2**20))


def _formulas() -> bytes:
    """Formulas typed in the cells (no cached values, as a program that does not calculate saves them)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["unit_code", "period", "measure", "value"])
    sheet.append(["31135", "2025-01", "population", "=1000+1"])
    sheet.append(["=\"31\"&\"135\"", "2025-02", "population", "=SUM(A1:A2)"])
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


HOSTILE_FILES = {
    "empty": (b"", "a.csv"),
    "empty-xlsx-named": (b"", "a.xlsx"),
    "bom-only": (b"\xef\xbb\xbf", "a.csv"),
    "whitespace": (b" \n\n\t\n", "a.csv"),
    "header-only": (b"unit_code,period,measure,value\n", "a.csv"),
    "header-only-xlsx": (_xlsx(["unit_code", "period", "measure", "value"]), "a.xlsx"),
    "empty-sheet": (_xlsx(), "a.xlsx"),
    "chart-sheet-only": (_chart_sheet_only(), "a.xlsx"),
    "no-sheets": (_without_sheets(), "a.xlsx"),
    "damaged-sheet": (_damaged_sheet(), "a.xlsx"),
    "truncated-xlsx": (_xlsx(["a"], ["b"])[:300], "a.xlsx"),
    "csv-named-xlsx": (GOOD_ACTUALS.encode(), "a.xlsx"),
    "xlsx-named-csv": (_xlsx(["unit_code"], ["31135"]), "a.csv"),
    "old-xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "a.xls"),
    "utf16-no-bom": (GOOD_ACTUALS.encode("utf-16-le"), "a.csv"),
    "utf16-bom": (GOOD_ACTUALS.encode("utf-16"), "a.csv"),
    "cp1258": ("unit_code,period,measure,value,ghi_chu\n31135,2025-01,population,1000,Ph\u01b0\u01a1\u0300ng \u0111u\u0309\n".encode("cp1258"), "a.csv"),
    "latin-1": ("unit_code,period,measure,value\n31135,2025-01,population,1000 ñ\n".encode("latin-1"), "a.csv"),
    "nul-bytes": (b"unit_code,period,measure,value\n31135,2025-01,popu\x00lation,1\x00\n", "a.csv"),
    "unclosed-quote": (b'unit_code,period,measure,value\n"31135,2025-01,population,1\n', "a.csv"),
    "formula-values-csv": (b"unit_code,period,measure,value\n31135,2025-01,population,=1000+1\n@SUM(1),2025-01,population,1\n", "a.csv"),
    "formula-cells-xlsx": (_formulas(), "a.xlsx"),
    "huge-numbers": (b"unit_code,period,measure,value\n31135,2025-01,population," + b"9" * 5000 + b"\n", "a.csv"),
    "superscript-digit": ("unit_code,period,measure,value\n31135,2025-01,population,²\n".encode(), "a.csv"),
    "inner-space-number": ("unit_code,period,measure,value\n31135,2025-01,population,1 000\n".encode(), "a.csv"),
    "huge-cell-csv": (b"unit_code,period,measure,value\n31135,2025-01,population," + b"1" * 2**20 + b"\n", "a.csv"),
    "huge-cell-xlsx": (_huge_xlsx_cell(), "a.xlsx"),
    "very-long-row": (("unit_code,period,measure,value," + ",".join(f"c{i}" for i in range(20_000)) + "\n31135,2025-01,population,5"
                       + ",x" * 20_000 + "\n").encode(), "a.csv"),
    "many-members-zip": (_zip({f"xl/m{i}.xml": b"" for i in range(2_000)}), "a.xlsx"),
    "long-filename": (GOOD_ACTUALS.encode(), "a" * 300 + ".csv"),
    "bad-share": (b"old_code,new_code,share\n99999,31135,NaN\n99998,31135,sNaN\n99997,31135,Infinity\n", "a.csv"),
    "long-old-code": (("old_code,new_code,share,old_name\n" + "9" * 40 + ",31135,1,x\n77777,31135,1," + "x" * 300 + "\n").encode(), "a.csv"),
}


@pytest.mark.parametrize("door", sorted(IMPORTS))
@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_file(data_dir, admin_user, door, case):
    content, filename = HOSTILE_FILES[case]
    _refused_or_clean(IMPORTS[door], content, filename, data_dir, actor=admin_user)


@pytest.mark.parametrize("case, expected", [
    ("huge-cell-csv", "“a.csv”, dòng 2: có ô dài hơn 131.072 ký tự"),
    ("huge-cell-xlsx", "“a.xlsx”, dòng 2, cột value: ô dài 1.048.576 ký tự"),
    ("chart-sheet-only", "Không mở được tệp Excel"),
    ("no-sheets", "không có trang tính"),
    ("damaged-sheet", "Tệp Excel hỏng"),
    ("utf16-no-bom", "UTF-8"),
    ("utf16-bom", "UTF-8"),
    ("xlsx-named-csv", "UTF-8"),
    ("cp1258", "UTF-8"),
    ("empty", "không có dữ liệu"),
    ("many-members-zip", "phần nén"),
])
def test_the_refusal_names_the_problem(data_dir, admin_user, case, expected):
    content, filename = HOSTILE_FILES[case]
    error = _refused_or_clean(_actuals, content, filename, data_dir, actor=admin_user)
    assert error is not None and expected in error.message, error and error.message


@pytest.mark.parametrize("case, line, field", [
    ("superscript-digit", 2, "value"), ("huge-numbers", 2, "value"), ("formula-values-csv", 2, "value"),
    ("formula-cells-xlsx", 2, "value"),
])
def test_bad_values_are_listed_by_line_and_column(data_dir, admin_user, case, line, field):
    content, filename = HOSTILE_FILES[case]
    error = _refused_or_clean(_actuals, content, filename, data_dir, actor=admin_user)
    assert isinstance(error, ImportRejected)
    assert (line, field) in {(e.line, e.field) for e in error.errors}


def test_a_bom_and_spaces_in_a_number_import_cleanly(data_dir, admin_user):
    from ansinh.targets.models import Actual

    content = b"\xef\xbb\xbf" + GOOD_ACTUALS.replace("1000", "1 000 000").encode()
    assert _refused_or_clean(_actuals, content, "bom.csv", data_dir, actor=admin_user) is None
    assert Actual.objects.get(unit__code="31135", period="2025-01-01", measure="population").value == 1_000_000


def test_bad_shares_of_a_mapping_are_listed(data_dir):
    error = _refused_or_clean(_mapping, *HOSTILE_FILES["bad-share"], data_dir)
    assert isinstance(error, ImportRejected) and {e.line for e in error.errors} == {2, 3, 4}
    error = _refused_or_clean(_mapping, *HOSTILE_FILES["long-old-code"], data_dir)
    assert {(e.line, e.field) for e in error.errors} == {(2, "old_code"), (3, "old_name")}


def test_a_million_lines_are_refused_at_once(data_dir, admin_user):
    content = b"unit_code,period,measure,value\n" + b"31135,2025-01,population,1\n" * (MAX_LINES + 1)
    for door in (_actuals, _employers("ledger"), _mapping, _table):
        started = time.perf_counter()
        error = _refused_or_clean(door, content, "trieu-dong.csv", data_dir, actor=admin_user)
        assert time.perf_counter() - started < 2, "refused before anything is parsed"
        assert f"quá giới hạn {MAX_LINES:,} dòng".replace(",", ".") in error.message


def _bomb(kind: str) -> bytes:
    """A real workbook or document whose main part inflates to 1.5 × the limit, from a few hundred KB."""
    if kind == "xlsx":
        source = zipfile.ZipFile(io.BytesIO(_xlsx(["unit_code"], ["31135"])))
        part = "xl/worksheets/sheet1.xml"
    else:
        from docx import Document

        saved = io.BytesIO()
        Document().save(saved)
        source = zipfile.ZipFile(saved)
        part = "word/document.xml"
    members = {info.filename: source.read(info) for info in source.infolist() if info.filename != part}
    return _zip(members, big=(part, MAX_UNCOMPRESSED_BYTES * 3 // 2))


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return _bomb("xlsx")


def _refused_without_inflating(call: Callable[[], object]) -> AnSinhError:
    tracemalloc.start()
    try:
        with pytest.raises(AnSinhError) as refused:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB allocated: the bomb was inflated"
    assert "khi giải nén lớn" in refused.value.message and "MB" in refused.value.message
    return refused.value


@pytest.mark.parametrize("door", sorted(IMPORTS))
def test_an_xlsx_zip_bomb_is_refused_without_inflating_it(data_dir, admin_user, xlsx_bomb, door):
    assert len(xlsx_bomb) < 2 * 2**20
    before = _state(data_dir)
    _refused_without_inflating(lambda: IMPORTS[door](xlsx_bomb, "bom.xlsx", admin_user))
    assert _state(data_dir) == before


def test_a_docx_zip_bomb_is_refused_by_the_plan_reader(admin_user):
    from ansinh.plans.models import PlanDraft
    from ansinh.plans.services import plan_draft_read

    bomb = _bomb("docx")
    drafts = PlanDraft.objects.count()
    error = _refused_without_inflating(lambda: plan_draft_read(actor=admin_user, content=bomb, filename="ke-hoach.docx"))
    assert "ke-hoach.docx" in error.message and PlanDraft.objects.count() == drafts


@pytest.mark.parametrize("content, filename", [
    (b"\xff\xfeK\x00", "a.txt"),  # UTF-16 with a BOM and an odd byte
    ("KẾ HOẠCH năm 2025".encode("utf-16-le"), "a.txt"),  # UTF-16 without BOM
    ("K\u00ca\u0301 HOA\u0323CH n\u0103m 2025".encode("cp1258"), "a.txt"),  # Windows Vietnamese: base + tone mark
    (b"\xef\xbb\xbf", "a.txt"),
    (b"PK\x03\x04" + bytes(100), "a.docx"),
    (b"%PDF-1.4\n" + bytes(100), "a.pdf"),
    (_xlsx(["a"]), "a.docx"),  # a ZIP that is not a Word document
])
def test_plan_reader_hostile_files(content, filename):
    from ansinh.plans.reader import read_plan_file

    try:
        read_plan_file(content=content, filename=filename)
    except AnSinhError as error:
        assert error.message.strip()



def test_a_number_too_large_for_the_dataset_is_a_row_error(data_dir):
    """30 digits of workers once reached pyarrow, which cannot hold them in 64 bits, and failed the import."""
    content = ("Mã đơn vị,Tên đơn vị,Mã xã,Số lao động\nTA0001A,Công ty A,31135," + "9" * 30 + "\n").encode()
    error = _refused_or_clean(_employers("units"), content, "don-vi.csv", data_dir)
    assert isinstance(error, ImportRejected)
    assert [(e.line, e.field) for e in error.errors] == [(2, "Số lao động")] and "lớn quá" in error.errors[0].message
