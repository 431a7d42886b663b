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

Where each part lives: `extract` (file → clean text), `lines` (line dressing, numbers, dates),
`header`, `outline`, `targets_read`, `tasks_read`, with the vocabulary in `lexicon` and the draft's
models in `draft`. This module is the public entry: `read_plan`, `read_plan_file`.
"""

from __future__ import annotations

from ansinh.plans.draft import DraftPlan
from ansinh.plans.header import read_header
from ansinh.plans.lines import body_lines, clean_line
from ansinh.plans.outline import build_outline
from ansinh.plans.targets_read import find_targets
from ansinh.plans.tasks_read import find_assignments


def read_plan_file(*, content: bytes, filename: str) -> DraftPlan:
    """A plan file (.txt, .docx, .pdf) read into a draft; ValidationFailed if the file cannot be read."""
    from ansinh.plans.extract import document_text, repair_text

    return read_plan(repair_text(document_text(content=content, filename=filename)))


def read_plan(text: str) -> DraftPlan:
    """The draft plan in `text` (as `extract.repair_text` leaves it; repaired again here, harmlessly)."""
    from ansinh.plans.extract import repair_text

    text = repair_text(text)
    lines = [clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    header = read_header(lines)
    body = body_lines(lines)
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
