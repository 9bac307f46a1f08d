"""Charts for the reports: an indicator's yearly series against its target line, as a PNG.

Matplotlib draws with its Agg backend through ``Figure`` objects (no pyplot state), so charts can
be drawn in any worker thread. Its default font has no Chinese glyphs: a CJK font is looked up
among the installed fonts (Debian's fonts-noto-cjk gives Noto Sans CJK SC); without one the chart
is still drawn and the report says so in its data-quality notes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "SimHei",
    "Microsoft YaHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
)


@cache
def find_cjk_font() -> str | None:
    """The family name of the first installed font of ``CJK_FONTS``, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@dataclass(frozen=True)
class Chart:
    png: bytes
    has_cjk_font: bool


BAR, LINE, TARGET = "#2f5d8a", "#c0392b", "#7f8c8d"


def indicator_chart(
    *,
    title: str,
    unit: str,
    years: Sequence[int],
    values: Sequence[Decimal | None],
    target: Decimal | None,
    target_year: int | None,
    baseline: tuple[int, Decimal] | None = None,
    decimals: int = 2,
    labels: dict[str, str] | None = None,
) -> Chart:
    """The series as a line with its points, the target as a dashed line (and its year marked).

    ``labels`` names the legend entries; without a Chinese font they fall back to English so
    the chart never shows empty boxes for missing glyphs.
    """
    font = find_cjk_font()
    words = {
        "actual": "实际值" if font else "actual",
        "target": "目标值" if font else "target",
        "baseline": "基期值" if font else "baseline",
        **(labels or {}),
    }
    fig = Figure(figsize=(6.4, 3.2), dpi=150)
    ax = fig.add_subplot()
    family = [font] if font else None
    points = [(y, float(v)) for y, v in zip(years, values, strict=True) if v is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", color=LINE, linewidth=2, label=words["actual"])
        for x, y in points:
            ax.annotate(
                f"{y:.{decimals}f}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    if baseline is not None:
        ax.scatter(
            [baseline[0]], [float(baseline[1])], color=BAR, zorder=3, label=words["baseline"]
        )
    if target is not None:
        ax.axhline(
            float(target), color=TARGET, linestyle="--", linewidth=1.5, label=words["target"]
        )
        if target_year is not None:
            ax.scatter([target_year], [float(target)], marker="*", s=90, color=TARGET, zorder=3)
    ax.set_xticks(list(years))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel("年份" if font else "year", fontfamily=family)
    ax.set_ylabel(unit if font or unit.isascii() else "", fontfamily=family)
    ax.set_title(title if font else "", fontfamily=family, fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if points or target is not None:
        ax.legend(prop={"family": font, "size": 8} if font else {"size": 8}, frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return Chart(out.getvalue(), font is not None)
