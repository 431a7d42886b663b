"""Formula injection: every XLSX and CSV An Sinh hands out is safe to open in Excel or LibreOffice.

Names, villages, addresses, task texts and notes come from imported files and from users. Each exporter
gets hostile values through the path that really feeds it (an import, a task submission, a renamed unit,
a person extract), and the file it writes is opened back: no cell is a formula, the text reads exactly
as it was typed, and a text that looks like a formula carries Excel's quote prefix (a leading `'` in CSV).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook, load_workbook

from ansinh.core.spreadsheets import looks_like_formula, put, safe_text, write_row

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x","y")'
CALC = "+cmd|' /C calc'!A0"
AT = "@SUM(1)"
MINUS = "-2+3"
HOSTILE = (LINK, CALC, AT, MINUS)
NINH_KIEU, CAI_KHE = "31135", "31120"
CALC_LIBRARY = "/usr/lib/libreoffice/program/libscfiltlo.so"


def _texts_and_check(content: bytes) -> list[str]:
    """Every text cell of every sheet; fails on any formula, or a formula-like text without its quote prefix."""
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if looks_like_formula(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
    return texts


def _assert_safe(content: bytes, *planted: str) -> None:
    texts = _texts_and_check(content)
    for value in planted:
        assert value in texts, f"{value!r} is not in the file as the text it was"


# --- the helper -----------------------------------------------------------------------------------------


def test_put_keeps_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    sheet = book.active
    write_row(sheet, row=1, values=[*HOSTILE, "\t=1+1", "\r=1+1", "#N/A", -5, 3.5, "Nguyễn Văn An", None, "a\x07b"])
    saved = io.BytesIO()
    book.save(saved)
    cells = list(load_workbook(saved).active[1])
    assert [c.value for c in cells[:8]] == [*HOSTILE, "\t=1+1", "\r=1+1", "#N/A", -5]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells[:7])
    assert (cells[7].data_type, cells[8].data_type) == ("n", "n")  # a negative number is a number
    assert cells[9].value == "Nguyễn Văn An" and not cells[9].quotePrefix
    assert cells[11].value == "ab"  # a control character XLSX cannot hold is dropped, not a failed export


def test_safe_text_prefixes_formula_like_texts_only():
    assert [safe_text(v) for v in HOSTILE] == [f"'{v}" for v in HOSTILE]
    assert safe_text("\t=1") == "'\t=1" and safe_text("\r=1") == "'\r=1"
    assert [safe_text(v) for v in ("31135", "bhyt.participants", -5, 0, None)] == ["31135", "bhyt.participants", -5, 0, None]


def test_put_on_a_cell_written_by_openpyxl_as_a_formula_turns_it_back_into_text():
    sheet = Workbook().active
    cell = put(sheet.cell(1, 1), LINK)
    assert cell.data_type == "s" and cell.value == LINK


# --- targets: the attainment table (a commune's name) ------------------------------------------------


def test_attainment_xlsx_with_a_hostile_commune_name(client, admin_user):
    from ansinh.units.models import OrgUnit

    OrgUnit.objects.filter(code=NINH_KIEU, valid_to__isnull=True).update(name=LINK)
    OrgUnit.objects.filter(code=CAI_KHE, valid_to__isnull=True).update(name=MINUS)
    client.force_login(admin_user)
    response = client.get("/units/92/export.xlsx", {"indicator": "bhyt.participants", "period": "2025-10"})
    assert response.status_code == 200
    _assert_safe(response.content, LINK, MINUS)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(isinstance(row[3], int) for row in sheet.iter_rows(min_row=3, values_only=True))  # numbers stay numbers


# --- coverage: the commune's lists (names, villages, household codes of the person extract) ---------------


@pytest.fixture
def hostile_persons(settings, tmp_path):
    from tests.coverage.factories import card, frames, person, write_parquet

    home = {"commune_code": NINH_KIEU}
    persons = [
        person(1, full_name=LINK, household_id=AT, village=CALC, **home),
        person(2, full_name=MINUS, household_id=AT, village=CALC, **home),
        person(3, full_name=CALC, household_id="H2", village=LINK, **home),
    ]
    cards = [card(3, date(2024, 11, 16), date(2025, 11, 15), group=5)]
    settings.DATA_DIR = write_parquet(tmp_path / "extract", *frames(persons, cards, []), as_of=date(2025, 10, 31))


@pytest.mark.parametrize("kind", ["households", "expiring"])
def test_coverage_lists_with_hostile_names_and_villages(hostile_persons, admin_user, kind):
    from ansinh.coverage.exports import list_xlsx

    content = list_xlsx(actor=admin_user, kind=kind, code=NINH_KIEU, day=date(2025, 10, 31))
    planted = (LINK, MINUS, CALC, AT) if kind == "households" else (CALC, LINK)
    _assert_safe(content, *planted)


def test_coverage_list_of_a_hostile_village(hostile_persons, admin_user):
    from ansinh.coverage.exports import list_xlsx

    content = list_xlsx(actor=admin_user, kind="households", code=NINH_KIEU, day=date(2025, 10, 31), village=CALC)
    _assert_safe(content, LINK, MINUS)


def test_coverage_counts_csv_prefixes_a_formula_like_cell():
    import pandas as pd

    from ansinh.coverage.pipeline import EngineResult
    from ansinh.coverage.services import _csv

    counts = pd.DataFrame({"commune_code": [LINK, "31135"], "month": [date(2025, 1, 1)] * 2,
                           "measure": [AT, "bhyt.participants"], "value": [-1, 5]})
    result = EngineResult(settings=None, counts=counts, problems=[], persons=2)
    rows = list(csv.reader(io.StringIO(_csv(result).decode())))
    assert rows[1] == [f"'{LINK}", "2025-01", f"'{AT}", "-1"]  # the number stays a number
    assert rows[2] == ["31135", "2025-01", "bhyt.participants", "5"]


# --- employers: offenders, disclosure and inspection lists (names and addresses of an imported list) -------


@pytest.fixture
def hostile_employers(settings, tmp_path, operator):
    from ansinh.employers import storage
    from ansinh.employers.services import employers_import
    from tests.employers.test_views import _ledger

    settings.DATA_DIR = tmp_path
    book = Workbook()
    sheet = book.active
    write_row(sheet, row=1, values=["Mã đơn vị", "Tên đơn vị", "Địa chỉ", "Mã xã", "Số lao động"])
    write_row(sheet, row=2, values=["TA0001A", LINK, CALC, NINH_KIEU, 48])
    write_row(sheet, row=3, values=["TB0002B", AT, MINUS, CAI_KHE, 9])
    write_row(sheet, row=4, values=["TC0003C", "Công ty Phú Cường", "8 Ngô Quyền", NINH_KIEU, 20])
    saved = io.BytesIO()
    book.save(saved)
    employers_import(actor=operator, dataset="units", content=saved.getvalue(), filename="don_vi.xlsx")
    storage.dataset_write("ledger", _ledger())
    return tmp_path


@pytest.mark.parametrize("public", [False, True])
def test_offenders_and_disclosure_lists_with_hostile_names(hostile_employers, admin_user, public):
    from ansinh.employers.services import offenders_export

    _, content = offenders_export(actor=admin_user, quarter="2026-Q1", public=public)
    _assert_safe(content, LINK, CALC, AT, MINUS)


def test_inspection_list_with_hostile_names(hostile_employers, admin_user):
    from ansinh.employers.services import inspection_export

    _, content, units = inspection_export(actor=admin_user, as_of=date(2025, 12, 31))
    assert units >= 1
    _assert_safe(content, LINK, CALC)


def test_libreoffice_shows_the_hostile_name_as_text(hostile_employers, admin_user, tmp_path):
    """A real spreadsheet program opens the list: the cell shows the text, not the result of a formula."""
    from ansinh.employers.services import offenders_export
    from tests.libreoffice import soffice

    if not Path(CALC_LIBRARY).exists():  # Debian's libreoffice-writer-nogui alone cannot open a workbook
        if os.environ.get("ANSINH_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"LibreOffice Calc is missing ({CALC_LIBRARY}) and ANSINH_REQUIRE_LIBREOFFICE=1")
        pytest.skip(f"LibreOffice Calc is not installed ({CALC_LIBRARY}: Debian package libreoffice-calc-nogui)")
    _, content = offenders_export(actor=admin_user, quarter="2026-Q1")
    path = tmp_path / "offenders.xlsx"
    path.write_bytes(content)
    soffice(tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76", path)
    shown = (tmp_path / "offenders.csv").read_text(encoding="utf-8")
    assert LINK.replace('"', '""') in shown and CALC in shown  # as typed: not "y", not a calculation


# --- reports: the annex (commune names, agencies, task texts and notes handed in, employers) ---------------


def test_report_annex_with_hostile_tasks_notes_units_and_communes(settings, tmp_path, admin_user, plan):
    from ansinh.units.models import OrgUnit
    from ansinh.core.periods import Period
    from ansinh.employers import storage
    from ansinh.reports.services import report_make
    from ansinh.tasks.models import Agency, Task, TaskOccurrence
    from ansinh.tasks.services import occurrence_submit
    from tests.employers.test_views import _ledger, _units

    settings.DATA_DIR = tmp_path
    units = _units()
    storage.dataset_write("units", units.set_column(units.schema.get_field_index("name"), "name", pa.array([LINK, AT, MINUS])))
    storage.dataset_write("ledger", _ledger())
    OrgUnit.objects.filter(code=NINH_KIEU, valid_to__isnull=True).update(name=CALC)
    agency = Agency.objects.create(code="thue-test", name=MINUS, kind="central")
    task = Task.objects.create(
        plan=plan, section="III.3", lead=agency, recurrence="monthly", due_day=5, due_offset_months=1, text=AT,
        starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
    )
    occurrence = TaskOccurrence.objects.create(task=task, agency=agency, period_start=date(2025, 7, 1), due_on=date(2025, 8, 5))
    occurrence_submit(actor=admin_user, occurrence_id=occurrence.pk, note=LINK, on=date(2025, 8, 4))

    report = report_make(actor=admin_user, plan=plan, period=Period.parse("2025-Q3"), made_on=date(2025, 10, 10))
    _assert_safe(bytes(report.xlsx), LINK, AT, MINUS, CALC)
