"""Legends of the static maps: the colour bar, and the legend entries of sites, flows, batteries and corridors.

:func:`legend_groups` gives titled groups of entries: sites (roles, unused
candidates, reference sizes and, when any site has a battery, reference
battery squares), flows (workload colours and reference widths) and, when
the results have corridors, corridors (reference widths in GW, unused
ones). Every text follows ``lang``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from siting.maps.overlays import battery_handles, corridor_group, has_unused_corridors
from siting.maps.style import (
    ESTIMATE_HATCH,
    ROLE_COLORS,
    UNUSED_COLOR,
    ResultLike,
    SizeScale,
    label,
    text,
    workload_colors,
    workload_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

#: Where the legend groups of one map go: sites, flows, corridors.
AXES_LOCATIONS = ("lower right", "lower left", "upper left")
#: Where they go beside two maps side by side.
FIGURE_LOCATIONS = ("outside right upper", "outside right lower", "outside center right")


def colorbar(ax: Axes, colors: Colormap, norm: Normalize, name: str, axes: list[Axes], lang: str) -> Axes:
    """A horizontal colour bar under ``axes`` labelled with the quantity and its unit; its axes."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.ticker import FuncFormatter

    caption, factor = label(name, lang)
    bar = ax.figure.colorbar(
        ScalarMappable(norm=norm, cmap=colors), ax=axes, orientation="horizontal", shrink=0.5, pad=0.02, aspect=40
    )
    bar.set_label(caption)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v * factor:,.4g}"))
    return bar.ax


def legends(ax: Axes, result: ResultLike, scale: SizeScale, flows: bool, lang: str) -> None:
    """Sites legend at the lower right of the map, flows at the lower left, corridors at the upper left."""
    style = {"fontsize": 7, "title_fontsize": 8, "labelspacing": 1.0, "framealpha": 0.9}
    workloads = list(result.scenario.workloads.index)
    for (title, handles), loc in zip(legend_groups([result], workloads, scale, flows, lang), AXES_LOCATIONS):
        ax.add_artist(ax.legend(handles=handles, title=title, loc=loc, **style))


def legend_groups(
    results: list[ResultLike], workloads: list[str], scale: SizeScale, flows: bool, lang: str
) -> list[tuple[str, list[Line2D]]]:
    """Titled groups of legend handles in language ``lang``: sites, flows (with ``flows``), corridors (if any)."""
    from matplotlib.lines import Line2D

    def dot(color: str, size_pt2: float, caption: str, edge: str = "white") -> Line2D:
        return Line2D([], [], ls="", marker="o", ms=np.sqrt(size_pt2), mfc=color, mec=edge, label=caption)

    sites = [
        dot(ROLE_COLORS["east"], 64, text("site:east", lang)),
        dot(ROLE_COLORS["west"], 64, text("site:west", lang)),
        dot("none", 12, text("site:unused", lang), edge=UNUSED_COLOR),
    ]
    sites += [dot("#bbbbbb", float(scale.area(mw)), f"{mw:,.0f} MW") for mw in samples(scale.capacity_max_mw)]
    sites += battery_handles(scale, lang, samples(scale.battery_max_mwh))
    groups = [(text("sites", lang), sites)]
    if flows:
        colors = workload_colors(workloads)
        lines = [Line2D([], [], color=c, lw=2.5, label=workload_label(w, lang)) for w, c in colors.items()]
        lines += [
            Line2D([], [], color="#777777", lw=float(scale.width(mw)), label=f"{mw:,.0f} MW")
            for mw in samples(scale.flow_max_mw)
        ]
        groups.append((text("flows", lang), lines))
    return groups + corridor_group(scale, lang, samples(scale.corridor_max_mw), has_unused_corridors(results))


def estimate_handle(lang: str) -> Patch:
    """The legend entry of the hatching over estimated provinces."""
    from matplotlib.patches import Patch

    hatch, color = ESTIMATE_HATCH
    return Patch(facecolor="white", edgecolor=color, hatch=hatch, hatch_linewidth=0.5, linewidth=0.5,
                 label=text("estimate", lang))


def samples(max_value: float) -> list[float]:
    """Two round legend values spanning the range up to ``max_value``; none when it is 0."""
    return sorted({_nice(max_value / 4), _nice(max_value)} - {0.0})


def _nice(x: float) -> float:
    """Round down to one significant digit of 1, 2 or 5."""
    if x <= 0:
        return 0.0
    e = 10.0 ** np.floor(np.log10(x))
    return float(max(m for m in (1.0, 2.0, 5.0, 10.0) if m * e <= x * 1.0000001) * e)
