"""Interactive map (folium / Leaflet) of a result, standalone and offline: :func:`explore`.

Needs the optional extra ``siting[interactive]``. The HTML inlines Leaflet
(vendored in ``siting/_static/leaflet``, BSD-2-Clause) and uses no tile
server by default, so the saved file opens offline.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siting import datasets
from siting.maps.style import (
    NO_DATA_COLOR,
    ROLE_COLORS,
    UNUSED_COLOR,
    ResultLike,
    SizeScale,
    as_colormap,
    color_norm,
    fmt,
    label,
    workload_colors,
    workload_label,
)
from siting.maps.values import flow_ends, is_extensive, result_values, value_name

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    from matplotlib.colors import Colormap, Normalize

_LEAFLET = Path(__file__).resolve().parents[1] / "_static" / "leaflet"
_SITE_COLUMNS = ("it_capacity_mw", "energy_mwh", "total_cny", "emissions_t", "green_share", "pue")  # site tooltip


def explore(
    result: ResultLike,
    column: str | pd.Series = "it_capacity_mw",
    *,
    tiles: str | None = None,
    cmap: str | Colormap | None = None,
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
    cmap : str or matplotlib.colors.Colormap, optional
        Colour map of the provinces. Default: the quantity's, from
        :data:`siting.maps.style.COLORMAPS`, as on the static maps.
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
    InputError
        On an unknown column, colour map or province.
    """
    try:
        import folium
    except ImportError as exc:
        raise ImportError('siting.maps.explore needs folium: pip install "siting[interactive]"') from exc

    values, name = result_values(result, column), value_name(column)
    norm = color_norm(values, None, None, extensive=is_extensive(name))
    colormap = as_colormap(cmap, name)
    scale = SizeScale.of([result], min_flow_mw)
    flow_colors = workload_colors(list(result.scenario.workloads.index))
    gdf = datasets.boundaries(boundaries)
    if simplify_deg > 0:
        gdf = gdf.assign(geometry=gdf.geometry.simplify(simplify_deg, preserve_topology=True))

    fmap = _base_map(gdf, tiles)
    _add_provinces(fmap, gdf, result, values, name, colormap, norm)
    _add_flows(fmap, result, scale, flow_colors)
    _add_sites(fmap, result.sites, scale)
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = _html_legend(result.scenario.name, name, colormap, norm, flow_colors)
    fmap.get_root().html.add_child(folium.Element(legend))
    return fmap


# ---------------------------------------------------------------- layers
def _base_map(gdf: gpd.GeoDataFrame, tiles: str | None) -> folium.Map:
    """An empty map fitted to the provinces, with Leaflet inlined."""
    import folium

    west, south, east, north = gdf.total_bounds
    fmap = folium.Map(
        location=((south + north) / 2, (west + east) / 2), zoom_start=4, tiles=tiles, control_scale=True, zoom_snap=0.25
    )
    _inline_leaflet(fmap)
    _fit_bounds(fmap, [[south, west], [north, east]])
    return fmap


def _add_provinces(
    fmap: folium.Map,
    gdf: gpd.GeoDataFrame,
    result: ResultLike,
    values: pd.Series,
    name: str,
    colormap: Colormap,
    norm: Normalize,
) -> None:
    """The province choropleth, with the value, demand and capacity built in each tooltip."""
    import folium

    text, factor = label(name)
    features = gdf[["geometry"]].join(_province_properties(gdf, result, values, factor, colormap, norm))
    folium.GeoJson(
        features.reset_index(drop=True).to_json(),
        name=f"Provinces: {text}",
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
            aliases=["Province", "省份", text, "Demand [MW]", "IT capacity built [MW]"],
        ),
    ).add_to(fmap)


def _province_properties(
    gdf: gpd.GeoDataFrame, result: ResultLike, values: pd.Series, factor: float, colormap: Colormap, norm: Normalize
) -> pd.DataFrame:
    """Per province: names (English, Chinese), tooltip numbers as text, fill colour."""
    from matplotlib.colors import to_hex

    demand = result.scenario.demand.groupby("origin")["it_mw"].sum()
    built = result.sites.groupby("province")["it_capacity_mw"].sum()
    v = values.reindex(gdf.index)
    return pd.DataFrame(
        {
            "province": gdf.index,
            "name_zh": gdf["name_zh"].fillna("").to_numpy() if "name_zh" in gdf.columns else "",
            "value": [fmt(x * factor) for x in v],
            "demand": [fmt(x) for x in demand.reindex(gdf.index)],
            "built": [fmt(x) for x in built.reindex(gdf.index)],
            "color": [to_hex(colormap(norm(x))) if np.isfinite(x) else NO_DATA_COLOR for x in v],
        },
        index=gdf.index,
    )


def _add_flows(fmap: folium.Map, result: ResultLike, scale: SizeScale, colors: dict[str, str]) -> None:
    """One layer of opaque lines per workload class, width ∝ MW served (opaque: crossing classes do not mix)."""
    import folium

    ends = flow_ends(result, scale.min_flow_mw)
    for w, color in colors.items():
        layer = folium.FeatureGroup(name=f"Flows: {workload_label(w, 'en')}").add_to(fmap)
        for row in ends[ends["workload"] == w].itertuples():
            folium.PolyLine(
                [(row.lat0, row.lon0), (row.lat1, row.lon1)],
                color=color,
                weight=float(scale.width(row.it_mw)),
                opacity=1.0,
                tooltip=_flow_tooltip(row),
                className="siting-flow",
            ).add_to(layer)


def _add_sites(fmap: folium.Map, sites: pd.DataFrame, scale: SizeScale) -> None:
    """One layer of circles: area ∝ IT capacity, filled by role when built."""
    import folium

    layer = folium.FeatureGroup(name="Sites").add_to(fmap)
    for site, row in sites.iterrows():
        cap = float(row["it_capacity_mw"])
        folium.CircleMarker(
            (row["lat"], row["lon"]),
            radius=max(0.7 * np.sqrt(scale.area(cap)), 3.0),
            color="#222222" if cap > 0 else UNUSED_COLOR,
            weight=1,
            fill=cap > 0,
            fill_color=ROLE_COLORS.get(row["role"], UNUSED_COLOR),
            fill_opacity=0.9,
            tooltip=_site_tooltip(str(site), row),
            className="siting-site",
        ).add_to(layer)


# ---------------------------------------------------------------- tooltips and legend
def _flow_tooltip(flow: Any) -> str:
    """Origin → site, workload, IT load [MW], RTT [ms] and distance [km] of an allocation row (a named tuple)."""
    return (
        f"<b>{html.escape(flow.origin)} → {html.escape(flow.site)}</b><br>workload: {html.escape(flow.workload)}"
        f"<br>IT load: {fmt(flow.it_mw)} MW<br>RTT: {fmt(flow.rtt_ms)} ms"
        f"<br>distance: {fmt(flow.distance_km)} km"
    )


def _site_tooltip(site: str, row: pd.Series) -> str:
    """Name, province and role of a site, and those of its result columns it has, in display units."""
    head = f"<b>{html.escape(site)}</b> ({html.escape(str(row['province']))}, {row['role']})"
    return head + "".join(
        f"<br>{label(c)[0]}: {fmt(row[c] * label(c)[1])}" for c in _SITE_COLUMNS if c in row.index and pd.notna(row[c])
    )


def _html_legend(title: str, name: str, colormap: Colormap, norm: Normalize, flow_colors: dict[str, str]) -> str:
    """A fixed box: colour bar of column ``name`` in its display unit, site roles and flow colours."""
    from matplotlib.colors import to_hex

    text, factor = label(name)
    stops = ", ".join(to_hex(colormap(i / 10)) for i in range(11))
    flows = "".join(
        f'<div><span style="display:inline-block;width:22px;height:3px;background:{c};vertical-align:middle"></span> '
        f"{html.escape(workload_label(w, 'en'))}</div>"
        for w, c in flow_colors.items()
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
  <div>{html.escape(text)}</div>
  <div style="height:10px;background:linear-gradient(to right, {stops});margin:2px 0"></div>
  <div style="display:flex;justify-content:space-between"><span>{fmt(norm.vmin * factor)}</span>
    <span>{fmt(norm.vmax * factor)}</span></div>
  <div style="margin-top:4px">{roles}<div><span style="display:inline-block;width:8px;height:8px;border-radius:50%;
    border:1px solid {UNUSED_COLOR};vertical-align:middle"></span> candidate, not built</div></div>
  <div style="margin-top:4px">Flows (width ∝ MW): {flows}</div>
</div>
"""


# ---------------------------------------------------------------- HTML
@functools.lru_cache(maxsize=1)
def _leaflet_assets() -> tuple[str, str]:
    return (_LEAFLET / "leaflet.js").read_text(encoding="utf-8"), (_LEAFLET / "leaflet.css").read_text(encoding="utf-8")


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
