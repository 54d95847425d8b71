"""Charts as inline SVG, drawn from the view model's chart data.

No JavaScript, no fonts or images to fetch: each chart is one ``<svg>`` element. Colours
come from CSS classes (``f0``…``f8`` for factors, ``s0``…``s3`` for options, ``c-*`` for
axes and text) so the report's style sheet can switch them for dark mode and print; each
shape also carries a fallback colour attribute so a chart copied out on its own still
reads. Every piece of text is escaped; numbers are written with fixed precision, so the
same data always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from llmchoose.loading.formatting import compact, currency_symbol, current_currency

__all__ = [
    "FACTOR_COLOURS",
    "SERIES_COLOURS",
    "bar",
    "cost_chart",
    "profile_chart",
    "responsive",
    "scores_chart",
]

# Tableau 10: distinct on white and on near-black, and in grey-scale print by lightness.
FACTOR_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
SERIES_COLOURS = ("#1f5fa8", "#d9640b", "#188a43", "#8e44ad")
SERIES_DASH = ("", "7 4", "2 3", "9 3 2 3")
CHAR_WIDTH = 0.56  # average glyph width of a sans-serif face, in font sizes


def _e(text: Any) -> str:
    return str(escape(str(text)))


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing .0 (stable output)."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _svg(width: float, height: float, cls: str, label: str, body: Sequence[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" viewBox="0 0 {_n(width)} '
        f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img" '
        f'aria-label="{_e(label)}" font-size="12">'
    )
    return Markup(head + f"<title>{_e(label)}</title>" + "".join(body) + "</svg>")


def _factor_class(index: int) -> tuple[str, str]:
    return f"f{index % len(FACTOR_COLOURS)}", FACTOR_COLOURS[index % len(FACTOR_COLOURS)]


def _series_style(index: int) -> tuple[str, str, str]:
    k = index % len(SERIES_COLOURS)
    dash = f' stroke-dasharray="{SERIES_DASH[k]}"' if SERIES_DASH[k] else ""
    return f"s{k}", SERIES_COLOURS[k], dash


def _fit(text: str, width: float, size: float = 12) -> str:
    """Shorten text with an ellipsis to fit about ``width`` units."""
    room = max(4, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _legend(
    items: Sequence[tuple[str, str]], top: float, width: float, left: float = 8
) -> tuple[list[str], float]:
    """Swatch-and-label items laid out in rows; returns the elements and the height used."""
    out, x, y = [], left, top
    for swatch, label in items:
        item_width = 22 + len(label) * 11 * CHAR_WIDTH + 16
        if x > left and x + item_width > width - 8:
            x, y = left, y + 20
        out.append(swatch.format(x=_n(x), y=_n(y)))
        out.append(
            f'<text class="c-legend" x="{_n(x + 22)}" y="{_n(y + 10)}" font-size="11">{_e(label)}</text>'
        )
        x += item_width
    return out, y - top + 20


def scores_chart(
    data: Mapping[str, Any], *, label: str = "Scores by factor", width: float = 720.0
) -> Markup:
    """Ranked options as horizontal bars split into each factor's contribution."""
    rows = data["rows"]
    left, right = 16.0, 60.0 if width >= 500 else 44.0
    row_height, top = 40.0, 6.0
    plot = width - left - right
    body: list[str] = []
    axis_top = top
    axis_bottom = top + row_height * len(rows)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + plot * tick
        body.append(
            f'<line class="c-grid" x1="{_n(x)}" y1="{_n(axis_top)}" x2="{_n(x)}" '
            f'y2="{_n(axis_bottom)}" stroke="#d0d5dc" stroke-width="1"/>'
        )
        body.append(
            f'<text class="c-tick" x="{_n(x)}" y="{_n(axis_bottom + 14)}" '
            f'text-anchor="middle" font-size="11" fill="#5b6470">{tick:.2f}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * row_height
        body.append(
            f'<text class="c-label" x="{_n(left)}" y="{_n(y + 13)}" fill="#1c2330">'
            f"{_e(_fit(row['label'], plot + right))}</text>"
        )
        segments = [s for s in row["segments"] if s["value"] > 0]
        total = sum(s["value"] for s in segments)
        # Under TOPSIS the score is not the sum of the parts: scale the parts to the bar.
        scale = row["score"] / total if total else 0.0
        x = left
        bar_y = y + 19
        for segment in segments:
            w = plot * segment["value"] * scale
            cls, colour = _factor_class(segment["index"])
            body.append(
                f'<rect class="{cls} c-seg" x="{_n(x)}" y="{_n(bar_y)}" width="{_n(max(w, 0.5))}" '
                f'height="14" fill="{colour}"><title>{_e(segment["short"])}: '
                f"{segment['value']:.3f}</title></rect>"
            )
            x += w
        body.append(
            f'<text class="c-value" x="{_n(left + plot * row["score"] + 6)}" '
            f'y="{_n(bar_y + 11)}" font-size="11" fill="#1c2330">{row["score"]:.3f}</text>'
        )
    items = []
    for factor in data["factors"]:
        cls, colour = _factor_class(factor["index"])
        swatch = f'<rect class="{cls}" x="{{x}}" y="{{y}}" width="14" height="12" fill="{colour}"/>'
        items.append((swatch, f"{factor['short']} {factor['weight'] * 100:.0f}%"))
    legend, used = _legend(items, axis_bottom + 28, width, left)
    body += legend
    return _svg(width, axis_bottom + 28 + used, "chart-scores", label, body)


def profile_chart(
    data: Mapping[str, Any], *, label: str = "Factor profile", width: float = 560.0
) -> Markup:
    """A radar of factor scores (0..1) for the leading options."""
    axes = list(data["axes"])
    series = data["series"]
    # Room for the axis names either side: about 18 characters at 12 units.
    radius = min(135.0, (width - 2 * 125.0) / 2)
    cx, cy = width / 2, radius + 50.0
    n = max(len(axes), 1)
    body: list[str] = []

    def point(i: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for level in (0.25, 0.5, 0.75, 1.0):
        ring = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, radius * level) for i in range(n)))
        body.append(
            f'<polygon class="c-grid" points="{ring}" fill="none" stroke="#d0d5dc" stroke-width="1"/>'
        )
    for i, name in enumerate(axes):
        x, y = point(i, radius)
        body.append(
            f'<line class="c-grid" x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            'stroke="#d0d5dc" stroke-width="1"/>'
        )
        lx, ly = point(i, radius + 14)
        cos = (lx - cx) / (radius + 14)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        dy = 4 if abs(cos) > 0.25 else (-2 if ly < cy else 12)
        body.append(
            f'<text class="c-label" x="{_n(lx)}" y="{_n(ly + dy)}" text-anchor="{anchor}" '
            f'font-size="12" fill="#1c2330">{_e(name)}</text>'
        )
    for level in (0.5, 1.0):
        x, y = point(0, radius * level)
        body.append(
            f'<text class="c-tick" x="{_n(x + 4)}" y="{_n(y + 12)}" font-size="10" '
            f'fill="#5b6470">{level:.1f}</text>'
        )
    for k, entry in enumerate(series):
        cls, colour, dash = _series_style(k)
        pts = [point(i, radius * max(0.0, min(1.0, v))) for i, v in enumerate(entry["values"])]
        text = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        body.append(
            f'<polygon class="{cls} c-area" points="{text}" fill="{colour}" fill-opacity="0.10" '
            f'stroke="{colour}" stroke-width="2"{dash}><title>{_e(entry["label"])}</title></polygon>'
        )
        for x, y in pts:
            body.append(
                f'<circle class="{cls} c-dot" cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{colour}"/>'
            )
    legend_top = cy + radius + 34
    items = []
    for k, entry in enumerate(series):
        cls, colour, dash = _series_style(k)
        swatch = (
            f'<line class="{cls} c-line" x1="{{x}}" y1="{{y}}" x2="{{x}}" y2="{{y}}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
        )
        items.append((swatch, entry["label"]))
    legend: list[str] = []
    y = legend_top
    for swatch, name in items:  # one option per line: names are long
        legend.append(
            swatch.replace('x1="{x}"', f'x1="{_n(24)}"')
            .replace('x2="{x}"', f'x2="{_n(44)}"')
            .replace('y1="{y}"', f'y1="{_n(y + 6)}"')
            .replace('y2="{y}"', f'y2="{_n(y + 6)}"')
        )
        legend.append(
            f'<text class="c-legend" x="52" y="{_n(y + 10)}" font-size="11" fill="#1c2330">'
            f"{_e(_fit(name, width - 60, 11))}</text>"
        )
        y += 18
    body += legend
    return _svg(width, y + 6, "chart-profile", label, body)


def _money_tick(value: float) -> str:
    """A tick of the cost axis, already in the report's currency."""
    return currency_symbol(current_currency()) + compact(value)


@dataclass(frozen=True)
class _LogFrame:
    """The plot area of a log-log chart and the ranges its axes span."""

    left: float
    top: float
    plot_w: float
    plot_h: float
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float

    def sx(self, v: float) -> float:
        v = max(v, self.x_lo)  # a volume that rounds to 0 (a tiny load) sits at the left edge
        return self.left + self.plot_w * (math.log10(v) - math.log10(self.x_lo)) / (
            math.log10(self.x_hi) - math.log10(self.x_lo)
        )

    def sy(self, v: float) -> float:
        v = max(v, self.y_lo)
        return self.top + self.plot_h * (
            1
            - (math.log10(v) - math.log10(self.y_lo))
            / (math.log10(self.y_hi) - math.log10(self.y_lo))
        )


def _in_currency(data: Mapping[str, Any]) -> dict[str, Any]:
    """The chart's data with costs converted from USD to the report's currency."""
    currency = current_currency()
    converted = {
        **data,
        "series": [
            {
                **s,
                "points": [[v, None if c is None else currency.convert(c)] for v, c in s["points"]],
            }
            for s in data["series"]
        ],
    }
    if converted.get("break_even") and converted["break_even"].get("y") is not None:
        converted["break_even"] = {
            **converted["break_even"],
            "y": currency.convert(converted["break_even"]["y"]),
        }
    return converted


def _cost_frame(data: Mapping[str, Any], width: float, height: float) -> _LogFrame:
    left, right, top, bottom = 70.0, 20.0, 26.0, 52.0
    values = [p[1] for s in data["series"] for p in s["points"] if p[1] is not None and p[1] > 0]
    if not values:
        values = [1.0, 10.0]
    y_lo = 10 ** math.floor(math.log10(min(values)))
    y_hi = 10 ** math.ceil(math.log10(max(values)))
    if y_hi <= y_lo:
        y_hi = y_lo * 10
    x_lo, x_hi = data["x_range"]
    return _LogFrame(left, top, width - left - right, height - top - bottom, x_lo, x_hi, y_lo, y_hi)


def _cost_grid(f: _LogFrame, height: float) -> list[str]:
    """Decade grid lines with their ticks, and both axis titles."""
    body: list[str] = []
    decade = f.x_lo
    while decade <= f.x_hi * 1.0001:
        x = f.sx(decade)
        body.append(
            f'<line class="c-grid" x1="{_n(x)}" y1="{_n(f.top)}" x2="{_n(x)}" y2="{_n(f.top + f.plot_h)}" '
            'stroke="#d0d5dc" stroke-width="1"/>'
        )
        body.append(
            f'<text class="c-tick" x="{_n(x)}" y="{_n(f.top + f.plot_h + 16)}" text-anchor="middle" '
            f'font-size="11" fill="#5b6470">{_e(compact(decade))}</text>'
        )
        decade *= 10
    decade = f.y_lo
    while decade <= f.y_hi * 1.0001:
        y = f.sy(decade)
        body.append(
            f'<line class="c-grid" x1="{_n(f.left)}" y1="{_n(y)}" x2="{_n(f.left + f.plot_w)}" y2="{_n(y)}" '
            'stroke="#d0d5dc" stroke-width="1"/>'
        )
        body.append(
            f'<text class="c-tick" x="{_n(f.left - 8)}" y="{_n(y + 4)}" text-anchor="end" '
            f'font-size="11" fill="#5b6470">{_e(_money_tick(decade))}</text>'
        )
        decade *= 10
    body.append(
        f'<text class="c-axis-title" x="{_n(f.left + f.plot_w / 2)}" y="{_n(height - 10)}" '
        'text-anchor="middle" font-size="11" fill="#5b6470">requests per day (log scale)</text>'
    )
    body.append(
        f'<text class="c-axis-title" x="14" y="{_n(f.top + f.plot_h / 2)}" text-anchor="middle" '
        f'font-size="11" fill="#5b6470" transform="rotate(-90 14 {_n(f.top + f.plot_h / 2)})">'
        f"{current_currency().code} per month (log scale)</text>"
    )
    return body


def _cost_marks(f: _LogFrame, marks: list[Mapping[str, Any]]) -> list[str]:
    """Dashed verticals at named volumes (today, 10×, …)."""
    body: list[str] = []
    for mark in marks:
        x = f.sx(mark["x"])
        body.append(
            f'<line class="c-mark" x1="{_n(x)}" y1="{_n(f.top)}" x2="{_n(x)}" y2="{_n(f.top + f.plot_h)}" '
            'stroke="#7a8492" stroke-width="1" stroke-dasharray="3 3"/>'
        )
        body.append(
            f'<text class="c-mark-label" x="{_n(x)}" y="{_n(f.top - 8)}" text-anchor="middle" '
            f'font-size="11" fill="#5b6470">{_e(mark["label"])}</text>'
        )
    return body


def _cost_series(f: _LogFrame, k: int, series: Mapping[str, Any]) -> list[str]:
    """One series as a line (a staircase for own machines), or a dot when one point is known."""
    cls, colour, dash = _series_style(k)
    parts: list[str] = []
    previous = None
    for volume, cost in series["points"]:
        if cost is None:
            previous = None
            continue
        x, y = f.sx(volume), f.sy(cost)
        if previous is None:
            parts.append(f"M{_n(x)} {_n(y)}")
        elif series["kind"] == "own":
            parts.append(f"H{_n(x)}V{_n(y)}")  # machines come in whole units: a staircase
        else:
            parts.append(f"L{_n(x)} {_n(y)}")
        previous = (x, y)
    if len(parts) > 1:
        return [
            f'<path class="{cls} c-series" d="{"".join(parts)}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash}><title>{_e(series["label"])}</title></path>'
        ]
    if parts:  # one known point: a path of one point draws nothing
        known = [p for p in series["points"] if p[1] is not None]
        x, y = f.sx(known[0][0]), f.sy(known[0][1])
        return [
            f'<circle class="{cls} c-dot c-series" cx="{_n(x)}" cy="{_n(y)}" r="4" '
            f'fill="{colour}"><title>{_e(series["label"])}</title></circle>'
        ]
    return []


def _cost_break_even(f: _LogFrame, marker: Mapping[str, Any] | None) -> list[str]:
    """The break-even point, labelled, with a dotted drop to the axis."""
    if not (marker and marker.get("y") is not None and f.x_lo <= marker["x"] <= f.x_hi):
        return []
    x, y = f.sx(marker["x"]), f.sy(marker["y"])
    text = f"break-even ≈ {compact(marker['x'])}/day"
    anchor, dx = ("end", -10) if x > f.left + f.plot_w * 0.6 else ("start", 10)
    return [
        f'<line class="c-break" x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x)}" y2="{_n(f.top + f.plot_h)}" '
        'stroke="#1c2330" stroke-width="1" stroke-dasharray="1 3"/>',
        f'<circle class="c-break-dot" cx="{_n(x)}" cy="{_n(y)}" r="5" fill="#ffffff" '
        'stroke="#1c2330" stroke-width="2"/>',
        # A halo in the background colour keeps the label readable where it crosses a line.
        f'<text class="c-break-label" x="{_n(x + dx)}" y="{_n(y - 12)}" text-anchor="{anchor}" '
        'font-size="12" font-weight="600" fill="#1c2330" stroke="#ffffff" stroke-width="4" '
        f'stroke-linejoin="round" paint-order="stroke">{_e(text)}</text>',
    ]


def _cost_legend(
    drawn: list[Mapping[str, Any]], left: float, width: float, y: float
) -> tuple[list[str], float]:
    """One legend row per drawn series, from ``y`` down; the rows and the y below them."""
    legend: list[str] = []
    for k, series in enumerate(drawn):
        cls, colour, dash = _series_style(k)
        kind = "API" if series["kind"] == "api" else "Self-hosted"
        name = f"{kind}: {series['label']}"
        legend.append(
            f'<line class="{cls} c-line" x1="{_n(left)}" y1="{_n(y + 6)}" x2="{_n(left + 20)}" '
            f'y2="{_n(y + 6)}" stroke="{colour}" stroke-width="3"{dash}/>'
        )
        legend.append(
            f'<text class="c-legend" x="{_n(left + 28)}" y="{_n(y + 10)}" font-size="11" '
            f'fill="#1c2330">{_e(_fit(name, width - left - 40, 11))}</text>'
        )
        y += 18
    return legend, y


def cost_chart(
    data: Mapping[str, Any],
    *,
    label: str = "Monthly cost against daily volume",
    width: float = 720.0,
) -> Markup:
    """Monthly cost against requests per day, log-log, with today and the break-even.

    A series without any known cost is left out, legend and all, so every legend entry
    has a line; a series with a single known point is drawn as a dot.
    """
    height = 360.0 if width >= 500 else 300.0
    data = _in_currency(data)
    drawn = [s for s in data["series"] if any(p[1] is not None for p in s["points"])]
    frame = _cost_frame(data, width, height)
    body = _cost_grid(frame, height)
    body += _cost_marks(frame, data.get("marks", []))
    for k, series in enumerate(drawn):
        body += _cost_series(frame, k, series)
    body += _cost_break_even(frame, data.get("break_even"))
    legend, y = _cost_legend(drawn, frame.left, width, height + 4)
    body += legend
    return _svg(width, y + 4, "chart-cost", label, body)


def responsive(draw: Any, data: Mapping[str, Any], *, label: str, narrow: float = 380) -> Markup:
    """The chart twice: at its own width for screens and print, and ``narrow`` units wide
    for phones, where the wide one would shrink its text below reading size. The style
    sheet shows one of them."""
    wide = draw(data, label=label)
    small = draw(data, label=label, width=narrow)
    return Markup(
        str(wide).replace('class="chart ', 'class="chart wide ', 1)
        + str(small).replace('class="chart ', 'class="chart narrow ', 1)
    )


def bar(value: float | None, index: int | None = None, *, width: int = 60) -> Markup:
    """A small inline bar for a 0..1 value, for table cells."""
    if value is None:
        return Markup("")
    v = max(0.0, min(1.0, float(value)))
    cls, colour = _factor_class(index) if index is not None else ("c-accent", SERIES_COLOURS[0])
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mini" viewBox="0 0 {width} 8" width="{width}" '
        f'height="8" aria-hidden="true"><rect class="c-track" x="0" y="0" width="{width}" height="8" '
        f'rx="2" fill="#e6e9ee"/><rect class="{cls}" x="0" y="0" width="{_n(width * v)}" height="8" '
        f'rx="2" fill="{colour}"/></svg>'
    )
