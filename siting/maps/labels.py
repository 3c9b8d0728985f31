"""Labels of the static maps: site names beside their markers, province names.

A site label never sits on its own marker: :func:`label_offsets`, in points
on the page, tries eight directions around the marker at its radius plus a
gap and keeps the one that overlaps the fewest markers and labels placed
before it (the largest site is placed first) and any further obstacles,
such as the battery squares of :mod:`siting.maps.overlays` (which are placed
the same way); a thin leader line joins the label to the marker's edge and
a translucent white box keeps it readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from siting.maps.projection import project
from siting.maps.style import ResultLike, SizeScale

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

_FONTSIZE = 6.5  # [pt]
_GAP_PT = 6.0  # from a marker's edge to its label [pt], spanned by the leader line
# a translucent white box behind each label keeps it readable (a stroke halo would turn SVG text into outlines)
_HALO = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}

# directions tried, in order of preference: the four diagonals, then the sides
_DIRECTIONS = ((1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
_HA = {1: "left", 0: "center", -1: "right"}
_VA = {1: "bottom", 0: "center", -1: "top"}


# ---------------------------------------------------------------- drawing
def draw_site_labels(
    ax: Axes,
    result: ResultLike,
    scale: SizeScale,
    lang: str,
    obstacles: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """The name of each built site beside its marker, largest site first, with a leader line to the marker's edge.

    ``obstacles`` are further circles the labels avoid: centres (m, 2) [pt on
    the page] and radii (m,) [pt].

    Call it once the axes limits are set: the labels are placed in points on the page. Chinese
    names (``lang="zh"``) come from ``result.scenario.sites["name_zh"]``, the English name where
    there is none. Each label is an annotation with ``gid`` ``"label:<site>"``.
    """
    sites = result.sites[result.sites["it_capacity_mw"] > 0].sort_values("it_capacity_mw", ascending=False)
    names = [str(s) for s in sites.index]
    if lang == "zh" and "name_zh" in result.scenario.sites.columns:
        zh = result.scenario.sites["name_zh"].reindex(sites.index)
        names = [z if isinstance(z, str) and z else n for n, z in zip(names, zh)]
    x, y = project(sites["lon"], sites["lat"])
    xy_pt = ax.transData.transform(np.column_stack([x, y])) * 72.0 / ax.figure.dpi
    radius_pt = np.sqrt(scale.area(sites["it_capacity_mw"].to_numpy())) / 2  # scatter size is the marker's area
    size_pt = np.array([text_size_pt(n, _FONTSIZE) for n in names]).reshape(-1, 2)
    placements = label_offsets(xy_pt, radius_pt, size_pt, _GAP_PT, obstacles=obstacles)
    for site, name, xi, yi, r, (offset, ha, va) in zip(sites.index, names, x, y, radius_pt, placements):
        ax.annotate(
            name,
            (xi, yi),
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=_FONTSIZE,
            color="#222222",
            zorder=4,
            gid=f"label:{site}",
            bbox=_HALO,
            arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.5, "shrinkA": 0, "shrinkB": float(r)},
        )


def draw_province_labels(ax: Axes, gdf: gpd.GeoDataFrame, lang: str) -> None:
    """Each province's name (``name_zh`` for ``lang="zh"``) at a point inside it; ``gid`` ``"label:<province>"``."""
    for province, point in gdf.geometry.representative_point().items():
        ax.annotate(
            gdf.at[province, "name_zh"] if lang == "zh" else province,
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=_FONTSIZE,
            color="#222222",
            zorder=4,
            gid=f"label:{province}",
            bbox=_HALO,
        )


# ---------------------------------------------------------------- placement
def text_size_pt(text: str, fontsize: float) -> tuple[float, float]:
    """Approximate width and height [pt] of a one-line text: CJK glyphs 1 em wide, others 0.6 em."""
    ems = sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text)
    return ems * fontsize, 1.2 * fontsize


def label_offsets(
    xy_pt: np.ndarray,
    radius_pt: np.ndarray,
    size_pt: np.ndarray,
    gap_pt: float,
    obstacles: tuple[np.ndarray, np.ndarray] | None = None,
    directions: tuple[tuple[int, int], ...] = _DIRECTIONS,
) -> list[tuple[tuple[float, float], str, str]]:
    """Offset [pt] and alignment of each label, placed in the order given (the largest site first).

    Parameters
    ----------
    xy_pt : numpy.ndarray
        Marker centres, shape (n, 2) [pt on the page].
    radius_pt : numpy.ndarray
        Marker radii, shape (n,) [pt].
    size_pt : numpy.ndarray
        Label widths and heights, shape (n, 2) [pt].
    gap_pt : float
        Distance from a marker's edge to its label's anchor [pt].
    obstacles : (numpy.ndarray, numpy.ndarray), optional
        Further circles the labels avoid, centres (m, 2) and radii (m,)
        [pt], such as the battery squares.
    directions : tuple of (int, int)
        Directions tried, in order of preference, each component -1, 0 or
        1. Default: the four diagonals from the upper right, then the sides.

    Returns
    -------
    list of ((float, float), str, str)
        Per label: the offset of its anchor from its marker's centre [pt],
        and the horizontal and vertical alignment that put the text on the
        far side of the anchor, so that it never covers its own marker.
    """
    xy_pt, radius_pt, size_pt = np.asarray(xy_pt, float), np.asarray(radius_pt, float), np.asarray(size_pt, float)
    if obstacles is not None:
        centres = np.concatenate([xy_pt.reshape(-1, 2), np.asarray(obstacles[0], float).reshape(-1, 2)])
        radii = np.concatenate([radius_pt.reshape(-1), np.asarray(obstacles[1], float).reshape(-1)])
    else:
        centres, radii = xy_pt, radius_pt
    placed: list[np.ndarray] = []  # boxes x0, y0, x1, y1 [pt]
    out = []
    for i in range(len(xy_pt)):
        best: tuple[int, np.ndarray, tuple[float, float], int, int] | None = None
        for dx, dy in directions:
            reach = radius_pt[i] + gap_pt
            offset = (dx * reach / np.hypot(dx, dy), dy * reach / np.hypot(dx, dy))
            box = _box(xy_pt[i] + offset, size_pt[i], dx, dy)
            clashes = _covered_markers(box, centres, radii) + sum(_overlap(box, b) for b in placed)
            if best is None or clashes < best[0]:
                best = (clashes, box, offset, dx, dy)
            if clashes == 0:
                break
        _, box, offset, dx, dy = best
        placed.append(box)
        out.append((offset, _HA[dx], _VA[dy]))
    return out


def _box(anchor: np.ndarray, size: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """The box of a text at ``anchor`` extending away from the marker in direction (dx, dy)."""
    w, h = size
    x0 = anchor[0] - w * (1 - dx) / 2
    y0 = anchor[1] - h * (1 - dy) / 2
    return np.array([x0, y0, x0 + w, y0 + h])


def _covered_markers(box: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> int:
    """How many of the circles (``centres``, ``radii``) the box overlaps."""
    nearest = np.clip(centres, box[:2], box[2:])
    return int((np.hypot(*(nearest - centres).T) < radii).sum())


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
