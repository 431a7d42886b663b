"""The draft plan the reader makes: what an officer reviews before anything is saved.

Pydantic models, so the draft goes to JSON (`PlanDraft.data`) and back, and the API can show it as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Unit = Literal["%", "persons", "units", "households", "VND"]
Comparison = Literal[">=", ">", "=", "<", "<="]
Role = Literal["lead", "support"]
Recurrence = Literal["once", "monthly", "quarterly", "half_yearly", "yearly"]


class DraftTarget(BaseModel):
    """One numeric target. `unit`: "%" for rates, "persons" for head counts, "units" for employers,
    "households", "VND" for money. `group`: for a BHYT group target, the sub-group the plan names
    ("học sinh, sinh viên"), the group number being in the indicator code (`bhyt.coverage.group.4`).
    `comparison`: how the plan bounds the value ("trên 90%" is ">", "từ 85% trở lên" ">=", "đạt" "=")."""

    indicator: str
    value: float
    unit: Unit
    year: int | None = None
    deadline: date | None = None
    group: str | None = None
    comparison: Comparison = "="
    text: str
    section: str = ""


class DraftAssignment(BaseModel):
    """One task of one agency. `agency` is the directory's canonical name, `agency_text` as written;
    `role` "support" when the agency's own task is to work with another ("Phối hợp với …");
    `supports`: codes of the agencies the lead must involve ("chủ trì, phối hợp với …");
    `inferred`: the heading naming the agency was lost and the agency was guessed from the content.
    `recurrence`, `due_on`, `due_day`, `offset_months` follow `tasks.models.Task`; `due_text` is the
    plan's own words about the deadline."""

    agency: str
    agency_code: str
    agency_text: str = ""
    section: str
    text: str
    role: Role = "lead"
    supports: list[str] = Field(default_factory=list)
    recurrence: Recurrence | None = None
    due_on: date | None = None
    due_day: int | None = None
    offset_months: int = 0
    due_text: str | None = None
    inferred: bool = False


class DraftPlan(BaseModel):
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    scope: str | None = None
    scope_code: str | None = None
    title: str | None = None
    years: list[int] = Field(default_factory=list)
    targets: list[DraftTarget] = Field(default_factory=list)
    assignments: list[DraftAssignment] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
