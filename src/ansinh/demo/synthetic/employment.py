"""Step 3b of a synthetic province: what kind of work each contract worker does (docs/data.md,
`employment_kind`), how long a fixed-term contract runs, and who works on while drawing a pension.

The laws list these people differently (coverage/required.py): cán bộ, công chức, the armed forces,
household-business owners, domestic workers, working pensioners and short contracts are outside BHTN, so
the province's BHTN required population falls below its compulsory-BHXH one, as in the plans (Cần Thơ
2025: BHTN 294,046 against 314,472 compulsory participants). Drawn from a generator of its own, spawned
from the chunk's, so the rest of the province comes out as it did before these columns existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ansinh.coverage.required import EMPLOYMENT_KINDS
from ansinh.demo.synthetic.calibration import (
    BHTN_ENROL_MIN_MONTHS, COMPULSORY, FIXED_TERM_MONTHS, KIND_SHARES, WORKING_PENSIONERS,
)

if TYPE_CHECKING:
    from ansinh.demo.synthetic.households import People
    from ansinh.demo.synthetic.spans import Status

_KIND = {kind: index for index, kind in enumerate(EMPLOYMENT_KINDS)}
NONE = _KIND["none"]


@dataclass
class Employment:
    """Per person of the chunk: index into EMPLOYMENT_KINDS, contract months (-1: none), pensioner."""

    kind: np.ndarray
    months: np.ndarray
    pensioner: np.ndarray

    @property
    def bhtn_enrolled(self) -> np.ndarray:
        """Whose compulsory spans may carry BHTN: contract and contract-of-employment workers on 3 months
        or more (what the 2025 law asked), not pensioners; and those with no job now, whose past jobs
        are not known (their spans carry it at the plan's share)."""
        kind, months = self.kind, self.months
        contract = (kind == _KIND["contract_indefinite"]) | (kind == _KIND["official"])
        fixed = (kind == _KIND["contract_fixed"]) & (months >= BHTN_ENROL_MIN_MONTHS)
        return ((contract | fixed) & ~self.pensioner) | (kind == NONE)

    def columns(self, mistyped: np.ndarray = np.array([], np.int64)) -> dict[str, pa.Array]:
        """The three person columns; rows `mistyped` get a kind that is no code (a planted bad row)."""
        kinds = np.asarray(EMPLOYMENT_KINDS, dtype=object)[self.kind]
        kinds[mistyped] = "lao động tự do"
        return {
            "employment_kind": pa.array(kinds, type=pa.string()),
            "contract_months": pa.array(self.months, type=pa.int16(), mask=self.months < 0),
            "pensioner": pa.array(self.pensioner, type=pa.bool_()),
        }


def employment(rng: np.random.Generator, people: People, status: Status) -> Employment:
    """Kinds of work among the contract workers (labour status `compulsory`); `none` for everybody else.

    Cán bộ, công chức and the armed forces are rarely under 22; a few workers of 45 and more already draw
    a pension (retired from the armed forces, early retirement) and work on a contract."""
    n = len(people.age)
    worker = status.labour == COMPULSORY
    kinds = list(KIND_SHARES)
    shares = np.array([KIND_SHARES[k] for k in kinds])
    drawn = rng.choice(len(kinds), size=n, p=shares / shares.sum())
    kind = np.array([_KIND[k] for k in kinds], np.int8)[drawn]
    young_state = (people.age < 22) & np.isin(kind, [_KIND["civil_servant"], _KIND["armed_forces"]])
    kind = np.where(young_state, _KIND["contract_fixed"], kind).astype(np.int8)
    kind = np.where(worker, kind, NONE).astype(np.int8)

    lengths = np.array(list(FIXED_TERM_MONTHS), np.int16)
    weights = np.array(list(FIXED_TERM_MONTHS.values()))
    months = lengths[rng.choice(len(lengths), size=n, p=weights / weights.sum())]
    months = np.where(kind == _KIND["contract_fixed"], months, -1).astype(np.int16)

    working_pensioner = worker & (people.age >= 45) & (rng.random(n) < WORKING_PENSIONERS)
    return Employment(kind=kind, months=months, pensioner=(status.pension_from > 0) | working_pensioner)
