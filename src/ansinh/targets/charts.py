"""The dashboard's trend chart, built in Python so the page only hands Plotly a finished figure."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from ansinh.targets.indicators import Kind
from ansinh.targets.selectors import AttainmentRow


def trend_figure_json(row: AttainmentRow) -> str:
    """Actual vs target month by month, and where the trend lands at each milestone."""
    is_count = row.indicator.kind is Kind.COUNT
    number_format = ",.0f" if is_count else ",.2f"
    suffix = "" if is_count else "%"
    months = [p.month.isoformat() for p in row.series]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=months, y=[p.actual for p in row.series], name=_("Thực hiện"), mode="lines+markers",
        line={"color": "#1d4ed8", "width": 3}, hovertemplate=f"%{{y:{number_format}}}{suffix}<extra></extra>",
    ))
    figure.add_trace(go.Scatter(
        x=months, y=[p.target for p in row.series], name=_("Chỉ tiêu"), mode="lines",
        line={"color": "#6b7280", "dash": "dash", "shape": "hv"},
        hovertemplate=f"%{{y:{number_format}}}{suffix}<extra></extra>",
    ))
    if row.projections:
        figure.add_trace(go.Scatter(
            x=[p.due_on.isoformat() for p in row.projections], y=[p.projected for p in row.projections],
            name=_("Dự báo tại mốc"), mode="markers", marker={"symbol": "diamond", "size": 11, "color": "#d97706"},
            hovertemplate=f"%{{x|%d/%m/%Y}}: %{{y:{number_format}}}{suffix}<extra></extra>",
        ))
        figure.add_trace(go.Scatter(
            x=[p.due_on.isoformat() for p in row.projections], y=[p.target for p in row.projections],
            name=_("Chỉ tiêu tại mốc"), mode="markers", marker={"symbol": "line-ew-open", "size": 16, "color": "#111827"},
            hovertemplate=f"%{{x|%d/%m/%Y}}: %{{y:{number_format}}}{suffix}<extra></extra>",
        ))
    figure.update_layout(
        separators=",.",  # Vietnamese: comma for decimals, dot for thousands
        height=340, margin={"l": 60, "r": 20, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.18}, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        xaxis={"tickformat": "%m/%Y", "gridcolor": "#e5e7eb"},
        yaxis={"ticksuffix": suffix, "gridcolor": "#e5e7eb", "tickformat": ",d" if is_count else ",.1f"},
    )
    return figure.to_json()
