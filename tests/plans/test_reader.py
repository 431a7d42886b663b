"""The plan reader on the three real seed plans, whole and damaged as plans arrive (OCR without accents
and with broken lines, legacy-font đ, other numbering styles, DOCX and PDF), and on the rules it follows."""

from __future__ import annotations

import json
import random
import re
import textwrap
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.formatting import format_decimal, format_int
from ansinh.plans.lexicon import NEW_INDICATORS
from ansinh.plans.lines import parse_number
from ansinh.plans.reader import read_plan, read_plan_file
from ansinh.plans.tasks_read import guess_agency
from ansinh.tasks.agencies import AGENCIES, agencies_in, agency_by_code

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"  # copies of ../shared/seeds: the plans are public legal documents
PLANS = ["hai-phong-2024", "can-tho-2025", "ha-tinh-2017"]


def _expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _seed_text(name: str) -> str:
    return (SEEDS / _expected(name)["seed"]).read_text(encoding="utf-8")


def _targets(plan) -> set[tuple]:
    return {(t.indicator, t.value, t.unit, t.year) for t in plan.targets}


def _assignments(plan) -> set[tuple]:
    return {(a.agency_code, a.section) for a in plan.assignments}


def _supports(plan) -> set[tuple]:
    return {(code, a.section) for a in plan.assignments if a.role == "lead" for code in a.supports}


def _assert_same_reading(plan, name: str) -> None:
    expected = _expected(name)
    assert _targets(plan) == {tuple(row) for row in expected["targets"]}
    assert _assignments(plan) == {tuple(row) for row in expected["assignments"]}
    assert _supports(plan) == {tuple(row) for row in expected["supports"]}


# --------------------------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("name", PLANS)
def test_every_target_and_assignment_of_the_seed_is_found(name):
    plan = read_plan(_seed_text(name))
    _assert_same_reading(plan, name)
    expected = _expected(name)
    assert plan.number == expected["number"]
    assert (plan.issued_on.isoformat() if plan.issued_on else None) == expected["issued_on"]
    assert plan.scope_code == expected["scope_code"]
    assert plan.years == expected["years"]
    assert all(a.agency == agency_by_code(a.agency_code).name for a in plan.assignments)
    assert all(t.text for t in plan.targets) and all(a.text for a in plan.assignments)


def test_hai_phong_header_and_targets():
    plan = read_plan(_seed_text("hai-phong-2024"))
    assert plan.number is None and any("chưa có số" in w for w in plan.warnings)  # "Số: /KH-UBND"
    assert plan.issuer == "Ủy ban nhân dân thành phố Hải Phòng" and plan.scope == "Hải Phòng"
    assert plan.title.startswith("Triển khai thực hiện chỉ tiêu") and plan.years == [2024]
    compulsory = next(t for t in plan.targets if t.indicator == "bhxh.compulsory.rate")
    assert (compulsory.value, compulsory.year, compulsory.section) == (48.2, 2024, "II.1")
    quarterly = next(a for a in plan.assignments if a.section == "IV.2")
    assert quarterly.due_on == date(2024, 10, 31) and quarterly.supports == ["so-ldtbxh", "so-y-te"]


def test_can_tho_targets_deadlines_and_groups():
    plan = read_plan(_seed_text("can-tho-2025"))
    assert (plan.number, plan.issued_on, plan.scope_code) == ("53/KH-UBND", date(2025, 8, 27), "92")
    by_indicator = {t.indicator: t for t in plan.targets}
    assert by_indicator["bhyt.participants"].value == 3095954 and by_indicator["bhyt.coverage"].value == 96.11
    assert by_indicator["bhxh.participants"].deadline == date(2025, 11, 30)  # "Phấn đấu đến ngày 30 tháng 11 năm 2025"
    students = by_indicator["bhyt.coverage.group.4"]
    assert (students.group, students.deadline) == ("học sinh, sinh viên", date(2025, 10, 20))
    finance = next(a for a in plan.assignments if a.agency_code == "so-tai-chinh" and a.text.startswith("Căn cứ"))
    assert (finance.recurrence, finance.due_day, finance.offset_months) == ("yearly", 15, 11)  # 15/12 hằng năm
    report = next(a for a in plan.assignments if a.agency_code == "bhxh" and a.supports)
    assert report.recurrence == "quarterly"  # "định kỳ hàng quý tổng hợp báo cáo"


def test_can_tho_lost_headings_are_guessed_and_flagged():
    plan = read_plan(_seed_text("can-tho-2025"))
    guessed = {a.agency_code for a in plan.assignments if a.inferred}
    assert guessed == {"so-noi-vu", "so-y-te", "so-tai-chinh", "so-gddt", "cong-an", "thanh-tra", "ubnd-xa"}
    assert sum("mất tiêu đề" in w for w in plan.warnings) == 7
    assert all(not a.inferred for a in plan.assignments if a.agency_code in ("bao-dai", "mttq"))


def test_ha_tinh_targets_over_several_years():
    plan = read_plan(_seed_text("ha-tinh-2017"))
    shares = sorted((t.year, t.value, t.comparison) for t in plan.targets if t.indicator == "employers.registered_share")
    assert shares == [(2017, 70, ">"), (2018, 80, ">"), (2019, 90, ">"), (2020, 100, "=")]
    growth = next(t for t in plan.targets if t.indicator == "bhxh.voluntary.growth")
    assert (growth.value, growth.year, growth.comparison) == (30, None, ">=")  # "hàng năm … từ 30% trở lên"
    closing = next(a for a in plan.assignments if a.section == "")
    assert (closing.recurrence, closing.due_day, closing.offset_months) == ("yearly", 10, 11)  # trước 10/12 hàng năm
    assert plan.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh" and plan.scope_code == "42"


# --------------------------------------------------------------------------------------------- damage


def _plain(word: str) -> str:
    stripped = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in stripped if not unicodedata.combining(ch)))


def ocr(text: str, *, seed: int = 7) -> str:
    """What OCR of a printed plan gives: most words without accents, lines cut at ~70 characters."""
    rng = random.Random(seed)
    text = re.sub(r"[^\W\d_]+", lambda m: _plain(m.group(0)) if rng.random() < 0.8 else m.group(0), text)
    lines = []
    for line in text.split("\n"):
        line = line.replace(" - ", " -\u00a0")  # a dash stays at the end of a line, as typesetting keeps it
        wrapped = textwrap.wrap(line, width=70, break_long_words=False, break_on_hyphens=False) or [""]
        lines += [piece.replace("\u00a0", " ") for piece in wrapped]
    return "\n".join(lines)


def legacy_font(text: str) -> str:
    """đ and Đ as a TCVN3/VNI conversion leaves them."""
    return text.replace("đ", "ñ").replace("Đ", "ð")


def renumber(text: str) -> str:
    """The same outline spelled another way: no markdown, "I -", "1)", "1.1", "a.", "•"."""
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^#+\s*", "", line).replace("**", "").replace("***", "")
        line = re.sub(r"^([IVX]+)\.\s", r"\1 - ", line)
        line = re.sub(r"^(\d{1,2}\.\d{1,2})\.\s", r"\1 ", line)
        line = re.sub(r"^(\d{1,2})\.\s", r"\1) ", line)
        line = re.sub(r"^([a-zđ])\)\s", r"\1. ", line)
        line = re.sub(r"^-\s", "• ", line)
        out.append(line)
    return "\n".join(out)


DAMAGES = {"ocr": ocr, "legacy-font": legacy_font, "renumbered": renumber, "all": lambda t: legacy_font(ocr(renumber(t)))}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("name", PLANS)
def test_damaged_plans_read_the_same(name, damage):
    original = _seed_text(name)
    damaged = DAMAGES[damage](original)
    assert damaged != original
    _assert_same_reading(read_plan(damaged), name)


def test_ocr_damage_really_breaks_lines_and_accents():
    damaged = ocr(_seed_text("ha-tinh-2017"))
    assert max(len(line) for line in damaged.split("\n")) <= 75
    words = re.findall(r"[^\W\d_]+", damaged)
    accented = [w for w in words if w != _plain(w)]
    assert len(accented) < 0.3 * len([w for w in re.findall(r"[^\W\d_]+", _seed_text("ha-tinh-2017")) if w != _plain(w)])


# --------------------------------------------------------------------------------------------- files


def _docx(text: str) -> bytes:
    """The seed as a Word file: one paragraph per line, and the targets of the first part as a table."""
    import io

    import docx

    document = docx.Document()
    lines = text.split("\n")
    for index, line in enumerate(lines):
        document.add_paragraph(line)
        if index == 3:
            table = document.add_table(rows=2, cols=3)
            for row, cells in zip(table.rows, [("TT", "Nội dung", "Ghi chú"), ("1", "Bảng kèm theo", "—")]):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", PLANS)
def test_docx_round_trip(name):
    plan = read_plan_file(content=_docx(_seed_text(name)), filename=f"{name}.docx")
    _assert_same_reading(plan, name)


@pytest.mark.parametrize("name", PLANS)
def test_pdf_round_trip(name, tmp_path):
    from tests.libreoffice import soffice

    source = tmp_path / f"{name}.docx"
    source.write_bytes(_docx(_seed_text(name)))
    soffice(tmp_path, "pdf", source)
    plan = read_plan_file(content=(tmp_path / f"{name}.pdf").read_bytes(), filename=f"{name}.pdf")
    _assert_same_reading(plan, name)


def test_a_targets_table_is_read():
    text = ("Số: 12/KH-UBND\nNam Định, ngày 5 tháng 3 năm 2024\nKẾ HOẠCH\nThực hiện chỉ tiêu BHXH, BHYT năm 2024\n"
            "I. CHỈ TIÊU\n| TT | Chỉ tiêu | Đơn vị tính | Năm 2024 |\n| 1 | Tỷ lệ bao phủ BHYT | % | 93,5 |\n"
            "| 2 | Số người tham gia BHXH tự nguyện | Người | 25.300 |\n")
    plan = read_plan(text)
    assert _targets(plan) == {("bhyt.coverage", 93.5, "%", 2024), ("bhxh.voluntary.participants", 25300, "persons", 2024)}
    assert (plan.scope, plan.scope_code, plan.issued_on) == ("Nam Định", "36", date(2024, 3, 5))


# --------------------------------------------------------------------------------------------- rules


def _one_sentence(sentence: str) -> list[tuple]:
    plan = read_plan(f"Số: 1/KH-UBND\nCà Mau, ngày 2 tháng 1 năm 2026\nKẾ HOẠCH\nThực hiện BHXH năm 2026\nII. MỤC TIÊU\n1. {sentence}\n")
    return [(t.indicator, t.value, t.unit, t.year, t.comparison, t.group) for t in plan.targets]


def test_sentences_of_unseen_plans():
    assert _one_sentence("Tỷ lệ bao phủ BHYT năm 2027 đạt 80%, năm 2028 đạt 82%, đến năm 2030 đạt 90% dân số.") == [
        ("bhyt.coverage", 80, "%", 2027, "=", None), ("bhyt.coverage", 82, "%", 2028, "=", None),
        ("bhyt.coverage", 90, "%", 2030, "=", None)]
    assert _one_sentence("Phấn đấu tỷ lệ người tham gia BHXH bắt buộc từ 85% trở lên so với số thuộc diện.") == [
        ("bhxh.compulsory.required_coverage", 85, "%", 2026, ">=", None)]
    assert _one_sentence("Tỷ lệ chi trả lương hưu qua tài khoản cá nhân ở đô thị trên 90%.") == [
        ("benefits.account_payment_share", 90, "%", 2026, ">", None)]
    assert _one_sentence("Tỷ lệ nợ đóng BHXH, BHYT dưới 2% tổng số phải thu.") == [("arrears.rate", 2, "%", 2026, "<", None)]
    assert _one_sentence("Phát triển mới ít nhất 5.000 người tham gia BHXH tự nguyện.") == [
        ("bhxh.voluntary.new_participants", 5000, "persons", 2026, ">=", None)]
    assert _one_sentence("Tỷ lệ tham gia BHYT của hộ gia đình đạt 70%.") == [
        ("bhyt.coverage.group.5", 70, "%", 2026, "=", "hộ gia đình")]
    assert _one_sentence("Đã đạt 92% năm 2025; năm 2026 phấn đấu tỷ lệ bao phủ BHYT đạt 95%.") == [
        ("bhyt.coverage", 95, "%", 2026, "=", None)]  # what was reached is not a target


def test_every_new_indicator_code_is_registered_with_a_label():
    from ansinh.targets.indicators import INDICATORS

    assert all(code not in INDICATORS for code in NEW_INDICATORS)
    assert all(label for _, label in NEW_INDICATORS.values())


def test_agencies_are_matched_accent_insensitively_longest_first():
    found = agencies_in("So Lao dong - Thuong binh va Xa hoi, So Ke hoach va Dau tu, UBND cac xa, phuong, thi tran va Cuc Thue")
    assert [a.code for a in found] == ["so-ldtbxh", "so-khdt", "ubnd-xa", "thue"]
    assert [a.code for a in agencies_in("UBND tỉnh giao Sở GD&ĐT và UBND các huyện, thị xã")] == ["so-gddt", "ubnd-huyen"]
    assert len({a.code for a in AGENCIES}) == len(AGENCIES)


def test_an_agency_is_guessed_only_when_the_text_is_clearly_about_it():
    assert guess_agency("Chỉ đạo các cơ sở khám, chữa bệnh thực hiện chuyển dữ liệu khám chữa bệnh; kiểm tra bệnh viện.").code == "so-y-te"
    assert guess_agency("Phối hợp với Sở Y tế triển khai BHYT học sinh tại các cơ sở giáo dục, trường học.").code == "so-gddt"
    assert guess_agency("Tăng cường công tác tuyên truyền về chính sách.") is None


# --------------------------------------------------------------------------------------------- numbers


def test_numbers_the_vietnamese_way():
    assert parse_number("433.364") == 433364
    assert parse_number("3.095.954") == 3095954
    assert parse_number("96,11") == 96.11
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("48,2") == 48.2
    assert parse_number("2025") == 2025
    assert parse_number("96.11") == 96.11  # English decimal point, as OCR or a web page writes it
    assert parse_number("118,892", integer=True) == 118892
    assert parse_number("3,095,954") == 3095954
    assert parse_number("12a") is None and parse_number("1.2.3") is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_counts_read_back_as_written(value):
    assert parse_number(format_int(value), integer=True) == value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=99))
def test_decimals_read_back_as_written(whole, hundredths):
    value = whole + hundredths / 100
    assert parse_number(format_decimal(value, 2)) == pytest.approx(value)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1990, max_value=2100))
def test_years_are_not_thousands(year):
    assert parse_number(str(year)) == year
    assert [t[3] for t in _one_sentence(f"Năm {year} tỷ lệ bao phủ BHYT đạt 91,5%.")] == [year]
