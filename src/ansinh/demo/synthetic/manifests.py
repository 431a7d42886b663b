"""The manifest both generators write last: a data set's description as JSON, and the one way to write it.

Why one module: a directory holds a whole data set exactly when it holds a manifest, so the persons and
the employers generators must write theirs the same way (under a temporary name, then renamed), and read
them back the same way (dates as ISO days, counts as whole numbers).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

#: `progress(step, fraction)`: the step in Vietnamese, the fraction of the whole work done (0 to 1).
Progress = Callable[[str, float], None]

#: How a field's JSON value becomes the field again, by its annotation.
_READ = {
    "str": str,
    "int": int,
    "date": date.fromisoformat,
    "dict[str, int]": lambda value: {str(k): int(v) for k, v in value.items()},
}


def manifest_json(manifest) -> str:
    """The manifest's fields in their order, dates as ISO days."""
    return json.dumps(dataclasses.asdict(manifest), default=lambda day: day.isoformat(), ensure_ascii=False, indent=2)


def manifest_from_json(cls, text: str):
    """A manifest of dataclass `cls` from its JSON; a field with a default may be left out, no other."""
    data = json.loads(text)
    fields = dataclasses.fields(cls)
    return cls(**{f.name: _READ[f.type](data[f.name]) for f in fields if f.name in data or f.default_factory is dataclasses.MISSING})


def manifest_write(out_dir: Path, manifest) -> None:
    """Write manifest.json last and at once (renamed into place), so it never describes a half data set."""
    staging = out_dir / f".manifest.json.{os.getpid()}.tmp"
    staging.write_text(manifest.to_json() + "\n", encoding="utf-8")
    os.replace(staging, out_dir / "manifest.json")
