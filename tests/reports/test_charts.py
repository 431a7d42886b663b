"""The charts are PNG images sized for an A4 page, whatever the number of communes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ansinh.reports import charts

pytestmark = pytest.mark.django_db


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).size


def test_attainment_chart_of_103_communes_fits_a_page(figures):
    width, height = _size(charts.attainment_chart(figures.main_table.rows, title="BHYT"))
    assert width == round(charts.WIDTH_IN * charts.DPI) and height <= 9 * charts.DPI


def test_a_few_communes_make_a_short_chart(figures):
    _, height = _size(charts.attainment_chart(figures.main_table.rows[:3], title="BHYT"))
    assert height == 2 * charts.DPI


def test_trend_chart(figures):
    assert _size(charts.trend_chart(figures.main_row, title="Số người tham gia BHYT")) == (1300, 600)
