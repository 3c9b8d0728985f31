"""Regional maps of results and inputs: static figures and an interactive map.

Static maps (matplotlib) are drawn in an Albers equal-area conic projection
for China (:data:`CRS`), so that province areas compare fairly:

- :func:`plot`: one result; provinces as a choropleth of a result column,
  sites as markers sized by IT capacity and coloured east / west, and flows
  from each demand origin to the site serving it, their width following the
  MW served and their colour the workload class;
- :func:`plot_provinces`: any province-level input (electricity price, grid
  emission factor, renewable share, water stress, ...) the same way;
- :func:`compare`: two results side by side on one colour scale (east-only
  versus East Data, West Computing);
- :func:`save`: :func:`plot` written to PNG, SVG or PDF.

:func:`explore` builds an interactive :class:`folium.Map` (optional extra
``siting[interactive]``) with tooltips on every province, site and flow. Its
HTML inlines Leaflet (vendored in ``siting/_static/leaflet``, BSD-2-Clause)
and uses no tile server by default, so the saved file opens offline.

Province values of a result
---------------------------
A result column is a per-site quantity (:attr:`siting.Result.sites`); the
value of a province aggregates the sites located in it:

- extensive columns, whose name ends in ``_mw``, ``_mwh``, ``_cny``, ``_t``
  or ``_m3`` (capacity, energy, cost, emissions, water), are **summed**;
- intensive columns (``green_share``, ``pue``) are **averaged weighted by
  IT capacity** ``it_capacity_mw``; a province whose sites build nothing has
  no value (drawn grey).

Provinces without any candidate site have no value either. A
:class:`pandas.Series` indexed by province may be passed instead of a column
name to map any other quantity, for example the demand by origin:
``result.scenario.demand.groupby("origin")["it_mw"].sum()``.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siting import datasets
from siting.errors import InputError, SitingError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure

    from siting.result import Result

__all__ = [
    "CRS",
    "ROLE_COLORS",
    "WORKLOAD_COLORS",
    "plot",
    "plot_provinces",
    "compare",
    "save",
    "explore",
]

#: Albers equal-area conic projection for China (standard parallels 25 and
#: 47 deg N, central meridian 105 deg E), used by every static map.
CRS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

#: Marker colour of east (demand-side) and west (resource-side) sites.
ROLE_COLORS: dict[str, str] = {"east": "#c0392b", "west": "#1f5fa6"}

#: Flow colour of the bundled workload classes; other classes get colours
#: from matplotlib's ``Dark2`` palette.
WORKLOAD_COLORS: dict[str, str] = {"interactive": "#e7298a", "near_realtime": "#7570b3", "batch": "#d95f02"}

_SAVE_FORMATS = (".png", ".svg", ".pdf")
_SUMMED_SUFFIXES = ("_mw", "_mwh", "_cny", "_t", "_m3")
_WEIGHTED = ("green_share", "pue")
_NO_DATA_COLOR = "#e6e6e6"
_UNUSED_COLOR = "#7f7f7f"
_MARKER_AREA_PT2 = 420.0  # marker area of the largest site [pt^2]
_FLOW_WIDTH_PT = (0.4, 5.0)  # line width of the smallest and largest flow [pt]
_CJK_FONTS = (
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han",
    "WenQuanYi",
    "SimHei",
    "SimSun",
    "Microsoft YaHei",
    "PingFang",
    "Heiti",
    "AR PL",
    "Droid Sans Fallback",
)
_CJK_FILES = ("cjk", "wqy", "sourcehan", "simhei", "simsun", "msyh", "droidsansfallback")

# display name, unit and factor from the column's unit to the displayed unit
_LABELS: dict[str, str] = {
    "it_capacity_mw": "IT capacity",
    "it_load_mw": "IT load",
    "it_energy_mwh": "IT energy",
    "energy_mwh": "Facility energy",
    "grid_mwh": "Grid energy",
    "renewable_mwh": "Contracted renewable energy",
    "curtailed_mwh": "Curtailed renewable energy",
    "solar_mw": "Contracted solar",
    "wind_mw": "Contracted wind",
    "total_cny": "Total cost",
    "capex_cny": "Data-center capital cost",
    "energy_cny": "Grid energy cost",
    "carbon_cny": "Carbon cost",
    "network_cny": "Network cost",
    "emissions_t": "Emissions",
    "water_m3": "Water use",
    "green_share": "Green share",
    "pue": "PUE",
    "electricity_price_cny_per_kwh": "Electricity price",
    "grid_ef_t_co2_per_mwh": "Grid emission factor",
    "renewable_share": "Renewable share of generation",
    "solar_cf": "Solar capacity factor",
    "wind_cf": "Wind capacity factor",
    "mean_temp_c": "Mean air temperature",
    "water_stress": "Water stress",
    "population_million": "Population",
    "gdp_billion_cny": "Gross regional product",
}
_UNITS: tuple[tuple[str, str, float], ...] = (
    ("_cny_per_kwh", "CNY/kWh", 1.0),
    ("_t_co2_per_mwh", "tCO2/MWh", 1.0),
    ("_billion_cny", "bn CNY", 1.0),
    ("_million", "million", 1.0),
    ("_mwh", "TWh/yr", 1e-6),
    ("_mw", "MW", 1.0),
    ("_gw", "GW", 1.0),
    ("_cny", "bn CNY/yr", 1e-9),
    ("_m3", "million m³/yr", 1e-6),
    ("_t", "Mt CO2/yr", 1e-6),
    ("_temp_c", "°C", 1.0),
    ("_c", "°C", 1.0),
    ("_ms", "ms", 1.0),
    ("_km", "km", 1.0),
    ("_pct", "%", 1.0),
    ("_cf", "%", 100.0),
    ("share", "%", 100.0),
    ("water_stress", "score 0-5", 1.0),
    ("pue", "-", 1.0),
)


# ---------------------------------------------------------------- public API
def plot(
    result: Result,
    column: str | pd.Series = "it_capacity_mw",
    ax: Axes | None = None,
    flows: bool = True,
    labels: bool = False,
    lang: str = "en",
    *,
    cmap: str | Colormap = "YlGn",
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    legend: bool = True,
    min_flow_mw: float = 0.0,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Axes:
    """Map one result: province choropleth, sites and flows.

    Parameters
    ----------
    result : Result
        A solved scenario.
    column : str or pandas.Series
        Province colour: a numeric column of ``result.sites`` aggregated by
        province (see the module docstring: extensive columns summed,
        ``green_share`` and ``pue`` weighted by IT capacity), or values
        indexed by province name. Default: built IT capacity [MW].
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure (10 x 8 in) is made if omitted.
    flows : bool
        Draw a line from each demand origin (its province capital) to the
        site serving it; width ∝ MW served, colour = workload class.
    labels : bool
        Write the province names.
    lang : {"en", "zh"}
        Language of the labels; ``"zh"`` needs a CJK font.
    cmap : str or matplotlib.colors.Colormap
        Colour map of the choropleth.
    vmin, vmax : float, optional
        Ends of the colour scale, in the column's unit (e.g. [MW]). Default:
        0 (extensive columns) or the smallest value, and the largest value.
    title : str, optional
        Default: ``"<scenario name>: <column label>"``.
    legend : bool
        Draw the colour bar and the legends of sites and flows.
    min_flow_mw : float
        Hide flows smaller than this [MW].
    boundaries : geopandas.GeoDataFrame, optional
        Province polygons (see :func:`siting.datasets.boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        With one patch per province (``gid`` ``"province:<name>"``), one
        scatter per site group (``gid`` ``"sites:east"``, ``"sites:west"``,
        ``"sites:unused"`` for candidate sites left empty) and one line
        collection per workload class (``gid`` ``"flows:<workload>"``).

    Raises
    ------
    InputError
        On an unknown column, language or province.
    SitingError
        With ``lang="zh"`` when no CJK font is installed.
    """
    values = _result_values(result, column)
    name = column if isinstance(column, str) else str(column.name or "value")
    ax = _new_axes(ax)
    norm = _norm(values, name, vmin, vmax)
    scale = _Scale.of([result], min_flow_mw)
    _draw_result(ax, result, values, name, cmap, norm, scale, flows, labels, lang, boundaries)
    ax.set_title(title if title is not None else f"{result.scenario.name}: {_label(name)[0]}")
    if legend:
        _colorbar(ax, cmap, norm, name, [ax])
        _legends(ax, result, scale, flows)
    return ax


def plot_provinces(
    column: str | pd.Series,
    data: pd.DataFrame | None = None,
    ax: Axes | None = None,
    *,
    labels: bool = False,
    lang: str = "en",
    cmap: str | Colormap = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    legend: bool = True,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Axes:
    """Map a province-level quantity, such as an input of the model.

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
        Language of the labels; ``"zh"`` needs a CJK font.
    cmap : str or matplotlib.colors.Colormap
        Colour map.
    vmin, vmax : float, optional
        Ends of the colour scale in the column's unit. Default: the data
        range.
    title : str, optional
        Default: the column's label.
    legend : bool
        Draw the colour bar (labelled with the unit).
    boundaries : geopandas.GeoDataFrame, optional
        Province polygons (see :func:`siting.datasets.boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        With one patch per province (``gid`` ``"province:<name>"``).

    Raises
    ------
    InputError
        If ``column`` is not a numeric column of ``data`` (the message lists
        the valid ones) or names an unknown province.
    """
    if isinstance(column, pd.Series):
        values, name = _check_series(column), str(column.name or "value")
    else:
        table = datasets.provinces() if data is None else data
        numeric = [
            c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and c not in ("adcode", "lat", "lon")
        ]
        if column not in numeric:
            raise InputError(f"provinces: unknown or non-numeric column {column!r}; valid columns are {numeric}")
        values, name = table[column].astype(float), column
    ax = _new_axes(ax)
    norm = _norm(values, name, vmin, vmax, extensive=False)
    gdf = _projected(boundaries)
    _draw_provinces(ax, gdf, values, cmap, norm)
    if labels:
        _draw_labels(ax, gdf, lang)
    _frame(ax, gdf)
    ax.set_title(title if title is not None else _label(name)[0])
    if legend:
        _colorbar(ax, cmap, norm, name, [ax])
    return ax


def compare(
    result_a: Result,
    result_b: Result,
    column: str | pd.Series = "it_capacity_mw",
    *,
    flows: bool = True,
    labels: bool = False,
    lang: str = "en",
    cmap: str | Colormap = "YlGn",
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
    """
    import matplotlib.pyplot as plt

    results = (result_a, result_b)
    values = [_result_values(r, column) for r in results]
    name = column if isinstance(column, str) else str(column.name or "value")
    norm = _norm(pd.concat(values), name, None, None)
    scale = _Scale.of(results, min_flow_mw)
    fig, axes = plt.subplots(1, 2, figsize=figsize, layout="constrained")
    titles = titles or (result_a.scenario.name, result_b.scenario.name)
    for ax, r, v, t in zip(axes, results, values, titles):
        _draw_result(ax, r, v, name, cmap, norm, scale, flows, labels, lang, boundaries)
        ax.set_title(t)
    _colorbar(axes[0], cmap, norm, name, list(axes))
    workloads = list(dict.fromkeys([*result_a.scenario.workloads.index, *result_b.scenario.workloads.index]))
    groups = _legend_handles(workloads, scale, flows)
    for (title, handles), loc in zip(groups, ("outside right upper", "outside right lower")):
        fig.legend(handles=handles, title=title, loc=loc, fontsize=8, title_fontsize=9, labelspacing=1.0)
    fig.suptitle(f"{_label(name)[0]}: {titles[0]} vs. {titles[1]}")
    return fig


def save(result: Result, path: str | Path, *, dpi: float = 150, **plot_kwargs: Any) -> Path:
    """Write the static map of :func:`plot` to a file.

    Parameters
    ----------
    result : Result
        A solved scenario.
    path : str or Path
        Target file; the format follows the suffix: ``.png``, ``.svg`` or
        ``.pdf``.
    dpi : float
        Resolution of a PNG [dots per inch].
    **plot_kwargs
        Passed to :func:`plot` (``column``, ``flows``, ``labels``, ...).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        On an unsupported suffix.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    if path.suffix.lower() not in _SAVE_FORMATS:
        raise InputError(f"{path.name}: unsupported map format {path.suffix!r}; use one of {list(_SAVE_FORMATS)}")
    fig = Figure(figsize=(10, 8), layout="constrained")
    plot(result, ax=fig.add_subplot(), **plot_kwargs)
    fig.savefig(path, dpi=dpi)
    return path


def explore(
    result: Result,
    column: str | pd.Series = "it_capacity_mw",
    *,
    tiles: str | None = None,
    cmap: str | Colormap = "YlGn",
    min_flow_mw: float = 0.0,
    boundaries: gpd.GeoDataFrame | None = None,
    simplify_deg: float = 0.01,
) -> folium.Map:
    """Interactive map of a result (folium / Leaflet) with tooltips.

    Provinces are coloured by ``column`` (as in :func:`plot`) with a tooltip
    giving the value, the demand and the capacity built; each candidate site
    is a circle (area ∝ IT capacity, colour east / west) with its capacity,
    energy, cost, emissions, green share and PUE; each flow is a line with
    origin, site, workload, MW, RTT and distance. Sites and each workload's
    flows are layers that can be switched off. Province, site and flow paths
    carry the CSS classes ``siting-province``, ``siting-site`` and
    ``siting-flow``.

    The map embeds Leaflet and its data, so ``map.save("map.html")`` writes
    a standalone file that opens offline; only ``tiles`` needs a network.

    Parameters
    ----------
    result : Result
        A solved scenario.
    column : str or pandas.Series
        Province colour, as in :func:`plot`.
    tiles : str, optional
        A folium / xyzservices tile provider, e.g. ``"CartoDB positron"``.
        Default: none (no network needed).
    cmap : str or matplotlib.colors.Colormap
        Colour map of the provinces.
    min_flow_mw : float
        Hide flows smaller than this [MW].
    boundaries : geopandas.GeoDataFrame, optional
        Province polygons (see :func:`siting.datasets.boundaries`).
    simplify_deg : float
        Tolerance of the boundary simplification [deg], which keeps the
        HTML small; 0 keeps the full detail.

    Returns
    -------
    folium.Map

    Raises
    ------
    ImportError
        If folium is not installed.
    """
    try:
        import folium
    except ImportError as exc:
        raise ImportError('siting.maps.explore needs folium: pip install "siting[interactive]"') from exc
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    values = _result_values(result, column)
    name = column if isinstance(column, str) else str(column.name or "value")
    label, factor = _label(name)
    norm = _norm(values, name, None, None)
    colormap = colormaps[cmap] if isinstance(cmap, str) else cmap
    scale = _Scale.of([result], min_flow_mw)

    gdf = datasets.boundaries(boundaries)
    if simplify_deg > 0:
        gdf = gdf.assign(geometry=gdf.geometry.simplify(simplify_deg, preserve_topology=True))
    demand = result.scenario.demand.groupby("origin")["it_mw"].sum()
    built = result.sites.groupby("province")["it_capacity_mw"].sum()
    v = values.reindex(gdf.index)
    props = pd.DataFrame(
        {
            "province": gdf.index,
            "name_zh": gdf["name_zh"].fillna("").to_numpy() if "name_zh" in gdf.columns else "",
            "value": [_fmt(x * factor) for x in v],
            "demand": [_fmt(x) for x in demand.reindex(gdf.index)],
            "built": [_fmt(x) for x in built.reindex(gdf.index)],
            "color": [to_hex(colormap(norm(x))) if np.isfinite(x) else _NO_DATA_COLOR for x in v],
        },
        index=gdf.index,
    )
    features = gdf[["geometry"]].join(props).reset_index(drop=True)

    west, south, east, north = gdf.total_bounds
    fmap = folium.Map(
        location=((south + north) / 2, (west + east) / 2), zoom_start=4, tiles=tiles, control_scale=True, zoom_snap=0.25
    )
    _inline_leaflet(fmap)
    _fit_bounds(fmap, [[south, west], [north, east]])
    folium.GeoJson(
        features.to_json(),
        name=f"Provinces: {label}",
        style_function=lambda f: {
            "fillColor": f["properties"]["color"],
            "fillOpacity": 0.8,
            "color": "#555555",
            "weight": 0.8,
            "className": "siting-province",
        },
        highlight_function=lambda f: {"weight": 2.5, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(
            fields=["province", "name_zh", "value", "demand", "built"],
            aliases=["Province", "省份", label, "Demand [MW]", "IT capacity built [MW]"],
        ),
    ).add_to(fmap)

    workloads = list(result.scenario.workloads.index)
    colors = _workload_colors(workloads)
    ends = _flow_ends(result, scale.min_flow_mw)
    for w in workloads:
        layer = folium.FeatureGroup(name=f"Flows: {w.replace('_', ' ')}").add_to(fmap)
        for row in ends[ends["workload"] == w].itertuples():
            tip = (
                f"<b>{html.escape(row.origin)} → {html.escape(row.site)}</b><br>workload: {html.escape(w)}"
                f"<br>IT load: {_fmt(row.it_mw)} MW<br>RTT: {_fmt(row.rtt_ms)} ms"
                f"<br>distance: {_fmt(row.distance_km)} km"
            )
            folium.PolyLine(
                [(row.lat0, row.lon0), (row.lat1, row.lon1)],
                color=colors[w],
                weight=float(scale.width(row.it_mw)),
                opacity=0.7,
                tooltip=tip,
                className="siting-flow",
            ).add_to(layer)

    sites = folium.FeatureGroup(name="Sites").add_to(fmap)
    for site, row in result.sites.iterrows():
        cap = float(row["it_capacity_mw"])
        tip = f"<b>{html.escape(str(site))}</b> ({html.escape(str(row['province']))}, {row['role']})" + "".join(
            f"<br>{_label(c)[0]}: {_fmt(row[c] * _label(c)[1])}"
            for c in ("it_capacity_mw", "energy_mwh", "total_cny", "emissions_t", "green_share", "pue")
            if c in row.index and pd.notna(row[c])
        )
        folium.CircleMarker(
            (row["lat"], row["lon"]),
            radius=max(0.7 * np.sqrt(scale.area(cap)), 3.0),
            color="#222222" if cap > 0 else _UNUSED_COLOR,
            weight=1,
            fill=cap > 0,
            fill_color=ROLE_COLORS.get(row["role"], _UNUSED_COLOR),
            fill_opacity=0.9,
            tooltip=tip,
            className="siting-site",
        ).add_to(sites)

    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.get_root().html.add_child(
        folium.Element(_html_legend(result.scenario.name, label, colormap, norm, factor, colors))
    )
    return fmap


# ---------------------------------------------------------------- values
def _result_values(result: Result, column: str | pd.Series) -> pd.Series:
    """Province values of a result column (see the module docstring)."""
    if isinstance(column, pd.Series):
        return _check_series(column)
    sites = result.sites
    valid = [c for c in sites.columns if c.endswith(_SUMMED_SUFFIXES) or c in _WEIGHTED]
    if column not in valid:
        raise InputError(f"result.sites: unknown column {column!r} for a map; valid columns are {valid}")
    if column in _WEIGHTED:
        w = sites["it_capacity_mw"]
        num = (sites[column] * w).groupby(sites["province"]).sum(min_count=1)
        den = w.groupby(sites["province"]).sum()
        return (num / den.where(den > 0)).rename(column)
    return sites[column].groupby(sites["province"]).sum().rename(column)


def _check_series(values: pd.Series) -> pd.Series:
    known = datasets.provinces().index
    unknown = values.index.difference(known)
    if len(unknown):
        raise InputError(f"province values: unknown province {unknown[0]!r}; provinces are {sorted(known)}")
    return values.astype(float)


def _label(column: str) -> tuple[str, float]:
    """Display label with its unit, and the factor from the column's unit to it."""
    unit, factor, stem = "", 1.0, column
    for suffix, u, f in _UNITS:
        if column.endswith(suffix):
            unit, factor = u, f
            stem = column.removesuffix(suffix) if suffix.startswith("_") else column
            break
    name = _LABELS.get(column, stem.replace("_", " ").capitalize())
    return (f"{name} [{unit}]" if unit else name), factor


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "–"
    return f"{x:,.3g}" if abs(x) < 100 else f"{x:,.0f}"


def _norm(
    values: pd.Series, name: str, vmin: float | None, vmax: float | None, extensive: bool | None = None
) -> Normalize:
    """Colour scale: from 0 (extensive columns) or the smallest value to the largest."""
    from matplotlib.colors import Normalize

    if extensive is None:
        extensive = name.endswith(_SUMMED_SUFFIXES)
    finite = values[np.isfinite(values)]
    data_lo, data_hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    lo = vmin if vmin is not None else (min(0.0, data_lo) if extensive else data_lo)
    hi = vmax if vmax is not None else data_hi
    return Normalize(lo, hi if hi > lo else lo + 1.0)


class _Scale:
    """Marker-area and line-width scales shared by the maps of one figure."""

    def __init__(self, capacity_max_mw: float, flow_max_mw: float, min_flow_mw: float) -> None:
        self.capacity_max_mw = max(capacity_max_mw, 1e-9)
        self.flow_max_mw = max(flow_max_mw, 1e-9)
        self.min_flow_mw = min_flow_mw

    @classmethod
    def of(cls, results: list[Result] | tuple[Result, ...], min_flow_mw: float) -> _Scale:
        cap = max(float(r.sites["it_capacity_mw"].max()) for r in results)
        flow = max(float(r.allocation["it_mw"].max()) if len(r.allocation) else 0.0 for r in results)
        return cls(cap, flow, min_flow_mw)

    def area(self, mw: float | np.ndarray) -> np.ndarray:
        """Marker area [pt^2] ∝ IT capacity."""
        return _MARKER_AREA_PT2 * np.asarray(mw, dtype=float) / self.capacity_max_mw

    def width(self, mw: float | np.ndarray) -> np.ndarray:
        """Line width [pt] ∝ MW served, from the thinnest visible width up."""
        lo, hi = _FLOW_WIDTH_PT
        return lo + (hi - lo) * np.asarray(mw, dtype=float) / self.flow_max_mw


def _nice(x: float) -> float:
    """Round to one significant digit of 1, 2 or 5."""
    if x <= 0:
        return 0.0
    e = 10.0 ** np.floor(np.log10(x))
    return float(max(m for m in (1.0, 2.0, 5.0, 10.0) if m * e <= x * 1.0000001) * e)


def _workload_colors(workloads: list[str]) -> dict[str, str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["Dark2"].colors
    extra = iter(to_hex(c) for c in palette if to_hex(c) not in WORKLOAD_COLORS.values())
    return {w: WORKLOAD_COLORS.get(w) or next(extra) for w in workloads}


def _flow_ends(result: Result, min_flow_mw: float) -> pd.DataFrame:
    """Allocation rows with origin (capital) and site coordinates [deg]."""
    prov = datasets.provinces()
    alloc = result.allocation[result.allocation["it_mw"] >= min_flow_mw]
    sites = result.sites
    return alloc.assign(
        lat0=prov["lat"].reindex(alloc["origin"]).to_numpy(),
        lon0=prov["lon"].reindex(alloc["origin"]).to_numpy(),
        lat1=sites["lat"].reindex(alloc["site"]).to_numpy(),
        lon1=sites["lon"].reindex(alloc["site"]).to_numpy(),
    )


# ---------------------------------------------------------------- geometry
@functools.lru_cache(maxsize=1)
def _projected_default() -> gpd.GeoDataFrame:
    return datasets.boundaries().to_crs(CRS)


def _projected(boundaries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    return _projected_default() if boundaries is None else datasets.boundaries(boundaries).to_crs(CRS)


def _project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude, latitude [deg] to map coordinates of :data:`CRS` [m]."""
    return _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


@functools.lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def _geometry_path(geom):
    """A matplotlib Path of a (multi)polygon, exteriors and holes oriented."""
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    polygons = getattr(geom, "geoms", [geom])
    rings = []
    for poly in polygons:
        poly = orient(poly, 1.0)
        rings.append(poly.exterior)
        rings.extend(poly.interiors)
    return MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings))


# ---------------------------------------------------------------- drawing
def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(10, 8), layout="constrained")[1]


def _draw_provinces(ax: Axes, gdf: gpd.GeoDataFrame, values: pd.Series, cmap: str | Colormap, norm: Normalize) -> None:
    from matplotlib import colormaps
    from matplotlib.patches import PathPatch

    colormap = colormaps[cmap] if isinstance(cmap, str) else cmap
    v = values.reindex(gdf.index)
    for province, geom in gdf.geometry.items():
        x = v[province]
        patch = PathPatch(
            _geometry_path(geom),
            facecolor=colormap(norm(x)) if np.isfinite(x) else _NO_DATA_COLOR,
            edgecolor="#606060",
            linewidth=0.4,
            zorder=1,
        )
        patch.set_gid(f"province:{province}")
        ax.add_artist(patch)  # add_patch's data limits walk every vertex; _frame sets them at once


def _draw_labels(ax: Axes, gdf: gpd.GeoDataFrame, lang: str) -> None:
    from matplotlib.patheffects import withStroke

    if lang not in ("en", "zh"):
        raise InputError(f"unknown label language {lang!r}; use 'en' or 'zh'")
    font = {"family": _cjk_font()} if lang == "zh" else {}
    for province, point in gdf.geometry.representative_point().items():
        text = gdf.at[province, "name_zh"] if lang == "zh" else province
        ax.annotate(
            text,
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=6.5,
            color="#222222",
            zorder=4,
            gid=f"label:{province}",
            path_effects=[withStroke(linewidth=1.8, foreground="white", alpha=0.8)],
            **({"fontfamily": font["family"]} if font else {}),
        )


def _cjk_font() -> str:
    """Family name of an installed font with Chinese glyphs."""
    from matplotlib import font_manager

    def find() -> str | None:
        names = sorted({f.name for f in font_manager.fontManager.ttflist})
        return next((n for n in names if any(n.startswith(c) for c in _CJK_FONTS)), None)

    name = find()
    if name is None:  # fonts installed after matplotlib built its font cache
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in _CJK_FILES):
                font_manager.fontManager.addfont(path)
        name = find()
    if name is None:
        raise SitingError(
            "lang='zh' needs a font with Chinese glyphs and none is installed; install one "
            "(Debian/Ubuntu: `apt-get install fonts-wqy-microhei` or `fonts-noto-cjk`) or use lang='en'"
        )
    return name


def _draw_result(
    ax: Axes,
    result: Result,
    values: pd.Series,
    name: str,
    cmap: str | Colormap,
    norm: Normalize,
    scale: _Scale,
    flows: bool,
    labels: bool,
    lang: str,
    boundaries: gpd.GeoDataFrame | None,
) -> None:
    from matplotlib.collections import LineCollection

    gdf = _projected(boundaries)
    _draw_provinces(ax, gdf, values, cmap, norm)
    if flows:
        ends = _flow_ends(result, scale.min_flow_mw)
        x0, y0 = _project(ends["lon0"], ends["lat0"])
        x1, y1 = _project(ends["lon1"], ends["lat1"])
        segments = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1)
        colors = _workload_colors(list(result.scenario.workloads.index))
        for w, color in colors.items():
            mask = (ends["workload"] == w).to_numpy()
            lines = LineCollection(
                segments[mask],
                linewidths=scale.width(ends.loc[mask, "it_mw"].to_numpy()),
                colors=color,
                alpha=0.6,
                capstyle="round",
                zorder=2,
            )
            lines.set_gid(f"flows:{w}")
            ax.add_collection(lines)
    sites = result.sites
    x, y = _project(sites["lon"], sites["lat"])
    built = (sites["it_capacity_mw"] > 0).to_numpy()
    unused = ax.scatter(
        x[~built], y[~built], s=12, facecolors="none", edgecolors=_UNUSED_COLOR, linewidths=0.7, zorder=3
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
    if labels:
        _draw_labels(ax, gdf, lang)
    _frame(ax, gdf)


def _frame(ax: Axes, gdf: gpd.GeoDataFrame) -> None:
    x0, y0, x1, y1 = gdf.total_bounds
    ax.update_datalim([(x0, y0), (x1, y1)])
    pad = 0.03 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _colorbar(ax: Axes, cmap: str | Colormap, norm: Normalize, name: str, axes: list[Axes]) -> None:
    from matplotlib.cm import ScalarMappable
    from matplotlib.ticker import FuncFormatter

    label, factor = _label(name)
    bar = ax.figure.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=axes, orientation="horizontal", shrink=0.5, pad=0.02, aspect=40
    )
    bar.set_label(label)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v * factor:,.4g}"))


def _legend_handles(workloads: list[str], scale: _Scale, flows: bool) -> list[tuple[str, list]]:
    """Titled groups of legend handles: sites and, with ``flows``, flows."""
    from matplotlib.lines import Line2D

    def dot(color: str, size_pt2: float, label: str, edge: str = "white") -> Line2D:
        return Line2D([], [], ls="", marker="o", ms=np.sqrt(size_pt2), mfc=color, mec=edge, label=label)

    sites = [
        dot(ROLE_COLORS["east"], 64, "East site"),
        dot(ROLE_COLORS["west"], 64, "West site"),
        dot("none", 12, "Candidate, not built", edge=_UNUSED_COLOR),
    ]
    sites += [dot("#bbbbbb", float(scale.area(mw)), f"{mw:,.0f} MW") for mw in _samples(scale.capacity_max_mw)]
    groups = [("Sites (area ∝ IT capacity)", sites)]
    if flows:
        colors = _workload_colors(workloads)
        lines = [Line2D([], [], color=c, lw=2.5, label=w.replace("_", " ")) for w, c in colors.items()]
        lines += [
            Line2D([], [], color="#777777", lw=float(scale.width(mw)), label=f"{mw:,.0f} MW")
            for mw in _samples(scale.flow_max_mw)
        ]
        groups.append(("Flows origin → site", lines))
    return groups


def _samples(max_mw: float) -> list[float]:
    """Two round legend values [MW] spanning the range up to ``max_mw``."""
    return sorted({_nice(max_mw / 4), _nice(max_mw)})


def _legends(ax: Axes, result: Result, scale: _Scale, flows: bool) -> None:
    """Sites legend at the lower right of the map, flows at the lower left."""
    style = {"fontsize": 7, "title_fontsize": 8, "labelspacing": 1.0, "framealpha": 0.9}
    workloads = list(result.scenario.workloads.index)
    for (title, handles), loc in zip(_legend_handles(workloads, scale, flows), ("lower right", "lower left")):
        ax.add_artist(ax.legend(handles=handles, title=title, loc=loc, **style))


# ---------------------------------------------------------------- HTML
@functools.lru_cache(maxsize=1)
def _leaflet_assets() -> tuple[str, str]:
    folder = Path(__file__).resolve().parent / "_static" / "leaflet"
    return (folder / "leaflet.js").read_text(encoding="utf-8"), (folder / "leaflet.css").read_text(encoding="utf-8")


def _inline_leaflet(fmap: folium.Map) -> None:
    """Replace folium's CDN links by the vendored Leaflet, inlined.

    The map needs only Leaflet: jQuery, Bootstrap and the awesome-markers
    plugin that folium links by default serve marker icons and popups this
    map does not use.
    """
    import folium

    js, css = _leaflet_assets()
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    fmap.default_js = []
    fmap.default_css = []
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css")
    header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet")


def _fit_bounds(fmap: folium.Map, bounds: list[list[float]]) -> None:
    """Fit the view at once: folium's ``fit_bounds`` animates the first zoom."""
    from branca.element import MacroElement
    from jinja2 import Template

    fit = MacroElement()
    fit._template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false});"
        "{% endmacro %}"
    )
    fit.bounds = bounds
    fmap.add_child(fit)


def _html_legend(
    title: str, label: str, colormap: Colormap, norm: Normalize, factor: float, workload_colors: dict[str, str]
) -> str:
    from matplotlib.colors import to_hex

    stops = ", ".join(to_hex(colormap(i / 10)) for i in range(11))
    flows = "".join(
        f'<div><span style="display:inline-block;width:22px;height:3px;background:{c};vertical-align:middle"></span> '
        f"{html.escape(w.replace('_', ' '))}</div>"
        for w, c in workload_colors.items()
    )
    roles = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{c};'
        f'vertical-align:middle"></span> {r} site</div>'
        for r, c in ROLE_COLORS.items()
    )
    return f"""
<div id="siting-legend" style="position:absolute;bottom:28px;right:10px;z-index:1000;background:rgba(255,255,255,0.92);
  padding:8px 10px;font:12px/1.4 sans-serif;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);max-width:260px">
  <div style="font-weight:bold;margin-bottom:4px">{html.escape(title)}</div>
  <div>{html.escape(label)}</div>
  <div style="height:10px;background:linear-gradient(to right, {stops});margin:2px 0"></div>
  <div style="display:flex;justify-content:space-between"><span>{_fmt(norm.vmin * factor)}</span>
    <span>{_fmt(norm.vmax * factor)}</span></div>
  <div style="margin-top:4px">{roles}<div><span style="display:inline-block;width:8px;height:8px;border-radius:50%;
    border:1px solid {_UNUSED_COLOR};vertical-align:middle"></span> candidate, not built</div></div>
  <div style="margin-top:4px">Flows (width ∝ MW): {flows}</div>
</div>
"""
