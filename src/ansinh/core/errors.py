"""The one family of domain errors every service raises.

Each door (API, web, CLI) turns them into its own answer in one place, so messages are written once,
in Vietnamese, for the official who will read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class AnSinhError(Exception):
    """Base of all domain errors; `message` is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(AnSinhError):
    status_code = 404


class PermissionDenied(AnSinhError):
    status_code = 403


class ValidationFailed(AnSinhError):
    """Bad input as a whole (one message)."""

    status_code = 422


class Conflict(AnSinhError):
    """Someone else changed the row since the user read it (optimistic locking): reload, then edit again."""

    status_code = 409


@dataclass(frozen=True)
class RowError:
    """One bad row of an imported file: where it is and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.line}, cột {self.field}: {self.message}"


@dataclass
class ImportRejected(AnSinhError):
    """A file with bad rows: nothing was saved, and every bad row is listed."""

    errors: list[RowError] = field(default_factory=list)
    status_code = 422

    def __post_init__(self) -> None:
        super().__init__(f"Tệp bị từ chối: {len(self.errors)} dòng lỗi, không có dữ liệu nào được lưu.")
