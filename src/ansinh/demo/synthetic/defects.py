"""Bad rows, planted on purpose: about one in 50,000 persons, at least one of each kind, so the engine's
quality rules always have something to keep out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ansinh.demo.synthetic.arrays import pick
from ansinh.demo.synthetic.calibration import DEFECTS_PER_PERSON, DEFECT_KINDS

if TYPE_CHECKING:
    from ansinh.demo.synthetic.province import Province


def plan_defects(rng: np.random.Generator, province: Province, wanted: bool) -> dict[int, dict[str, int]]:
    """How many bad rows of each kind go into each chunk: about 1 in 50,000 persons, at least one of each
    kind from 1,000 persons on (two ID errors, so both an empty and an 11-digit number appear)."""
    persons = int(province.persons.sum())
    if not wanted or persons < 1_000:
        return {}
    sizes = np.array([province.persons[c].sum() for c in province.chunks], dtype=np.float64)
    plan: dict[int, dict[str, int]] = {}
    for kind in DEFECT_KINDS:
        count = max(2 if kind == "person.missing_id" else 1, round(persons * DEFECTS_PER_PERSON))
        for chunk in pick(rng, sizes, count):
            plan.setdefault(int(chunk), {}).setdefault(kind, 0)
            plan[int(chunk)][kind] += 1
    return plan
