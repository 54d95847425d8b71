"""The hybrid architecture as an inline SVG diagram: your application, one interface,
and each option with the workloads routed to it.

Every label sits inside a box, so none crosses an arrow; an option's name wraps onto
up to three lines and, when it must be shortened, keeps its closing parenthesis (the
part that tells "… (EU)" from its sibling). Wide (720 units) the boxes run left to
right; narrow (for phones) they stack top to bottom.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from llmchoose.report.charts import CHAR_WIDTH, _e, _fit, _n, _series_style, _svg

__all__ = ["hybrid_diagram", "shorten_keeping_tail", "wrap_words"]

LINE = 16.0  # distance between text lines
PAD = 12.0  # space above the first and below the last line of a box
_TAIL = re.compile(r"\s*(\([^()]*\))$")


def _room(width: float, size: float) -> int:
    return max(4, int(width / (size * CHAR_WIDTH)))


def shorten_keeping_tail(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters; a closing "(…)" survives the cut."""
    if len(text) <= room:
        return text
    tail = _TAIL.search(text)
    if tail and len(tail.group(1)) + 2 < room:
        head = text[: tail.start()]
        keep = room - len(tail.group(1)) - 2
        return head[:keep].rstrip() + "… " + tail.group(1)
    return _fit(text, room * CHAR_WIDTH, 1)


def wrap_words(text: str, width: float, size: float, lines: int = 3) -> list[str]:
    """Words on up to ``lines`` lines of about ``width`` units, shortened to fit in
    the middle rather than at the end."""
    room = _room(width, size)
    text = shorten_keeping_tail(text, room * lines - (lines - 1))
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= room:
            out[-1] += " " + word
        else:
            out.append(word if len(word) <= room else _fit(word, width, size))
    if len(out) > lines:  # long words left ragged lines: join the rest onto the last
        out = [*out[: lines - 1], _fit(" ".join(out[lines - 1 :]), width, size)]
    return out


def _box_height(lines: int) -> float:
    return 2 * PAD + lines * LINE - 4


def _box(
    x: float, y: float, w: float, lines: Sequence[tuple[str, str]], cls: str, stroke: str
) -> list[str]:
    h = _box_height(len(lines))
    out = [
        f'<rect class="c-box {cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="6" '
        f'fill="#f5f7fa" stroke="{stroke}" stroke-width="1.5"/>'
    ]
    for i, (text, kind) in enumerate(lines):
        size = 12 if kind == "c-label" else 11
        fill = "#1c2330" if kind == "c-label" else "#5b6470"
        out.append(
            f'<text class="{kind}" x="{_n(x + w / 2)}" y="{_n(y + PAD + 8 + i * LINE)}" '
            f'text-anchor="middle" font-size="{size}" fill="{fill}">'
            f"{_e(_fit(text, w - 12, size))}</text>"
        )
    return out


def _arrow(x1: float, y1: float, x2: float, y2: float) -> list[str]:
    angle = math.atan2(y2 - y1, x2 - x1)
    tip = [(x2, y2)]
    for side in (-1, 1):
        a = angle + math.pi + side * 0.45
        tip.append((x2 + 8 * math.cos(a), y2 + 8 * math.sin(a)))
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in tip)
    return [
        f'<line class="c-link" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        'stroke="#7a8492" stroke-width="1.5"/>',
        f'<polygon class="c-link-head" points="{points}" fill="#7a8492"/>',
    ]


def _option_lines(name: str, group: Mapping[str, Any], width: float) -> list[tuple[str, str]]:
    lines = [(line, "c-label") for line in wrap_words(name, width - 16, 12)]
    lines.append((group["kind"], "c-sub"))
    routed = "for " + ", ".join(group["workloads"])
    lines.append((shorten_keeping_tail(routed, _room(width - 16, 11)), "c-sub"))
    return lines


def _groups(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for a in data["assignments"]:
        group = groups.setdefault(a["option"], {"kind": a["category_label"], "workloads": []})
        group["workloads"].append(a["workload"])
    return groups


def hybrid_diagram(
    data: Mapping[str, Any], *, label: str = "Hybrid architecture", width: float = 720.0
) -> Markup:
    """Your application → one interface → each option, with the workloads it serves."""
    if width < 500:
        return _stacked(_groups(data), label, width)
    groups = _groups(data)
    gap, opt_x = 18.0, 350.0
    opt_w = width - opt_x - 8
    boxes = [_option_lines(name, g, opt_w) for name, g in groups.items()]
    heights = [_box_height(len(lines)) for lines in boxes]
    height = max(sum(heights) + gap * (len(boxes) - 1), _box_height(2)) + 16
    mid = height / 2
    body: list[str] = []
    app_h, gate_h = _box_height(1), _box_height(2)
    body += _box(8, mid - app_h / 2, 130, [("Your application", "c-label")], "c-app", "#7a8492")
    gateway = [("One interface", "c-label"), ("routes by workload", "c-sub")]
    body += _box(170, mid - gate_h / 2, 146, gateway, "c-gateway", "#1f5fa8")
    body += _arrow(138, mid, 168, mid)
    y = 8.0
    for k, (lines, h) in enumerate(zip(boxes, heights, strict=True)):
        cls, colour, _ = _series_style(k)
        body += _box(opt_x, y, opt_w, lines, cls, colour)
        body += _arrow(316, mid, opt_x - 2, y + h / 2)
        y += h + gap
    return _svg(width, height, "chart-hybrid", label, body)


def _stacked(groups: Mapping[str, Mapping[str, Any]], label: str, width: float) -> Markup:
    """The narrow layout: application over interface, and the options below, each
    reached by a branch from one line down the left."""
    inner = width - 16
    body: list[str] = []
    app_h, gate_h = _box_height(1), _box_height(2)
    body += _box(8, 8, inner, [("Your application", "c-label")], "c-app", "#7a8492")
    y = 8 + app_h
    body += _arrow(width / 2, y, width / 2, y + 20)
    y += 22
    gateway = [("One interface", "c-label"), ("routes by workload", "c-sub")]
    body += _box(8, y, inner, gateway, "c-gateway", "#1f5fa8")
    bus_x, bus_top = 20.0, y + gate_h
    y = bus_top + 14
    box_x = bus_x + 20
    mids = []
    for k, (name, group) in enumerate(groups.items()):
        cls, colour, _ = _series_style(k)
        lines = _option_lines(name, group, width - 8 - box_x)
        h = _box_height(len(lines))
        body += _box(box_x, y, width - 8 - box_x, lines, cls, colour)
        mids.append(y + h / 2)
        y += h + 12
    body.append(
        f'<line class="c-link" x1="{_n(bus_x)}" y1="{_n(bus_top)}" x2="{_n(bus_x)}" '
        f'y2="{_n(mids[-1] if mids else bus_top)}" stroke="#7a8492" stroke-width="1.5"/>'
    )
    for mid in mids:
        body += _arrow(bus_x, mid, box_x - 2, mid)
    return _svg(width, y, "chart-hybrid", label, body)
