"""Open a file in a real LibreOffice (headless), as officials will: shared by every test of a document."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

SOFFICE = "/usr/bin/soffice"
TEXT = "txt:Text (encoded):UTF8"


def soffice(tmp_path: Path, target: str, *files: Path) -> None:
    """Convert `files` to `target` (e.g. "pdf", `TEXT`) into `tmp_path`; skip (or fail, when CI requires
    LibreOffice with ANSINH_REQUIRE_LIBREOFFICE=1) if it is not installed."""
    if not os.path.exists(SOFFICE):
        if os.environ.get("ANSINH_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"{SOFFICE} is missing and ANSINH_REQUIRE_LIBREOFFICE=1")
        pytest.skip(f"{SOFFICE} is missing")
    profile = (tmp_path / "profile").as_uri()  # a profile of its own: runs in parallel do not collide
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir", str(tmp_path),
         *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


PDFTOTEXT = "/usr/bin/pdftotext"


def docx_pdf_text(tmp_path: Path, content: bytes, name: str) -> str:
    """The DOCX as an official's printer gets it: converted to PDF by LibreOffice, read back with pdftotext
    (`-layout`, so a table row stays on one line and a header broken inside a word shows)."""
    if not os.path.exists(PDFTOTEXT):
        pytest.skip(f"{PDFTOTEXT} is missing")
    path = tmp_path / name
    path.write_bytes(content)
    soffice(tmp_path, "pdf", path)
    pdf = path.with_suffix(".pdf")
    subprocess.run([PDFTOTEXT, "-layout", str(pdf), str(pdf.with_suffix(".pdf.txt"))], check=True, timeout=60)
    return pdf.with_suffix(".pdf.txt").read_text(encoding="utf-8")
