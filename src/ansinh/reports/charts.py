"""The report's charts as PNG images (matplotlib, Agg): a printed report cannot run the dashboard's Plotly.

Built with the object API (a `Figure` and its Agg canvas, never pyplot), so charts made at the same time
in two web requests do not share a global figure. Numbers on the axes are written the Vietnamese way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ansinh.core.formatting import format_int, format_percent
from ansinh.targets.attainment import Status
from ansinh.targets.attainment_rows import AttainmentRow
from ansinh.targets.indicators import Kind

DPI = 200
WIDTH_IN = 6.5  # the text width of an A4 page with Decree 30 margins (165 mm)
# matplotlib's default font, DejaVu Sans, ships with it and has every Vietnamese letter: no font set-up.
STATUS_COLOURS = {
    Status.ON_TRACK: "#15803d", Status.AT_RISK: "#d97706", Status.OFF_TRACK: "#b91c1c",
    Status.NO_TARGET: "#9ca3af", Status.NO_DATA: "#9ca3af",
}
ACTUAL_COLOUR, TARGET_COLOUR = "#1d4ed8", "#111827"


def attainment_chart(rows: Sequence[AttainmentRow], *, title: str) -> bytes:
    """Each commune's % of target as a horizontal bar, best at the top, coloured by status, with the
    target (100%) as a vertical line. Rows without a figure are left out."""
    ranked = [r for r in rows if r.attainment_pct is not None]
    height = min(max(2.0, 0.5 + 0.085 * len(ranked)), 9.0)
    figure = _figure(WIDTH_IN, height)
    axes = figure.add_subplot()
    labels = [f"{r.rank}. {r.unit_name}" for r in ranked]
    positions = range(len(ranked))
    axes.barh(list(positions), [r.attainment_pct for r in ranked], color=[STATUS_COLOURS[r.status] for r in ranked], height=0.75)
    axes.axvline(100, color=TARGET_COLOUR, linestyle="--", linewidth=1, label="Chỉ tiêu (100%)")
    axes.set_yticks(list(positions), labels, fontsize=5 if len(ranked) > 40 else 7)
    axes.invert_yaxis()
    low = min((r.attainment_pct for r in ranked), default=0)
    axes.set_xlim(max(0, min(low, 100) - 5), max(105, max((r.attainment_pct for r in ranked), default=100) + 2))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole percents only: no "88%" standing for 87,5
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_percent(value, 0)))
    axes.set_title(title, fontsize=9, fontweight="bold")
    axes.set_xlabel("% chỉ tiêu tại mốc")
    axes.legend(handles=_status_legend(axes), loc="lower right", fontsize=6)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


def trend_chart(row: AttainmentRow, *, title: str) -> bytes:
    """Actual against target month by month, and the projected figure at each milestone."""
    is_count = row.indicator.kind is Kind.COUNT
    figure = _figure(WIDTH_IN, 3.0)
    axes = figure.add_subplot()
    months = [p.month for p in row.series]
    labels = [f"{m:%m/%Y}" for m in months]
    axes.plot(labels, [p.actual for p in row.series], marker="o", color=ACTUAL_COLOUR, linewidth=2, label="Thực hiện")
    if any(p.target is not None for p in row.series):
        axes.step(labels, [p.target for p in row.series], where="mid", color=TARGET_COLOUR, linestyle="--",
                  linewidth=1, label="Chỉ tiêu")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_int(value) if is_count else format_percent(value, 1)))
    axes.set_title(title, fontsize=9, fontweight="bold")
    axes.tick_params(axis="x", labelsize=7, rotation=0 if len(labels) <= 8 else 45)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="lower right")
    return _png(figure)


def arrears_chart(trend: Sequence, *, title: str) -> bytes:
    """Arrears at each month's end (đồng), as the arrears dashboard's trend."""
    figure = _figure(WIDTH_IN, 2.8)
    axes = figure.add_subplot()
    labels = [f"{p.month_end:%m/%Y}" for p in trend]
    axes.bar(labels, [p.unpaid for p in trend], color="#b91c1c")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_int(value / 1_000_000)))
    axes.set_ylabel("triệu đồng")
    axes.set_title(title, fontsize=9, fontweight="bold")
    axes.tick_params(axis="x", labelsize=7, rotation=45)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def _status_legend(axes) -> list:
    from matplotlib.patches import Patch

    shown = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
    line = axes.get_legend_handles_labels()[0]
    return [*line, *(Patch(color=STATUS_COLOURS[s], label=s.label) for s in shown)]


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
