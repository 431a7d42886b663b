"""Employer tests write their datasets into a fresh data directory each."""

from __future__ import annotations

import pytest


@pytest.fixture
def data_dir(settings, tmp_path):
    """ANSINH_DATA_DIR for this test only: the employer datasets start empty."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()
