"""Where the employer datasets live and how they are written: whole files, swapped in atomically.

A reader never sees half a file: each write goes to a temporary name in the same directory and is renamed
over the old one. The directory is `<ANSINH_DATA_DIR>/employers/` unless a caller names another (tests,
the benchmark, the generator).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ansinh.employers.schema import DATASETS


def employers_dir(directory: Path | None = None) -> Path:
    """The employer data directory (created on first use)."""
    if directory is None:
        from django.conf import settings

        directory = Path(settings.DATA_DIR) / "employers"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def dataset_path(name: str, directory: Path | None = None) -> Path:
    return employers_dir(directory) / DATASETS[name][0]


def dataset_exists(name: str, directory: Path | None = None) -> bool:
    return dataset_path(name, directory).exists()


def dataset_read(name: str, directory: Path | None = None) -> pa.Table:
    """The dataset as an Arrow table; an empty table of the right schema when nothing was imported yet."""
    path = dataset_path(name, directory)
    schema = DATASETS[name][1]
    if not path.exists():
        return schema.empty_table()
    return pq.read_table(path, schema=schema)


def dataset_write(name: str, table: pa.Table, directory: Path | None = None) -> Path:
    """Replace the dataset with `table` (cast to its schema), atomically."""
    schema = DATASETS[name][1]
    table = table.select(schema.names).cast(schema)
    path = dataset_path(name, directory)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, path)
    return path
