"""The one visible registry of base measures and the indicators derived from them.

Codes are stable: the CLI, the API and imports use them. A rate is kept as numerator and denominator so
a parent's rate is the sum of its children's numerators over the sum of their denominators, never an
average of rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ansinh.core.errors import NotFound

#: BHYT participant groups of the Law on Health Insurance (art. 12, as amended by Law 51/2024/QH15).
BHYT_GROUPS = {
    "1": "Người lao động và người sử dụng lao động đóng",
    "2": "Tổ chức BHXH đóng",
    "3": "Ngân sách nhà nước đóng",
    "4": "Ngân sách nhà nước hỗ trợ mức đóng",
    "5": "Hộ gia đình",
    "6": "Người sử dụng lao động đóng",  # art. 12 cl. 6 as amended (verify its wording): docs/data.md
}


@dataclass(frozen=True)
class Measure:
    """A base count kept per unit and month. `bounded_by`: the measure it can never exceed."""

    code: str
    label: str
    bounded_by: str | None = None


_BASE_MEASURES = [
    Measure("population", "Dân số"),
    Measure("labour_force", "Lực lượng lao động trong độ tuổi", bounded_by="population"),
    Measure("bhyt.participants", "Người tham gia BHYT", bounded_by="population"),
    Measure("bhxh.compulsory.required", "Người thuộc diện tham gia BHXH bắt buộc", bounded_by="labour_force"),
    # Participants are not bounded by the working-age labour force: people past retirement age still work
    # and pay, and many voluntary participants pay on after 60 to complete their years.
    Measure("bhxh.compulsory.participants", "Người tham gia BHXH bắt buộc"),
    Measure("bhxh.voluntary.participants", "Người tham gia BHXH tự nguyện"),
    Measure("bhtn.required", "Người thuộc diện tham gia BHTN", bounded_by="labour_force"),
    Measure("bhtn.participants", "Người tham gia BHTN"),
    Measure("employers.required", "Đơn vị thuộc diện tham gia"),
    Measure("employers.registered", "Đơn vị đã đăng ký tham gia", bounded_by="employers.required"),
    Measure("benefits.paid", "Lượt chi trả chế độ"),
    Measure("benefits.paid_by_account", "Lượt chi trả qua tài khoản", bounded_by="benefits.paid"),
]
_GROUP_MEASURES = [
    Measure(f"bhyt.participants.group.{g}", f"Người tham gia BHYT nhóm {g}: {label}", bounded_by="bhyt.participants")
    for g, label in BHYT_GROUPS.items()
]
MEASURES: dict[str, Measure] = {m.code: m for m in _BASE_MEASURES + _GROUP_MEASURES}


class Kind(str, Enum):
    COUNT = "count"  # persons (or units, payments): the numerator itself
    RATE = "rate"  # numerator / denominator, shown as %
    GROWTH = "growth"  # numerator now vs the same month a year earlier, shown as % change


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    kind: Kind
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    headline: bool = False  # shown as a KPI card on the dashboard

    @property
    def unit_label(self) -> str:
        return "người" if self.kind is Kind.COUNT else "%"

    @property
    def measures(self) -> tuple[str, ...]:
        return self.numerator + self.denominator


def _count(code: str, label: str, *numerator: str) -> Indicator:
    return Indicator(code, label, Kind.COUNT, numerator or (code,))


def _rate(code: str, label: str, numerator: tuple[str, ...], denominator: str, headline: bool = False) -> Indicator:
    return Indicator(code, label, Kind.RATE, numerator, (denominator,), headline)


_BHXH = ("bhxh.compulsory.participants", "bhxh.voluntary.participants")
_INDICATORS = [
    _count("bhyt.participants", "Số người tham gia BHYT"),
    _rate("bhyt.coverage", "Tỷ lệ bao phủ BHYT", ("bhyt.participants",), "population", headline=True),
    _count("bhxh.participants", "Số người tham gia BHXH", *_BHXH),
    _rate("bhxh.participation", "Tỷ lệ tham gia BHXH / lực lượng lao động", _BHXH, "labour_force", headline=True),
    _count("bhxh.compulsory.participants", "Số người tham gia BHXH bắt buộc"),
    _rate("bhxh.compulsory.rate", "Tỷ lệ tham gia BHXH bắt buộc", ("bhxh.compulsory.participants",), "labour_force", True),
    _rate(
        "bhxh.compulsory.required_coverage", "Tỷ lệ tham gia BHXH bắt buộc / số thuộc diện",
        ("bhxh.compulsory.participants",), "bhxh.compulsory.required",
    ),
    _count("bhxh.voluntary.participants", "Số người tham gia BHXH tự nguyện"),
    _rate("bhxh.voluntary.rate", "Tỷ lệ tham gia BHXH tự nguyện", ("bhxh.voluntary.participants",), "labour_force", True),
    Indicator(
        "bhxh.voluntary.growth", "Tăng trưởng BHXH tự nguyện so với cùng kỳ", Kind.GROWTH,
        ("bhxh.voluntary.participants",), ("bhxh.voluntary.participants",),
    ),
    _count("bhtn.participants", "Số người tham gia BHTN"),
    _rate("bhtn.participation", "Tỷ lệ tham gia BHTN / lực lượng lao động", ("bhtn.participants",), "labour_force"),
    _rate("bhtn.required_coverage", "Tỷ lệ tham gia BHTN / số thuộc diện", ("bhtn.participants",), "bhtn.required", True),
    _rate("employers.registered_share", "Tỷ lệ đơn vị đã đăng ký tham gia", ("employers.registered",), "employers.required"),
    _rate(
        "benefits.account_payment_share", "Tỷ lệ chi trả qua tài khoản",
        ("benefits.paid_by_account",), "benefits.paid",
    ),
] + [
    _rate(f"bhyt.coverage.group.{g}", f"Tỷ lệ bao phủ BHYT nhóm {g}", (f"bhyt.participants.group.{g}",), "population")
    for g in BHYT_GROUPS
]
INDICATORS: dict[str, Indicator] = {i.code: i for i in _INDICATORS}


def indicator_get(code: str) -> Indicator:
    try:
        return INDICATORS[code]
    except KeyError:
        raise NotFound(f"Không có chỉ số “{code}”. Các mã hợp lệ: {', '.join(INDICATORS)}.") from None


def count_indicator_for(indicator: Indicator) -> Indicator:
    """The persons-count indicator behind a rate (bhyt.coverage → bhyt.participants): allocation splits persons."""
    if indicator.kind is Kind.COUNT:
        return indicator
    for candidate in _INDICATORS:
        if candidate.kind is Kind.COUNT and candidate.numerator == indicator.numerator:
            return candidate
    raise NotFound(f"Chỉ số “{indicator.code}” không có chỉ số số người tương ứng để phân bổ.")


def rates_over(count: Indicator) -> list[Indicator]:
    """Rate indicators whose numerator is this count (bhyt.participants → bhyt.coverage)."""
    return [i for i in _INDICATORS if i.kind is Kind.RATE and i.numerator == count.numerator]
