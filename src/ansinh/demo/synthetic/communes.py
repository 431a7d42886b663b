"""The official communes of a province (vietnam-provinces, 1/7/2025), as the generators need them.

Read from the package rather than the database so `ansinh generate` and the benchmark run anywhere, even
before `ansinh units load`; the codes are the same ones the units table holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansinh.core.errors import NotFound


@dataclass(frozen=True)
class CommuneSpec:
    """A commune of the province: phường are urban (quarters "Khu vực N"), xã and đặc khu rural ("Ấp …")."""

    code: str
    name: str
    urban: bool


def official_communes(province_code: str) -> list[CommuneSpec]:
    """Communes of a province by its 2-digit code ("92"), sorted by code; wards (phường) are urban."""
    from vietnam_provinces import Ward

    wanted = int(province_code)
    communes = [
        CommuneSpec(code=f"{int(w.code):05d}", name=w.name, urban=w.division_type.value == "phường")
        for w in Ward.iter_all()
        if int(w.province_code) == wanted
    ]
    if not communes:
        raise NotFound(f"Không có tỉnh/thành phố mã “{province_code}” trong danh mục đơn vị hành chính 2025.")
    return sorted(communes, key=lambda c: c.code)


def id_prefix(province_code: str) -> str:
    """The 3-digit province code that starts personal ID numbers (Cần Thơ "92" → "092")."""
    return f"{int(province_code):03d}"
