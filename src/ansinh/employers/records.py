"""Plain records passed between the arrears engine, the selectors and the documents.

The demand letter, the arrears report, the offenders list and the compliance answer all read the same
`UnitArrears`, so their amounts cannot disagree: a letter's total is the report's total to the đồng.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: The two kinds of non-payment (Law on Social Insurance 2024, arts. 38–39): within 60 days of the
#: deadline a month is late (chậm đóng); unpaid beyond that despite urging it counts as evasion (trốn đóng).
LATE = "late"
EVASION = "evasion"
STATUS_LABELS = {LATE: "Chậm đóng", EVASION: "Trốn đóng"}


@dataclass(frozen=True)
class MonthOwed:
    """One contribution month not fully paid by its deadline, as of the report day."""

    period: date  # first day of the month the contribution is for
    amount_due: int  # đồng
    unpaid: int  # đồng still owed on the report day
    deadline: date  # last day of the month after `period`
    days_late: int  # from the day after the deadline up to and including the report day
    interest: int  # đồng: 0.03%/day on each day's unpaid amount, paid parts included up to their payment day
    status: str  # LATE or EVASION


@dataclass(frozen=True)
class UnitArrears:
    """A unit's arrears on one day: the months it owes and the charge on every late month."""

    unit_code: str
    tax_code: str | None
    name: str
    address: str
    commune_code: str
    workers: int
    as_of: date
    months: tuple[MonthOwed, ...] = field(default_factory=tuple)
    #: Interest on months already paid, but paid late (the charge is still owed); đồng.
    interest_on_paid: int = 0

    @property
    def unpaid(self) -> int:
        return sum(month.unpaid for month in self.months)

    @property
    def interest(self) -> int:
        """The whole charge: on the months still owed and on those paid late."""
        return sum(month.interest for month in self.months) + self.interest_on_paid

    @property
    def total(self) -> int:
        return self.unpaid + self.interest

    @property
    def months_owed(self) -> int:
        return len(self.months)

    @property
    def max_days_late(self) -> int:
        return max((month.days_late for month in self.months), default=0)

    @property
    def status(self) -> str | None:
        """EVASION when any month is past the evasion threshold, LATE when some is owed, else None."""
        if not self.months:
            return None
        return EVASION if any(month.status == EVASION for month in self.months) else LATE


@dataclass(frozen=True)
class Issuer:
    """Who signs the paperwork: the provincial BHXH office (Decree 30/2020 header and signature block)."""

    parent_agency: str = "BẢO HIỂM XÃ HỘI VIỆT NAM"
    agency: str = "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ"
    place: str = "Cần Thơ"
    symbol: str = "TB-BHXH"  # number/symbol: "125/TB-BHXH"
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ("Như trên;", "Giám đốc (để b/c);", "Lưu: VT, QLT.")
