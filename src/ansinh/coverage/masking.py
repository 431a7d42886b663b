"""Personal ID numbers are never shown whole in lists (DESIGN.md: `0920******45`)."""

from __future__ import annotations


def mask_id(value: str | None) -> str:
    """Keep the first four digits (province and sex/century) and the last two; hide the rest."""
    if not value:
        return "(trống)"
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]
