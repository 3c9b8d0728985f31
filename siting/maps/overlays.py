"""Storage and transmission on the static maps: battery squares and UHV corridor lines, and their legends.

- **Batteries**: each site with a battery (``battery_mw`` or ``battery_mwh``
  above 0, :func:`siting.maps.values.batteries`) gets a teal square
  (:data:`~siting.maps.style.BATTERY_COLOR`) just off its marker, at the
  lower left where that covers no other marker, its area ∝ the battery's
  energy [MWh]; the squares are sized in points, so they keep their place
  beside the marker at any zoom, and the site labels avoid them. Nothing is
  drawn when no site has a battery.
- **Corridors**: each corridor of ``result.corridors`` whose peak flow
  ``peak_flow_mw`` is above 0 is a dark orange line
  (:data:`~siting.maps.style.CORRIDOR_COLOR`) from the sending to the
  receiving province's capital, its width ∝ the peak flow; unused corridors
  are thin grey dashed lines. Both lie over the provinces and under the data
  flows and sites. Nothing is drawn for a result without corridors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from siting.maps.labels import label_offsets
from siting.maps.projection import project
from siting.maps.style import (
    BATTERY_COLOR,
    BATTERY_EDGE,
    CORRIDOR_COLOR,
    CORRIDOR_UNUSED_COLOR,
    ResultLike,
    SizeScale,
    text,
)
from siting.maps.values import batteries, corridor_ends

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

_BATTERY_GAP_PT = 1.0  # from a site marker's edge to its battery square [pt]
# directions tried for a battery square: the lower left first, the upper right (the labels' first choice) last
_BATTERY_DIRECTIONS = ((-1, -1), (1, -1), (-1, 1), (-1, 0), (0, -1), (1, 0), (0, 1), (1, 1))
_AWAY = {"left": 1, "right": -1, "bottom": 1, "top": -1, "center": 0}  # alignment -> side of the anchor the box is on
_CORRIDOR_ZORDER = 1.8  # over the provinces (1) and their hatching (1.5), under the flows (2-2.5) and sites (3)
_UNUSED_WIDTH_PT = 0.8


def draw_batteries(ax: Axes, result: ResultLike, scale: SizeScale) -> tuple[np.ndarray, np.ndarray]:
    """A square beside each site with a battery, area ∝ MWh; one collection, ``gid`` ``"batteries"``.

    Call it once the axes limits are set: the squares are placed in points
    on the page, like the site labels (:func:`siting.maps.labels.label_offsets`),
    the largest battery first, each just off its site's marker on the side
    that covers the fewest other markers and squares (the lower left when
    free, leaving the upper right to the labels). Each square is its own
    path in points around its site (the collection's offsets), so it stays
    beside its marker at any figure size.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Centres (n, 2) [pt on the page] and radii (n,) [pt] of circles
        around the squares, for the site labels to avoid; empty without
        batteries (nothing is drawn then).
    """
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path
    from matplotlib.transforms import IdentityTransform

    store = batteries(result).sort_values("battery_mwh", ascending=False)
    if not len(store):
        return np.zeros((0, 2)), np.zeros(0)
    built = result.sites[result.sites["it_capacity_mw"] > 0]

    def page_pt(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        x, y = project(table["lon"], table["lat"])
        xy = np.column_stack([x, y])
        return xy, (ax.transData.transform(xy) * 72.0 / ax.figure.dpi).reshape(-1, 2)

    xy, xy_pt = page_pt(store)
    radius_pt = np.sqrt(np.atleast_1d(scale.area(store["it_capacity_mw"].to_numpy()))) / 2
    sides = np.atleast_1d(scale.battery_side(store["battery_mwh"].to_numpy()))
    others = (page_pt(built)[1], np.sqrt(np.atleast_1d(scale.area(built["it_capacity_mw"].to_numpy()))) / 2)
    placements = label_offsets(
        xy_pt, radius_pt, np.column_stack([sides, sides]), _BATTERY_GAP_PT, obstacles=others,
        directions=_BATTERY_DIRECTIONS,
    )
    # the square's centre: its anchor corner or edge, moved half a side away from the marker
    centres = np.array([
        (ox + _AWAY[ha] * side / 2, oy + _AWAY[va] * side / 2) for ((ox, oy), ha, va), side in zip(placements, sides)
    ])
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    squares = PathCollection(
        [Path(c + side * unit, codes) for c, side in zip(centres, sides)],
        sizes=[1.0],  # paths in points: a size of 1 pt² scales them by 1 pt
        offsets=xy,
        offset_transform=ax.transData,
        facecolors=BATTERY_COLOR,
        edgecolors=BATTERY_EDGE,
        linewidths=0.6,
        zorder=3.1,
    )
    squares.set_transform(IdentityTransform())  # as a scatter's: the paths in points (scaled by dpi / 72), not data
    squares.set_gid("batteries")
    ax.add_collection(squares, autolim=False)
    return xy_pt + centres, sides / np.sqrt(2.0)


def draw_corridors(ax: Axes, result: ResultLike, scale: SizeScale) -> None:
    """Used corridors (``gid`` ``"corridors:used"``), width ∝ peak flow, and unused ones (``"corridors:unused"``)."""
    from matplotlib.collections import LineCollection

    ends = corridor_ends(result)
    if not len(ends):
        return
    x0, y0 = project(ends["lon0"].astype(float), ends["lat0"].astype(float))
    x1, y1 = project(ends["lon1"].astype(float), ends["lat1"].astype(float))
    segments = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1)
    used = ends["used"].to_numpy(dtype=bool)
    if (~used).any():
        idle = LineCollection(
            segments[~used],
            linewidths=_UNUSED_WIDTH_PT,
            colors=CORRIDOR_UNUSED_COLOR,
            linestyles=(0, (4, 3)),
            zorder=_CORRIDOR_ZORDER - 0.05,
        )
        idle.set_gid("corridors:unused")
        ax.add_collection(idle, autolim=False)
    if used.any():
        lines = LineCollection(
            segments[used],
            linewidths=scale.corridor_width(ends.loc[used, "peak_flow_mw"].to_numpy()),
            colors=CORRIDOR_COLOR,
            capstyle="round",
            zorder=_CORRIDOR_ZORDER,
        )
        lines.set_gid("corridors:used")
        ax.add_collection(lines, autolim=False)


def has_unused_corridors(results: list[ResultLike]) -> bool:
    """Whether any of ``results`` has a corridor left unused."""
    return any(len(e := corridor_ends(r)) and not e["used"].all() for r in results)


# ---------------------------------------------------------------- legends
def battery_handles(scale: SizeScale, lang: str, samples: list[float]) -> list[Line2D]:
    """Legend entries of the battery squares at the energies ``samples`` [MWh]: ``"Battery 2,000 MWh"``."""
    from matplotlib.lines import Line2D

    if scale.battery_max_mwh <= 0:
        return []
    return [
        Line2D([], [], ls="", marker="s", ms=float(scale.battery_side(mwh)), mfc=BATTERY_COLOR, mec=BATTERY_EDGE,
               mew=0.6, label=f"{text('battery', lang)} {mwh:,.0f} MWh")
        for mwh in samples
    ]


def corridor_group(
    scale: SizeScale, lang: str, samples: list[float], unused: bool
) -> list[tuple[str, list[Line2D]]]:
    """The titled legend group of the corridors: reference widths at ``samples`` [MW] shown in GW, and unused ones.

    Empty when no corridor carries power and none is unused.
    """
    from matplotlib.lines import Line2D

    handles = []
    if scale.corridor_max_mw > 0:
        handles += [
            Line2D([], [], color=CORRIDOR_COLOR, lw=float(scale.corridor_width(mw)), label=f"{mw / 1e3:,.3g} GW")
            for mw in samples
        ]
    if unused:
        handles.append(Line2D([], [], color=CORRIDOR_UNUSED_COLOR, lw=_UNUSED_WIDTH_PT, ls=(0, (4, 3)),
                              label=text("corridor:unused", lang)))
    return [(text("corridors", lang), handles)] if handles else []
