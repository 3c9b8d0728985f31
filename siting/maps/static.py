"""Static maps (matplotlib) of results and inputs, in the equal-area projection :data:`~siting.maps.CRS`.

- :func:`plot`: one result; provinces as a choropleth of a result column,
  sites as markers sized by IT capacity and coloured east / west, and flows
  from each demand origin to the site serving it, their width following the
  MW served and their colour the workload class; when the result has them,
  batteries as squares beside their sites and UHV corridors as dark orange
  lines between province capitals (:mod:`siting.maps.overlays`);
- :func:`plot_provinces`: any province-level input (electricity price, grid
  emission factor, renewable share, water stress, ...) the same way,
  provinces whose value is an estimate hatched;
- :func:`compare`: two results side by side on one colour scale (east-only
  versus East Data, West Computing);
- :func:`save`: :func:`plot` written to PNG, SVG (text kept as text) or PDF.

Province values follow :mod:`siting.maps.values`; the colour map of each
quantity is :data:`siting.maps.style.COLORMAPS`. With ``lang="zh"`` every
text a map draws is Chinese: title, legends, colour bar and labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siting.errors import InputError
from siting.maps.labels import draw_province_labels, draw_site_labels
from siting.maps.legends import (
    FIGURE_LOCATIONS,
    colorbar,
    estimate_handle,
    legend_groups,
    legends,
)
from siting.maps.overlays import draw_batteries, draw_corridors
from siting.maps.projection import geometry_path, project, projected
from siting.maps.style import (
    ESTIMATE_HATCH,
    NO_DATA_COLOR,
    ROLE_COLORS,
    UNUSED_COLOR,
    ResultLike,
    SizeScale,
    as_colormap,
    color_norm,
    label,
    label_font,
    text,
    workload_colors,
)
from siting.maps.values import (
    estimated,
    flow_ends,
    input_values,
    is_extensive,
    result_values,
    value_name,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure

_SAVE_FORMATS = (".png", ".svg", ".pdf")


# ---------------------------------------------------------------- public API
def plot(
    result: ResultLike,
    column: str | pd.Series = "it_capacity_mw",
    ax: Axes | None = None,
    flows: bool = True,
    labels: bool = False,
    lang: str = "en",
    *,
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    legend: bool = True,
    min_flow_mw: float = 0.0,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Axes:
    """Map one result: province choropleth, sites and flows, batteries and corridors.

    Sites with a battery (``battery_mw`` or ``battery_mwh`` of
    ``result.sites`` above 0) get a teal square at the lower left of their
    marker, its area ∝ MWh, with reference squares in the sites legend
    ("Battery 2,000 MWh"). The corridors of ``result.corridors`` that carry
    power are dark orange lines from the sending to the receiving
    province's capital, width ∝ peak flow, under the flows and sites, with
    reference widths in GW in a legend of their own; unused corridors are
    thin grey dashed lines. ``column="curtailment_absorbed_mwh"`` maps the
    curtailed wind and solar absorbed in each province (greens).

    Parameters
    ----------
    result : Result
        A solved scenario.
    column : str or pandas.Series
        Province colour: a numeric column of ``result.sites`` aggregated by
        province (see :mod:`siting.maps.values`: extensive columns summed,
        ``green_share`` and ``pue`` weighted by IT capacity), or values
        indexed by province name. Default: built IT capacity [MW].
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure (10 x 8 in) is made if omitted.
    flows : bool
        Draw a line from each demand origin (its province capital) to the
        site serving it; width ∝ MW served, colour = workload class, the
        classes opaque and stacked (the first class on top).
    labels : bool
        Write the name of each built site beside its marker, with a thin
        leader line, placed clear of the other markers where there is room.
    lang : {"en", "zh"}
        Language of every text: title, legends, colour bar and labels
        (Chinese site names from ``result.scenario.sites["name_zh"]``);
        ``"zh"`` needs a CJK font.
    cmap : str or matplotlib.colors.Colormap, optional
        Colour map of the choropleth. Default: the quantity's, from
        :data:`siting.maps.style.COLORMAPS` (emissions red, green share
        green, costs ``cividis``, capacity and energy ``YlGn``, ...).
    vmin, vmax : float, optional
        Ends of the colour scale, in the column's unit (e.g. [MW]). Default:
        0 (extensive columns) or the smallest value, and the largest value.
    title : str, optional
        Default: ``"<scenario name>: <column label>"``.
    legend : bool
        Draw the colour bar and the legends of sites, flows and corridors.
    min_flow_mw : float
        Hide flows smaller than this [MW].
    boundaries : geopandas.GeoDataFrame, optional
        Province polygons (see :func:`siting.datasets.boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        With one patch per province (``gid`` ``"province:<name>"``), one
        scatter per site group (``gid`` ``"sites:east"``, ``"sites:west"``,
        ``"sites:unused"`` for candidate sites left empty), one line
        collection per workload class (``gid`` ``"flows:<workload>"``), when
        the result has them one collection of battery squares (``gid``
        ``"batteries"``) and the used and the unused corridors (``gid``
        ``"corridors:used"``, ``"corridors:unused"``) and, with ``labels``,
        one annotation per built site (``gid`` ``"label:<site>"``). The
        colour bar is an axes of its own.

    Raises
    ------
    InputError
        On an unknown column, colour map, language or province.
    SitingError
        With ``lang="zh"`` when no CJK font is installed.
    """
    values, name = result_values(result, column), value_name(column)
    colors, family = as_colormap(cmap, name), label_font(lang)
    ax = _new_axes(ax)
    norm = color_norm(values, vmin, vmax, extensive=is_extensive(name))
    scale = SizeScale.of([result], min_flow_mw)
    _draw_result(ax, result, values, colors, norm, scale, flows=flows, labels=labels, lang=lang, boundaries=boundaries)
    ax.set_title(title if title is not None else f"{result.scenario.name}: {label(name, lang)[0]}")
    drawn = [ax]
    if legend:
        drawn.append(colorbar(ax, colors, norm, name, [ax], lang))
        legends(ax, result, scale, flows, lang)
    _use_font(drawn, family)
    return ax


def plot_provinces(
    column: str | pd.Series,
    data: pd.DataFrame | None = None,
    ax: Axes | None = None,
    *,
    labels: bool = False,
    lang: str = "en",
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    legend: bool = True,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Axes:
    """Map a province-level quantity, such as an input of the model.

    Provinces whose value of ``column`` is an estimate (its status or source
    column says so, see :mod:`siting.maps.values`) are hatched, with a
    legend entry "estimate".

    Parameters
    ----------
    column : str or pandas.Series
        A numeric column of ``data`` (``"electricity_price_cny_per_kwh"``,
        ``"grid_ef_t_co2_per_mwh"``, ``"renewable_share"``,
        ``"water_stress"``, ...), or values indexed by province name (e.g.
        the site PUE: ``scenario.sites.groupby("province")["pue"].mean()``).
    data : pandas.DataFrame, optional
        Province table. Default: :func:`siting.datasets.provinces`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    labels : bool
        Write the province names.
    lang : {"en", "zh"}
        Language of every text (province names from ``name_zh``); ``"zh"``
        needs a CJK font.
    cmap : str or matplotlib.colors.Colormap, optional
        Colour map. Default: the quantity's, from
        :data:`siting.maps.style.COLORMAPS`.
    vmin, vmax : float, optional
        Ends of the colour scale in the column's unit. Default: the data
        range.
    title : str, optional
        Default: the column's label.
    legend : bool
        Draw the colour bar (labelled with the unit) and, if any province
        is hatched, the "estimate" legend.
    boundaries : geopandas.GeoDataFrame, optional
        Province polygons (see :func:`siting.datasets.boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        With one patch per province (``gid`` ``"province:<name>"``), one
        hatched patch over each estimated province (``gid``
        ``"estimate:<name>"``) and, with ``labels``, one text per province
        (``gid`` ``"label:<name>"``).

    Raises
    ------
    InputError
        If ``column`` is not a numeric column of ``data`` (the message lists
        the valid ones) or names an unknown province; on an unknown colour
        map or language.
    SitingError
        With ``lang="zh"`` when no CJK font is installed.
    """
    values, name = input_values(column, data), value_name(column)
    colors, family = as_colormap(cmap, name), label_font(lang)
    ax = _new_axes(ax)
    norm = color_norm(values, vmin, vmax, extensive=False)
    gdf = projected(boundaries)
    _draw_provinces(ax, gdf, values, colors, norm)
    estimates = _draw_estimates(ax, gdf, estimated(column, data))
    if labels:
        draw_province_labels(ax, gdf, lang)
    _frame(ax, gdf)
    ax.set_title(title if title is not None else label(name, lang)[0])
    drawn = [ax]
    if legend:
        drawn.append(colorbar(ax, colors, norm, name, [ax], lang))
        if estimates:
            ax.legend(handles=[estimate_handle(lang)], loc="lower left", fontsize=8, framealpha=0.9)
    _use_font(drawn, family)
    return ax


def compare(
    result_a: ResultLike,
    result_b: ResultLike,
    column: str | pd.Series = "it_capacity_mw",
    *,
    flows: bool = True,
    labels: bool = False,
    lang: str = "en",
    cmap: str | Colormap | None = None,
    titles: tuple[str, str] | None = None,
    min_flow_mw: float = 0.0,
    boundaries: gpd.GeoDataFrame | None = None,
    figsize: tuple[float, float] = (16.0, 7.0),
) -> Figure:
    """Two results side by side on one colour scale, e.g. east-only vs. EDWC.

    Colours, marker sizes and flow widths share one scale across both maps,
    so equal values look equal.

    Parameters
    ----------
    result_a, result_b : Result
        The results, drawn left and right.
    column : str or pandas.Series
        Province colour, as in :func:`plot`.
    flows, labels, lang, cmap, min_flow_mw, boundaries
        As in :func:`plot`.
    titles : tuple of str, optional
        Panel titles. Default: the scenario names.
    figsize : tuple of float
        Figure width and height [in].

    Returns
    -------
    matplotlib.figure.Figure
        Two map axes (and one colour bar).

    Raises
    ------
    InputError
        On an unknown column, colour map, language or province.
    SitingError
        With ``lang="zh"`` when no CJK font is installed.
    """
    import matplotlib.pyplot as plt

    results = (result_a, result_b)
    values, name = [result_values(r, column) for r in results], value_name(column)
    colors, family = as_colormap(cmap, name), label_font(lang)
    norm = color_norm(pd.concat(values), None, None, extensive=is_extensive(name))
    scale = SizeScale.of(results, min_flow_mw)
    fig, axes = plt.subplots(1, 2, figsize=figsize, layout="constrained")
    titles = titles or (result_a.scenario.name, result_b.scenario.name)
    for ax, r, v, t in zip(axes, results, values, titles):
        _draw_result(ax, r, v, colors, norm, scale, flows=flows, labels=labels, lang=lang, boundaries=boundaries)
        ax.set_title(t)
    colorbar(axes[0], colors, norm, name, list(axes), lang)
    workloads = list(dict.fromkeys([*result_a.scenario.workloads.index, *result_b.scenario.workloads.index]))
    groups = legend_groups(list(results), workloads, scale, flows, lang)
    for (title, handles), loc in zip(groups, FIGURE_LOCATIONS):
        fig.legend(handles=handles, title=title, loc=loc, fontsize=8, title_fontsize=9, labelspacing=1.0)
    fig.suptitle(f"{label(name, lang)[0]}: {titles[0]} {text('vs', lang)} {titles[1]}")
    _use_font([fig], family)
    return fig


def save(result: ResultLike, path: str | Path, *, dpi: float = 150, **plot_kwargs: Any) -> Path:
    """Write the static map of :func:`plot` to a file.

    Parameters
    ----------
    result : Result
        A solved scenario.
    path : str or Path
        Target file; the format follows the suffix: ``.png``, ``.svg`` or
        ``.pdf``. An SVG keeps its text as ``<text>`` elements (editable,
        searchable), in the fonts named by the figure.
    dpi : float
        Resolution of a PNG [dots per inch].
    **plot_kwargs
        Passed to :func:`plot` (``column``, ``flows``, ``labels``, ``lang``,
        ``cmap``, ...).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        On an unsupported suffix, or a file that cannot be written; as
        :func:`plot`.
    SitingError
        As :func:`plot`.
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    path = Path(path)
    if path.suffix.lower() not in _SAVE_FORMATS:
        raise InputError(f"{path.name}: unsupported map format {path.suffix!r}; use one of {list(_SAVE_FORMATS)}")
    fig = Figure(figsize=(10, 8), layout="constrained")
    plot(result, ax=fig.add_subplot(), **plot_kwargs)
    try:
        with mpl.rc_context({"svg.fonttype": "none"}):  # SVG text as <text>, not glyph outlines
            fig.savefig(path, dpi=dpi)
    except OSError as exc:  # no such folder, a file in the way, no permission
        raise InputError(f"{path}: cannot write the map ({exc})") from exc
    return path


# ---------------------------------------------------------------- drawing
def _use_font(drawn: list[Artist], family: str | None) -> None:
    """Set every text of the ``drawn`` axes or figure in ``family`` (if any), DejaVu Sans for glyphs it lacks."""
    from matplotlib.text import Text

    if family is not None:
        for artist in drawn:
            for t in artist.findobj(Text):
                t.set_fontfamily([family, "DejaVu Sans"])


def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(10, 8), layout="constrained")[1]


def _draw_result(
    ax: Axes,
    result: ResultLike,
    values: pd.Series,
    colors: Colormap,
    norm: Normalize,
    scale: SizeScale,
    *,
    flows: bool,
    labels: bool,
    lang: str,
    boundaries: gpd.GeoDataFrame | None,
) -> None:
    """Provinces coloured by ``values``, then corridors, flows, sites, batteries and site labels on top."""
    gdf = projected(boundaries)
    _draw_provinces(ax, gdf, values, colors, norm)
    draw_corridors(ax, result, scale)
    if flows:
        _draw_flows(ax, result, scale)
    _draw_sites(ax, result.sites, scale)
    _frame(ax, gdf)
    squares = draw_batteries(ax, result, scale)  # placed, like the labels, once the limits are set
    if labels:
        draw_site_labels(ax, result, scale, lang, obstacles=squares)


def _draw_provinces(ax: Axes, gdf: gpd.GeoDataFrame, values: pd.Series, colors: Colormap, norm: Normalize) -> None:
    from matplotlib.patches import PathPatch

    v = values.reindex(gdf.index)
    for province, geom in gdf.geometry.items():
        x = v[province]
        patch = PathPatch(
            geometry_path(geom),
            facecolor=colors(norm(x)) if np.isfinite(x) else NO_DATA_COLOR,
            edgecolor="#606060",
            linewidth=0.4,
            zorder=1,
        )
        patch.set_gid(f"province:{province}")
        ax.add_artist(patch)  # add_patch's data limits walk every vertex; _frame sets them at once


def _draw_estimates(ax: Axes, gdf: gpd.GeoDataFrame, estimate: pd.Series) -> bool:
    """Hatch the provinces whose value is an estimate; whether there is any."""
    from matplotlib.patches import PathPatch

    hatch, color = ESTIMATE_HATCH
    hatched = [p for p in gdf.index if estimate.get(p, False)]
    for province in hatched:
        patch = PathPatch(
            geometry_path(gdf.geometry[province]),
            facecolor="none",
            edgecolor=color,
            hatch=hatch,
            hatch_linewidth=0.5,
            linewidth=0,
            zorder=1.5,
        )
        patch.set_gid(f"estimate:{province}")
        ax.add_artist(patch)
    return bool(hatched)


def _draw_flows(ax: Axes, result: ResultLike, scale: SizeScale) -> None:
    """One opaque line collection per workload class, from origin capital to site, the first class on top.

    Opaque lines in their own layers keep each class's colour where flows
    cross: translucent ones would mix into a colour no class has.
    """
    from matplotlib.collections import LineCollection

    ends = flow_ends(result, scale.min_flow_mw)
    x0, y0 = project(ends["lon0"], ends["lat0"])
    x1, y1 = project(ends["lon1"], ends["lat1"])
    segments = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1)
    colors = workload_colors(list(result.scenario.workloads.index))
    for i, (w, color) in enumerate(colors.items()):
        mask = (ends["workload"] == w).to_numpy()
        lines = LineCollection(
            segments[mask],
            linewidths=scale.width(ends.loc[mask, "it_mw"].to_numpy()),
            colors=color,
            capstyle="round",
            zorder=2 + 0.5 * (len(colors) - i) / len(colors),
        )
        lines.set_gid(f"flows:{w}")
        ax.add_collection(lines)


def _draw_sites(ax: Axes, sites: pd.DataFrame, scale: SizeScale) -> None:
    """Built sites sized by IT capacity, one scatter per role; unused candidates as small rings."""
    x, y = project(sites["lon"], sites["lat"])
    built = (sites["it_capacity_mw"] > 0).to_numpy()
    unused = ax.scatter(
        x[~built], y[~built], s=12, facecolors="none", edgecolors=UNUSED_COLOR, linewidths=0.7, zorder=3
    )
    unused.set_gid("sites:unused")
    for role, color in ROLE_COLORS.items():
        mask = built & (sites["role"] == role).to_numpy()
        pts = ax.scatter(
            x[mask],
            y[mask],
            s=scale.area(sites.loc[mask, "it_capacity_mw"].to_numpy()),
            c=color,
            edgecolors="white",
            linewidths=0.6,
            alpha=0.9,
            zorder=3,
        )
        pts.set_gid(f"sites:{role}")


def _frame(ax: Axes, gdf: gpd.GeoDataFrame) -> None:
    x0, y0, x1, y1 = gdf.total_bounds
    ax.update_datalim([(x0, y0), (x1, y1)])
    pad = 0.03 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
