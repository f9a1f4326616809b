"""Charts as PNG, drawn by matplotlib (Agg) with a CJK font found by fontconfig.

matplotlib rather than Pillow: axes, ticks, legends and label layout come with it; the cost is
its import (about 1 s, once per process) and some 50–80 ms a chart at 150 dpi.
"""

import functools
import io
import subprocess
from pathlib import Path

# A chart in the Word file is 15 cm wide (the type area of GB/T 9704 is 15.6 cm).
WIDTH_IN, HEIGHT_IN, DPI = 6.0, 3.2, 150
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
COLOURS = ["#c0392b", "#2e6da4", "#e6a23c", "#3c8d5a", "#7b5ea7", "#8c8c8c"]


@functools.cache
def cjk_font() -> str | None:
    """The file of a CJK font: fontconfig's choice for Chinese, or None when there is none."""
    for pattern in (*CJK_FAMILIES, ":lang=zh-cn"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}\n%{lang}", pattern], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        path, _, langs = found.partition("\n")
        if path and Path(path).exists() and "zh-cn" in langs.split("|"):
            return path
    return None


@functools.cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = cjk_font()
    if path:
        font_manager.fontManager.addfont(path)
        name = font_manager.FontProperties(fname=path).get_name()
        matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["font.size"] = 9
    return plt


def png(chart: dict) -> bytes:
    """The chart ({title, labels, series, unit, kind}) as PNG bytes."""
    plt = _pyplot()
    labels, series, kind = chart["labels"], chart["series"], chart["kind"]
    height = HEIGHT_IN if kind != "barh" else max(HEIGHT_IN, 0.3 * len(labels) + 0.8)
    figure, axes = plt.subplots(figsize=(WIDTH_IN, height), dpi=DPI)
    try:
        positions = list(range(len(labels)))
        count = max(len(series), 1)
        width = 0.8 / count
        for i, (name, values) in enumerate(series.items()):
            colour = COLOURS[i % len(COLOURS)]
            numbers = [0 if v is None else v for v in values]
            if kind == "line":
                axes.plot(positions, [float("nan") if v is None else v for v in values], marker="o",
                          color=colour, label=name)  # fmt: skip
            elif kind == "barh":
                offsets = [p + (i - (count - 1) / 2) * width for p in positions]
                axes.barh(offsets, numbers, height=width, color=colour, label=name)
            else:
                offsets = [p + (i - (count - 1) / 2) * width for p in positions]
                axes.bar(offsets, numbers, width=width, color=colour, label=name)
        unit = f"（{chart['unit']}）" if chart["unit"] else ""
        if kind == "barh":
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_xlabel(unit)
        else:
            axes.set_xticks(
                positions,
                labels,
                rotation=30 if len(labels) > 6 else 0,
                ha="right" if len(labels) > 6 else "center",
            )
            axes.set_ylabel(unit)
        axes.set_title(chart["title"])
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False)
        # Fixed margins, not tight_layout (which draws the figure once more to measure it):
        # room on the left for the longest label of a horizontal bar chart.
        longest = max((len(label) for label in labels), default=0)
        left = min(0.45, 0.05 + 0.022 * longest) if kind == "barh" else 0.1
        bottom = 0.25 if kind != "barh" and len(labels) > 6 else 0.14
        figure.subplots_adjust(left=left, right=0.97, top=0.88, bottom=bottom)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        return out.getvalue()
    finally:
        plt.close(figure)


def cached_png(chart: dict) -> bytes:
    """``png(chart)``, drawn once per chart of a report (its HTML and Word share it)."""
    if "png" not in chart:
        chart["png"] = png(chart)
    return chart["png"]
