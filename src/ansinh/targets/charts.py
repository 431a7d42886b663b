"""The dashboard's trend chart, built in Python so the page only hands Plotly a finished figure.

The figure is written as Plotly's plain JSON (traces and layout), not through `plotly.graph_objects`: the
page reads the same figure, and validating it object by object cost a tenth of the dashboard's time.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from ansinh.targets.attainment_rows import AttainmentRow
from ansinh.targets.indicators import Kind


def _scatter(name: str, x: list, y: list, hover: str, **style) -> dict:
    return {"type": "scatter", "name": name, "x": x, "y": y, "hovertemplate": hover, **style}


def trend_figure_json(row: AttainmentRow) -> str:
    """Actual vs target month by month, and where the trend lands at each milestone."""
    is_count = row.indicator.kind is Kind.COUNT
    number_format = ",.0f" if is_count else ",.2f"
    suffix = "" if is_count else "%"
    value_hover = f"%{{y:{number_format}}}{suffix}<extra></extra>"
    milestone_hover = f"%{{x|%d/%m/%Y}}: %{{y:{number_format}}}{suffix}<extra></extra>"
    months = [p.month.isoformat() for p in row.series]
    traces = [
        _scatter(_("Thực hiện"), months, [p.actual for p in row.series], value_hover,
                 mode="lines+markers", line={"color": "#1d4ed8", "width": 3}),
        _scatter(_("Chỉ tiêu"), months, [p.target for p in row.series], value_hover,
                 mode="lines", line={"color": "#6b7280", "dash": "dash", "shape": "hv"}),
    ]
    if row.projections:
        due = [p.due_on.isoformat() for p in row.projections]
        traces += [
            _scatter(_("Dự báo tại mốc"), due, [p.projected for p in row.projections], milestone_hover,
                     mode="markers", marker={"symbol": "diamond", "size": 11, "color": "#d97706"}),
            _scatter(_("Chỉ tiêu tại mốc"), due, [p.target for p in row.projections], milestone_hover,
                     mode="markers", marker={"symbol": "line-ew-open", "size": 16, "color": "#111827"}),
        ]
    layout = {
        "separators": ",.",  # Vietnamese: comma for decimals, dot for thousands
        "height": 340, "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.18}, "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "xaxis": {"tickformat": "%m/%Y", "gridcolor": "#e5e7eb"},
        "yaxis": {"ticksuffix": suffix, "gridcolor": "#e5e7eb", "tickformat": ",d" if is_count else ",.1f"},
    }
    return json.dumps({"data": traces, "layout": layout}, ensure_ascii=False)
