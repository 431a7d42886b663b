"""One way to hand a file to the browser, for the HTML views and the API routes alike.

A file name is often Vietnamese ("danh-sách-hộ.xlsx", an agency's own attachment). RFC 6266 says how to
send it: `filename*=utf-8''…` for the browsers that read it, and a plain ASCII `filename="…"` beside it
for the ones that do not. Django's own `content_disposition_header` writes the ASCII form alone for an
ASCII name (so our usual names are sent exactly as before) and the UTF-8 form alone otherwise; we add
the ASCII fallback. The content is already in memory (a workbook or a document we just wrote), so this
is an `HttpResponse` rather than a streaming `FileResponse`: callers and tests keep `.content`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ansinh.core.documents import DOCX
from ansinh.core.spreadsheets import XLSX
from ansinh.core.text import plain

__all__ = ["DOCX", "XLSX", "content_disposition", "download"]

_UNQUOTABLE = re.compile(r'[^\t \x21-\x7e]|["\\]')


def content_disposition(filename: str) -> str:
    """`attachment; filename="…"`, plus `filename*=utf-8''…` when the name is not plain ASCII."""
    header = content_disposition_header(True, filename)
    if "filename*=" not in header:
        return header
    fallback = _UNQUOTABLE.sub("_", plain(filename, compatibility=True)) or "tep"
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(filename)}"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """`content` as a file the browser saves under `filename` (never shown inline)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response
