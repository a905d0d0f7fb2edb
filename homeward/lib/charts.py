"""Server-rendered SVG charts: no JavaScript, no inline style (CSP), a text alternative.

Each chart is an <svg role="img"> with <title> and <desc>; pages put the same numbers
in a table beside it for screen readers and for copying.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed (fewer than k) — drawn as an empty, hatched slot
    highlight: bool = False
    note: str = ""


def _fmt(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def horizontal_bars(
    bars: list[Bar], *, title: str, desc: str, width: int = 640, suppressed_label: str = ""
) -> SafeString:
    """Labelled horizontal bars, longest = full width. Suits comparisons (clock vs precedents)."""
    uid = next(_ids)
    row, label_w, pad = 34, 230, 8
    height = row * len(bars) + pad * 2
    top = max([b.value for b in bars if b.value is not None] or [1]) or 1
    span = width - label_w - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-t{uid} chart-d{uid}">',
        f'<title id="chart-t{uid}">{escape(title)}</title><desc id="chart-d{uid}">{escape(desc)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = pad + i * row
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 21}" text-anchor="end" font-size="13" fill="#1d1d1f">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<rect x="{label_w}" y="{y + 6}" width="{span // 6}" height="20" fill="none" stroke="#8d8a83" stroke-dasharray="4 3"/>'
                f'<text x="{label_w + span // 6 + 6}" y="{y + 21}" font-size="13" fill="#5f6368">{escape(suppressed_label)}</text>'
            )
            continue
        w = max(1, round(span * bar.value / top))
        fill = "#a4262c" if bar.highlight else "#2f5d50"
        parts.append(f'<rect x="{label_w}" y="{y + 6}" width="{w}" height="20" rx="2" fill="{fill}"/>')
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 21}" font-size="13" fill="#1d1d1f">{_fmt(bar.value)}{escape(bar.note)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label is escaped above)


def column_histogram(
    bars: list[Bar], *, title: str, desc: str, width: int = 640, height: int = 220, suppressed_label: str = ""
) -> SafeString:
    """Vertical columns in order (e.g. by month); labels every few columns to stay legible."""
    uid = next(_ids)
    n = max(1, len(bars))
    left, bottom, top_pad = 40, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    col = plot_w / n
    top = max([b.value for b in bars if b.value is not None] or [1]) or 1
    step = max(1, n // 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-t{uid} chart-d{uid}">',
        f'<title id="chart-t{uid}">{escape(title)}</title><desc id="chart-d{uid}">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" stroke="#8d8a83"/>',
    ]
    if any(b.value is not None for b in bars):
        parts.append(
            f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end" font-size="11" fill="#5f6368">{_fmt(top)}</text>'
        )
    for i, bar in enumerate(bars):
        x = left + i * col
        if bar.value is None:
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{top_pad + plot_h - 6}" width="{max(col - 2, 1):.1f}" height="6" '
                f'fill="none" stroke="#8d8a83" stroke-dasharray="2 2"><title>{escape(bar.label)}: {escape(suppressed_label)}</title></rect>'
            )
        else:
            h = plot_h * bar.value / top
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" width="{max(col - 2, 1):.1f}" height="{h:.1f}" '
                f'fill="#2f5d50"><title>{escape(bar.label)}: {_fmt(bar.value)}</title></rect>'
            )
        if i % step == 0:
            parts.append(
                f'<text x="{x + col / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" fill="#5f6368">{escape(bar.label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
