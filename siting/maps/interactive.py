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
    BATTERY_COLOR,
    CORRIDOR_COLOR,
    CORRIDOR_UNUSED_COLOR,
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
from siting.maps.values import (
    batteries,
    corridor_ends,
    flow_ends,
    is_extensive,
    result_values,
    value_name,
)

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    from matplotlib.colors import Colormap, Normalize

_LEAFLET = Path(__file__).resolve().parents[1] / "_static" / "leaflet"
_SITE_COLUMNS = ("it_capacity_mw", "energy_mwh", "total_cny", "emissions_t", "green_share", "pue")  # site tooltip
_ABSORBED = "curtailment_absorbed_mwh"  # its optional province layer, and a tooltip line of the sites absorbing some


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

    When the result has them: a site with a battery (``battery_mw`` or
    ``battery_mwh`` above 0) gets a teal ring around its circle (ring width
    by MWh) and the tooltip line "battery: X MW / Y MWh" (layer
    "Batteries", CSS class ``siting-battery``); each corridor of
    ``result.corridors`` is a line between the capitals of its sending and
    receiving provinces, dark orange with width by peak flow when used, thin
    grey dashed when not, with its name, capacity, contracted MW, peak flow,
    delivered energy and losses in the tooltip (layer "Corridors", CSS class
    ``siting-corridor``); absorbed curtailment (``curtailment_absorbed_mwh``)
    is an extra province layer, off until switched on, and a tooltip line of
    the sites absorbing some.

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
    if name != _ABSORBED:
        _add_absorbed(fmap, gdf, result)
    corridors = _add_corridors(fmap, result, scale)
    _add_flows(fmap, result, scale, flow_colors)
    has_batteries = _add_batteries(fmap, result, scale)
    _add_sites(fmap, result.sites, scale)
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = _html_legend(result.scenario.name, name, colormap, norm, flow_colors) + _html_extras(
        has_batteries, corridors
    )
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
            radius=_site_radius(scale, cap),
            color="#222222" if cap > 0 else UNUSED_COLOR,
            weight=1,
            fill=cap > 0,
            fill_color=ROLE_COLORS.get(row["role"], UNUSED_COLOR),
            fill_opacity=0.9,
            tooltip=_site_tooltip(str(site), row),
            className="siting-site",
        ).add_to(layer)


def _site_radius(scale: SizeScale, capacity_mw: float) -> float:
    """Radius [px] of a site's circle: area ∝ IT capacity, at least 3 px."""
    return max(0.7 * float(np.sqrt(scale.area(capacity_mw))), 3.0)


def _add_batteries(fmap: folium.Map, result: ResultLike, scale: SizeScale) -> bool:
    """A teal ring around each site with a battery, 2 to 6 px wide by MWh; whether there is any."""
    import folium

    store = batteries(result)
    if not len(store):
        return False
    layer = folium.FeatureGroup(name="Batteries").add_to(fmap)
    top = max(scale.battery_max_mwh, 1e-9)
    for site, row in store.iterrows():
        weight = 2.0 + 4.0 * float(row["battery_mwh"]) / top
        folium.CircleMarker(
            (row["lat"], row["lon"]),
            radius=_site_radius(scale, float(row["it_capacity_mw"])) + 1.0 + weight / 2,
            color=BATTERY_COLOR,
            weight=weight,
            opacity=0.95,
            fill=False,
            tooltip=f"<b>{html.escape(str(site))}</b><br>{_battery_line(row)}",
            className="siting-battery",
        ).add_to(layer)
    return True


def _add_corridors(fmap: folium.Map, result: ResultLike, scale: SizeScale) -> set[str]:
    """One layer of corridor lines between province capitals, under the flows; which kinds: ``"used"``, ``"unused"``."""
    import folium

    ends = corridor_ends(result)
    if not len(ends):
        return set()
    layer = folium.FeatureGroup(name="Corridors").add_to(fmap)
    for corridor, row in ends.iterrows():
        used = bool(row["used"])
        folium.PolyLine(
            [(row["lat0"], row["lon0"]), (row["lat1"], row["lon1"])],
            color=CORRIDOR_COLOR if used else CORRIDOR_UNUSED_COLOR,
            weight=float(scale.corridor_width(row["peak_flow_mw"])) if used else 1.0,
            opacity=0.9 if used else 0.8,
            dash_array=None if used else "4 4",
            tooltip=_corridor_tooltip(str(corridor), row),
            className="siting-corridor",
        ).add_to(layer)
    return {"used" if u else "unused" for u in ends["used"]}


def _add_absorbed(fmap: folium.Map, gdf: gpd.GeoDataFrame, result: ResultLike) -> None:
    """Absorbed curtailment by province (greens), a layer off until switched on; only if any is absorbed."""
    import folium
    from matplotlib.colors import to_hex

    if _ABSORBED not in result.sites.columns or not (result.sites[_ABSORBED] > 0).any():
        return
    values = result_values(result, _ABSORBED).reindex(gdf.index)
    colormap, norm = as_colormap(None, _ABSORBED), color_norm(values, None, None, extensive=True)
    text, factor = label(_ABSORBED)
    features = gdf[["geometry"]].assign(
        province=gdf.index,
        value=[fmt(x * factor) for x in values],
        color=[to_hex(colormap(norm(x))) if np.isfinite(x) else NO_DATA_COLOR for x in values],
    )
    folium.GeoJson(
        features.reset_index(drop=True).to_json(),
        name=f"Provinces: {text}",
        show=False,
        style_function=lambda f: {
            "fillColor": f["properties"]["color"],
            "fillOpacity": 0.8,
            "color": "#555555",
            "weight": 0.8,
            "className": "siting-absorbed",
        },
        tooltip=folium.GeoJsonTooltip(fields=["province", "value"], aliases=["Province", text]),
    ).add_to(fmap)


# ---------------------------------------------------------------- tooltips and legend
def _battery_line(row: pd.Series) -> str:
    """``"battery: X MW / Y MWh"`` of a site row."""
    return f"battery: {fmt(float(row.get('battery_mw', 0.0)))} MW / {fmt(float(row.get('battery_mwh', 0.0)))} MWh"


def _corridor_tooltip(corridor: str, row: pd.Series) -> str:
    """Name, ends, capacity, contracted MW, peak flow, delivered energy, losses and cost of a corridor."""
    lines = [f"<b>{html.escape(corridor)}</b>",
             f"{html.escape(str(row['sending_province']))} → {html.escape(str(row['receiving_province']))}"]
    for column, caption, factor, unit in (
        ("capacity_mw", "usable capacity", 1.0, "MW"),
        ("mw", "contracted", 1.0, "MW"),
        ("peak_flow_mw", "peak flow", 1.0, "MW"),
        ("delivered_mwh", "delivered", 1e-6, "TWh/yr"),
        ("loss_mwh", "losses", 1e-6, "TWh/yr"),
        ("cost_cny", "cost", 1e-9, "bn CNY/yr"),
    ):
        if column in row.index and pd.notna(row[column]):
            lines.append(f"{caption}: {fmt(float(row[column]) * factor)} {unit}")
    return "<br>".join(lines)



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
    body = "".join(
        f"<br>{label(c)[0]}: {fmt(row[c] * label(c)[1])}" for c in _SITE_COLUMNS if c in row.index and pd.notna(row[c])
    )
    if any(float(row.get(c, 0.0) or 0.0) > 0 for c in ("battery_mw", "battery_mwh")):
        body += f"<br>{_battery_line(row)}"
    if float(row.get(_ABSORBED, 0.0) or 0.0) > 0:
        body += f"<br>{label(_ABSORBED)[0]}: {fmt(row[_ABSORBED] * label(_ABSORBED)[1])}"
    return head + body


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


def _html_extras(batteries: bool, corridors: set[str]) -> str:
    """Legend box of the battery rings and the (``"used"``, ``"unused"``) corridor lines; empty without any."""
    if not (batteries or corridors):
        return ""
    rows = []
    if batteries:
        rows.append(f'<div><span style="display:inline-block;width:9px;height:9px;border-radius:50%;'
                    f'border:3px solid {BATTERY_COLOR};vertical-align:middle"></span> battery (ring width ∝ MWh)</div>')
    if "used" in corridors:
        rows.append(f'<div><span style="display:inline-block;width:22px;height:5px;background:{CORRIDOR_COLOR};'
                    f'vertical-align:middle"></span> UHV corridor (width ∝ peak flow)</div>')
    if "unused" in corridors:
        rows.append(f'<div><span style="display:inline-block;width:22px;border-top:1px dashed {CORRIDOR_UNUSED_COLOR};'
                    f'vertical-align:middle"></span> unused corridor</div>')
    return f"""
<div id="siting-legend-extras" style="position:absolute;top:10px;left:54px;z-index:1000;
  background:rgba(255,255,255,0.92);padding:6px 8px;font:12px/1.4 sans-serif;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,0.3)">{"".join(rows)}</div>
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
