"""Tests of batteries, UHV corridors and absorbed curtailment on the static and interactive maps (issues 12, 13, 15).

The results are result-like stand-ins built from the solved EDWC preset: its
scenario, allocation and sites, with batteries, absorbed curtailment and a
corridors table added, so that no test needs a solve with storage or
corridors.
"""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection

from siting import datasets, maps
from siting.errors import InputError, SitingError
from siting.maps import style
from siting.maps.labels import label_offsets
from siting.maps.projection import project
from siting.maps.values import batteries, corridor_ends, result_values

from .helpers import assert_not_blank, by_gid, new_ax, pixels

# site -> (battery MW, battery MWh)
BATTERIES = {"Zhongwei": (500.0, 2000.0), "Horinger": (100.0, 400.0), "Shaoguan": (50.0, 100.0)}
ABSORBED = {"Zhongwei": 3.0e5, "Horinger": 1.2e6, "Qingyang": 2.0e5}  # [MWh/yr]
CORRIDORS = pd.DataFrame(
    {
        "sending_province": ["Ningxia", "Gansu", "Xinjiang", "Inner Mongolia"],
        "receiving_province": ["Zhejiang", "Hunan", "Anhui", "Shandong"],
        "capacity_mw": [8000.0, 8000.0, 12000.0, 10000.0],
        "mw": [9000.0, 2500.0, 0.0, 600.0],
        "peak_flow_mw": [6000.0, 1500.0, 0.0, 400.0],
        "delivered_mwh": [2.1e7, 5.0e6, 0.0, 1.0e6],
        "loss_mwh": [1.4e6, 3.0e5, 0.0, 5.0e4],
        "cost_cny": [1.5e9, 3.0e8, 0.0, 6.0e7],
    },
    index=pd.Index(["Ningdong-Zhejiang", "Jiuquan-Hunan", "Changji-Guquan", "Shanghaimiao-Shandong"], name="corridor"),
)
USED = ["Ningdong-Zhejiang", "Jiuquan-Hunan", "Shanghaimiao-Shandong"]


def fake(edwc, *, storage: bool = True, corridors: pd.DataFrame | None = CORRIDORS, absorbed: bool = True,
         has_corridors: bool = True):
    """A result-like object: ``edwc`` with batteries, absorbed curtailment and corridors as asked."""
    sites = edwc.sites.copy()
    sites["battery_mw"], sites["battery_mwh"] = 0.0, 0.0
    if storage:
        for site, (mw, mwh) in BATTERIES.items():
            sites.loc[site, ["battery_mw", "battery_mwh"]] = mw, mwh
    if absorbed:
        sites["curtailment_absorbed_mwh"] = pd.Series(ABSORBED).reindex(sites.index).fillna(0.0)
    out = SimpleNamespace(scenario=edwc.scenario, sites=sites, allocation=edwc.allocation)
    if has_corridors:
        out.corridors = CORRIDORS.iloc[:0] if corridors is None else corridors
    return out


def _legend_texts(ax) -> set[str]:
    legends = [a for a in ax.get_children() if type(a).__name__ == "Legend"]
    return {t.get_text() for leg in legends for t in [leg.get_title(), *leg.get_texts()]}


# ------------------------------------------------------------------ batteries, static
def test_batteries_are_squares_beside_their_sites_sized_by_mwh(edwc):
    from matplotlib.colors import to_rgb

    result = fake(edwc, corridors=None)
    ax = maps.plot(result, ax=new_ax())
    squares = by_gid(ax, "batteries")[""]
    assert isinstance(squares, PathCollection)
    order = list(batteries(result).sort_values("battery_mwh", ascending=False).index)  # placed largest first
    assert set(order) == set(BATTERIES)
    x, y = project(result.sites.loc[order, "lon"], result.sites.loc[order, "lat"])
    np.testing.assert_allclose(squares.get_offsets(), np.column_stack([x, y]))  # each square around its site
    # each square is a path in points from its site: area ∝ MWh, off its own marker and off every other one
    paths = squares.get_paths()
    sides = np.array([np.ptp(p.vertices[:, 0]) for p in paths])
    assert list(np.argsort(sides)) == list(np.argsort([BATTERIES[s][1] for s in order]))
    assert sides.max() == pytest.approx(np.sqrt(120.0))
    sites = result.sites[result.sites["it_capacity_mw"] > 0]
    radius_pt = np.sqrt(420.0 * sites["it_capacity_mw"] / result.sites["it_capacity_mw"].max()) / 2
    sx, sy = project(sites["lon"], sites["lat"])
    sites_pt = ax.transData.transform(np.column_stack([sx, sy])) * 72.0 / ax.figure.dpi
    for site, path, xi, yi in zip(order, paths, x, y):
        centre_pt = ax.transData.transform((xi, yi)) * 72.0 / ax.figure.dpi
        lo, hi = centre_pt + path.vertices.min(axis=0), centre_pt + path.vertices.max(axis=0)
        nearest = np.clip(sites_pt, lo, hi)
        assert (np.hypot(*(nearest - sites_pt).T) >= radius_pt.to_numpy() - 1e-6).all(), f"{site}: covers a marker"
        own = sites.index.get_loc(site)
        assert np.hypot(*(nearest[own] - sites_pt[own])) < radius_pt.iloc[own] + 3.0  # beside its own marker
    assert squares.get_zorder() > max(g.get_zorder() for g in by_gid(ax, "sites:").values())
    assert {"Battery 500 MWh", "Battery 2,000 MWh"} <= _legend_texts(ax)
    assert_not_blank(pixels(ax.figure))
    rgb = pixels(maps.plot(result, ax=new_ax(), legend=False).figure)  # no legend squares
    teal = (np.abs(rgb - np.array(to_rgb(style.BATTERY_COLOR))) < 0.03).all(axis=-1).sum()
    assert teal > 20  # the squares render (in points, not in metres of the map)


@pytest.mark.parametrize("variant", ["zeros", "no columns"])
def test_no_battery_no_squares_and_no_legend_entry(edwc, variant):
    result = fake(edwc, storage=False, corridors=None)
    if variant == "no columns":
        result.sites = result.sites.drop(columns=["battery_mw", "battery_mwh"])
    ax = maps.plot(result, ax=new_ax())
    assert not by_gid(ax, "batteries")
    assert not [t for t in _legend_texts(ax) if t.startswith("Battery")]
    assert batteries(result).empty


def test_labels_avoid_the_battery_squares(edwc):
    # the preferred place (upper right) is free; an obstacle there moves the label
    xy, radius, size = np.array([[100.0, 100.0]]), np.array([5.0]), np.array([[30.0, 8.0]])
    assert label_offsets(xy, radius, size, 6.0)[0][1:] == ("left", "bottom")
    blocked = label_offsets(xy, radius, size, 6.0, obstacles=(np.array([[125.0, 115.0]]), np.array([6.0])))
    assert blocked[0][1:] != ("left", "bottom")
    ax = maps.plot(fake(edwc), ax=new_ax(), labels=True)
    assert "Zhongwei" in by_gid(ax, "label:")


# ------------------------------------------------------------------ corridors, static
def test_one_line_per_used_corridor_width_by_peak_flow(edwc):
    result = fake(edwc)
    ax = maps.plot(result, ax=new_ax())
    used = by_gid(ax, "corridors:")["used"]
    assert isinstance(used, LineCollection)
    segments = used.get_segments()
    assert len(segments) == len(USED)
    prov = datasets.provinces()
    for seg, name in zip(segments, USED):
        row = CORRIDORS.loc[name]
        start = project(prov.loc[[row["sending_province"]], "lon"], prov.loc[[row["sending_province"]], "lat"])
        end = project(prov.loc[[row["receiving_province"]], "lon"], prov.loc[[row["receiving_province"]], "lat"])
        np.testing.assert_allclose(seg, [[start[0][0], start[1][0]], [end[0][0], end[1][0]]])
    widths = np.asarray(used.get_linewidths())
    peak = CORRIDORS.loc[USED, "peak_flow_mw"].to_numpy()
    assert list(np.argsort(widths)) == list(np.argsort(peak))
    assert widths.max() == pytest.approx(8.0)
    # unused corridors: thin, grey, dashed
    unused = by_gid(ax, "corridors:")["unused"]
    assert len(unused.get_segments()) == 1 and max(unused.get_linewidths()) < widths.min()
    assert unused.get_linestyle()[0][1] is not None
    # under the flows and sites, over the provinces; a colour no flow class has
    flows = by_gid(ax, "flows:")
    assert 1 < used.get_zorder() < min(f.get_zorder() for f in flows.values())
    from matplotlib.colors import to_rgb

    corridor_rgb = np.array(to_rgb(used.get_edgecolor()[0]))
    assert to_rgb(style.CORRIDOR_COLOR) == pytest.approx(tuple(corridor_rgb))
    for f in flows.values():
        assert np.linalg.norm(corridor_rgb - to_rgb(f.get_edgecolor()[0])) > 0.3
    entries = _legend_texts(ax)
    assert "UHV corridors (width ∝ peak flow)" in entries
    assert {"1 GW", "5 GW", "unused corridor"}  # round reference widths up to 6 GW <= entries


@pytest.mark.parametrize("variant", ["empty", "missing", "the real result"])
def test_no_corridor_lines_without_corridors(edwc, variant):
    result = {
        "empty": fake(edwc, corridors=None),
        "missing": fake(edwc, has_corridors=False),
        "the real result": edwc,
    }[variant]
    ax = maps.plot(result, ax=new_ax())
    assert not by_gid(ax, "corridors:")
    assert not [t for t in _legend_texts(ax) if "corridor" in t]
    assert corridor_ends(result).empty


def test_only_unused_corridors_are_dashed_lines_only(edwc):
    idle = CORRIDORS.assign(peak_flow_mw=0.0)
    ax = maps.plot(fake(edwc, corridors=idle), ax=new_ax())
    assert set(by_gid(ax, "corridors:")) == {"unused"}
    assert "unused corridor" in _legend_texts(ax)
    assert not [t for t in _legend_texts(ax) if t.endswith("GW")]


def test_corridor_between_unknown_provinces_is_an_input_error(edwc):
    bad = CORRIDORS.assign(receiving_province=["Atlantis", "Hunan", "Anhui", "Shandong"])
    with pytest.raises(InputError, match="corridor 'Ningdong-Zhejiang': unknown receiving_province 'Atlantis'"):
        maps.plot(fake(edwc, corridors=bad), ax=new_ax())


def test_compare_shares_the_corridor_scale_and_adds_its_legend(edwc):
    import matplotlib.pyplot as plt

    fig = maps.compare(fake(edwc, corridors=CORRIDORS.assign(peak_flow_mw=CORRIDORS["peak_flow_mw"] / 2)), fake(edwc))
    try:
        map_axes = [ax for ax in fig.axes if by_gid(ax, "province:")]
        left, right = (by_gid(ax, "corridors:")["used"] for ax in map_axes)
        assert max(right.get_linewidths()) == pytest.approx(8.0)
        assert max(left.get_linewidths()) < 8.0
        assert len(fig.legends) == 3
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ absorbed curtailment
def test_absorbed_curtailment_choropleth_in_greens(edwc):
    from matplotlib import colormaps
    from matplotlib.collections import QuadMesh

    result = fake(edwc)
    column = "curtailment_absorbed_mwh"
    assert style.colormap_of(column) == "Greens"
    values = result_values(result, column)
    assert values["Inner Mongolia"] == pytest.approx(1.2e6) and values.sum() == pytest.approx(1.7e6)
    ax = maps.plot(result, column=column, ax=new_ax())
    (solids,) = [c for c in ax.figure.axes[-1].collections if isinstance(c, QuadMesh)]
    assert solids.get_cmap().name == "Greens"
    assert ax.figure.axes[-1].get_xlabel() == "Absorbed curtailed energy [TWh/yr]"
    patches = by_gid(ax, "province:")
    assert patches["Inner Mongolia"].get_facecolor() == pytest.approx(colormaps["Greens"](1.0))
    assert patches["Guangdong"].get_facecolor() == pytest.approx(colormaps["Greens"](0.0))  # 0: the scale's start


# ------------------------------------------------------------------ Chinese
def test_chinese_legends_of_batteries_and_corridors(edwc):
    try:
        style.cjk_font()
    except SitingError:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-wqy-microhei)")
    ax = maps.plot(fake(edwc), column="curtailment_absorbed_mwh", ax=new_ax(), lang="zh")
    entries = _legend_texts(ax)
    assert {"储能 500 MWh", "储能 2,000 MWh", "特高压通道（线宽 ∝ 峰值输送功率）", "未使用通道", "5 GW"} <= entries
    assert ax.figure.axes[-1].get_xlabel() == "消纳弃风弃光电量 [TWh/年]"
    english = ("Battery", "corridor", "UHV", "Absorbed")
    assert not [t for t in entries | {ax.get_title()} if any(w in t for w in english)]


# ------------------------------------------------------------------ interactive
def test_interactive_map_has_corridor_tooltips_battery_rings_and_absorbed_layer(edwc):
    text = maps.explore(fake(edwc)).get_root().render()
    assert text.count('"className": "siting-corridor"') == len(CORRIDORS)
    assert "Ningdong-Zhejiang" in text and "Ningxia → Zhejiang" in text
    assert "peak flow: 6,000 MW" in text and "delivered: 21 TWh/yr" in text and "losses: 1.4 TWh/yr" in text
    assert "battery: 500 MW / 2,000 MWh" in text
    assert text.count('"className": "siting-battery"') == len(BATTERIES)
    assert "Provinces: Absorbed curtailed energy [TWh/yr]" in text and "siting-absorbed" in text
    assert "UHV corridor (width ∝ peak flow)" in text and "battery (ring width ∝ MWh)" in text


def test_interactive_map_without_storage_or_corridors_has_none(edwc):
    text = maps.explore(fake(edwc, storage=False, corridors=None, absorbed=False)).get_root().render()
    assert "siting-corridor" not in text and "siting-battery" not in text and "siting-absorbed" not in text
    assert "battery:" not in text and "siting-legend-extras" not in text
    text = maps.explore(fake(edwc, has_corridors=False), column="curtailment_absorbed_mwh").get_root().render()
    assert "siting-corridor" not in text and "siting-absorbed" not in text  # the main layer already shows it


def test_storage_and_corridor_labels_and_colour_maps():
    assert style.label("battery_mwh") == ("Battery energy [MWh]", 1.0)  # a stored energy, not TWh per year
    assert style.label("battery_mw", "zh") == ("储能功率 [MW]", 1.0)
    assert style.label("curtailment_absorbed_mwh") == ("Absorbed curtailed energy [TWh/yr]", 1e-6)
    assert style.label("corridor_cny", "zh")[0] == "跨区通道成本 [十亿元/年]"
    assert style.colormap_of("curtailment_absorbed_mwh") == "Greens" and style.colormap_of("curtailed_mwh") == "Oranges"
    assert style.text("battery", "zh") == "储能" and style.text("corridor:unused", "zh") == "未使用通道"
