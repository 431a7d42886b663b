"""The dated rule values of the employer work: every rate and threshold with the day it applies from and
its legal basis. Officers correct or extend them with `ansinh params set` (rows of `Parameter`), which
take precedence from their own date; these defaults hold until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.formatting import format_date


@dataclass(frozen=True)
class Default:
    code: str
    valid_from: date
    value: Decimal
    basis: str


LATE_DAILY_RATE = "employers.late_daily_rate"
EVASION_AFTER_DAYS = "employers.evasion_after_days"
INSPECTION_MIN_MONTHS = "employers.inspection_min_months"
NATIONAL_LATE_RATE = "employers.national_late_rate"
MATCH_AUTO_SCORE = "employers.match_auto_score"
MATCH_REVIEW_SCORE = "employers.match_review_score"

#: What each parameter means, for `ansinh params list` and the docs.
LABELS = {
    LATE_DAILY_RATE: "Lãi chậm đóng, trốn đóng mỗi ngày trên số tiền chưa đóng (0,0003 = 0,03%/ngày)",
    EVASION_AFTER_DAYS: "Quá số ngày này sau hạn đóng mà chưa đóng (đã đôn đốc) thì là trốn đóng",
    INSPECTION_MIN_MONTHS: "Nợ từ số tháng này trở lên thì đề nghị thanh tra, kiểm tra",
    NATIONAL_LATE_RATE: "Tỷ lệ chậm đóng toàn quốc (%, số nợ / số phải thu) để so sánh",
    MATCH_AUTO_SCORE: "Điểm khớp tên từ mức này trở lên thì tự nhận là cùng đơn vị",
    MATCH_REVIEW_SCORE: "Điểm khớp tên từ mức này đến dưới mức tự nhận thì cần cán bộ xác nhận",
}

DEFAULTS: tuple[Default, ...] = (
    Default(LATE_DAILY_RATE, date(2025, 7, 1), Decimal("0.0003"), "Luật BHXH số 41/2024/QH15, Điều 40; Nghị định 274/2025/NĐ-CP"),
    Default(EVASION_AFTER_DAYS, date(2025, 7, 1), Decimal(60), "Luật BHXH số 41/2024/QH15, Điều 39"),
    Default(INSPECTION_MIN_MONTHS, date(2025, 1, 1), Decimal(3), "Hướng dẫn của BHXH Việt Nam (đơn vị nợ từ 3 tháng trở lên)"),
    Default(NATIONAL_LATE_RATE, date(2022, 1, 1), Decimal("3.67"), "BHXH Việt Nam, số liệu năm 2021"),
    Default(NATIONAL_LATE_RATE, date(2023, 1, 1), Decimal("2.91"), "BHXH Việt Nam, số liệu năm 2022"),
    Default(NATIONAL_LATE_RATE, date(2025, 1, 1), Decimal("2.59"), "BHXH Việt Nam, số liệu năm 2024"),
    Default(MATCH_AUTO_SCORE, date(2025, 1, 1), Decimal(95), "Quy ước của An Sinh (đối chiếu theo tên)"),
    Default(MATCH_REVIEW_SCORE, date(2025, 1, 1), Decimal(80), "Quy ước của An Sinh (đối chiếu theo tên)"),
)


def parameter_value(code: str, on: date) -> Decimal:
    """The value in force on `on`: the latest officer's row or default whose `valid_from` is not after it."""
    from ansinh.employers.models import Parameter

    if code not in LABELS:
        raise ValidationFailed(f"Không có tham số “{code}”; các tham số: {', '.join(LABELS)}.")
    candidates = [(d.valid_from, 0, d.value) for d in DEFAULTS if d.code == code and d.valid_from <= on]
    candidates += [(p.valid_from, 1, p.value) for p in Parameter.objects.filter(code=code, valid_from__lte=on)]
    if not candidates:
        raise NotFound(
            f"Tham số “{LABELS[code]}” chưa có giá trị hiệu lực ngày {format_date(on)}: "
            f"thêm bằng “ansinh params set {code} GIÁ_TRỊ --from dd/mm/yyyy --basis …”."
        )
    return max(candidates)[2]


def parameters_in_force(on: date) -> dict[str, Decimal]:
    """Every parameter's value on a day (those with none yet are left out)."""
    values = {}
    for code in LABELS:
        try:
            values[code] = parameter_value(code, on)
        except NotFound:
            continue
    return values
