"""Tests of siting.maps.static: figures rendered headless (Agg) and checked
for their artists and pixels, and the saved formats."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import PathPatch

from siting import datasets, maps
from siting.errors import InputError, SitingError
from siting.maps import style
from siting.maps.projection import project
from siting.maps.values import result_values

from .helpers import PROVINCES, assert_not_blank, by_gid, new_ax, pixels


# ------------------------------------------------------------------ plot()
def test_plot_draws_provinces_sites_and_flows(edwc):
    ax = maps.plot(edwc, ax=new_ax())

    provinces = by_gid(ax, "province:")
    assert set(provinces) == PROVINCES and len(provinces) == 31
    assert all(isinstance(p, PathPatch) for p in provinces.values())

    sites = edwc.sites
    built = sites["it_capacity_mw"] > 0
    groups = by_gid(ax, "sites:")
    assert all(isinstance(g, PathCollection) for g in groups.values())
    for role in ("east", "west"):
        assert len(groups[role].get_offsets()) == (built & (sites["role"] == role)).sum()
    assert len(groups["unused"].get_offsets()) == (~built).sum()
    # marker area is proportional to capacity
    west = groups["west"].get_sizes()
    cap = sites.loc[built & (sites["role"] == "west"), "it_capacity_mw"].to_numpy()
    np.testing.assert_allclose(west, 420.0 * cap / sites["it_capacity_mw"].max(), rtol=1e-9)

    flows = by_gid(ax, "flows:")
    assert set(flows) == set(edwc.scenario.workloads.index)
    assert all(isinstance(f, LineCollection) for f in flows.values())
    counts = edwc.allocation["workload"].value_counts()
    for w, lines in flows.items():
        assert len(lines.get_segments()) == counts.get(w, 0)
    widest = max(max(f.get_linewidths()) for f in flows.values())
    assert widest == pytest.approx(5.0)

    assert "IT capacity [MW]" in ax.get_title()
    assert_not_blank(pixels(ax.figure))


def test_plot_projection_is_equal_area(edwc):
    from pyproj import Geod

    ax = maps.plot(edwc, ax=new_ax(), flows=False, legend=False)
    patches = by_gid(ax, "province:")

    def plane_area(patch) -> float:
        total = 0.0
        for poly in patch.get_path().to_polygons(closed_only=True):
            x, y = poly[:, 0], poly[:, 1]
            total += 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
        return total

    geod = Geod(ellps="WGS84")
    gdf = datasets.boundaries()
    for province in ("Xinjiang", "Hainan", "Heilongjiang", "Shanghai"):
        true_m2 = abs(geod.geometry_area_perimeter(gdf.geometry[province])[0])
        assert plane_area(patches[province]) == pytest.approx(true_m2, rel=0.01), province
    x0, x1 = ax.get_xlim()
    assert x1 - x0 > 4e6  # metres, not degrees


def test_plot_province_values_follow_the_documented_aggregation(edwc):
    from matplotlib import colormaps

    sites = edwc.sites
    totals = sites.groupby("province")["it_capacity_mw"].sum()
    ax = maps.plot(edwc, ax=new_ax(), flows=False)
    top = totals.idxmax()
    assert by_gid(ax, "province:")[top].get_facecolor() == pytest.approx(colormaps["YlGn"](1.0))

    values = result_values(edwc, "green_share")
    w = sites["it_capacity_mw"]
    for province, part in sites.groupby("province"):
        if w[part.index].sum() > 0:
            expected = (part["green_share"] * w[part.index]).sum() / w[part.index].sum()
            assert values[province] == pytest.approx(expected, rel=1e-12)
        else:
            assert np.isnan(values[province])
    assert result_values(edwc, "emissions_t").sum() == pytest.approx(edwc.summary["emissions_t"], rel=1e-9)


@pytest.mark.parametrize("column", ["energy_mwh", "total_cny", "emissions_t", "green_share", "pue", "water_m3"])
def test_plot_columns(edwc, column):
    ax = maps.plot(edwc, column=column, ax=new_ax(), min_flow_mw=50.0)
    assert len(by_gid(ax, "province:")) == 31
    n_flows = sum(len(f.get_segments()) for f in by_gid(ax, "flows:").values())
    assert n_flows == (edwc.allocation["it_mw"] >= 50.0).sum()
    colorbar_label = ax.figure.axes[-1].get_xlabel()
    assert "[" in colorbar_label and "]" in colorbar_label  # unit shown


def test_plot_series_and_pyplot_axes(edwc):
    import matplotlib.pyplot as plt

    demand = edwc.scenario.demand.groupby("origin")["it_mw"].sum().rename("demand_mw")
    ax = maps.plot(edwc, column=demand)
    try:
        assert len(by_gid(ax, "province:")) == 31
        assert ax.get_title().endswith("Demand [MW]")
    finally:
        plt.close(ax.figure)


def test_plot_unknown_column_lists_valid_ones(edwc):
    with pytest.raises(InputError, match="unknown column 'capacity'.*it_capacity_mw"):
        maps.plot(edwc, column="capacity", ax=new_ax())
    with pytest.raises(InputError, match="unknown province 'Atlantis'"):
        maps.plot(edwc, column=pd.Series({"Atlantis": 1.0}), ax=new_ax())


def test_labels_in_english(edwc):
    ax = maps.plot(edwc, ax=new_ax(), labels=True)
    labels = by_gid(ax, "label:")
    built = edwc.sites.index[edwc.sites["it_capacity_mw"] > 0]
    assert set(labels) == set(built)  # the built sites, not the provinces
    assert labels["Horinger"].get_text() == "Horinger"


def _needs_cjk_font() -> None:
    try:
        style.cjk_font()
    except SitingError:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-wqy-microhei)")


def test_labels_in_chinese(edwc):
    _needs_cjk_font()
    ax = maps.plot(edwc, ax=new_ax(), labels=True, lang="zh")
    labels = by_gid(ax, "label:")
    assert labels["Horinger"].get_text() == edwc.scenario.sites.at["Horinger", "name_zh"]
    assert_not_blank(pixels(ax.figure))
    ax = maps.plot_provinces("water_stress", ax=new_ax(), labels=True, lang="zh")
    labels = by_gid(ax, "label:")
    assert labels["Inner Mongolia"].get_text() == datasets.provinces().at["Inner Mongolia", "name_zh"]


def test_chinese_labels_without_font_say_how_to_fix(edwc, monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(style, "_CJK_FONTS", ("No Such Font",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(SitingError, match="fonts-wqy-microhei.*lang='en'"):
        maps.plot(edwc, ax=new_ax(), labels=True, lang="zh")
    with pytest.raises(InputError, match="unknown label language 'fr'"):
        maps.plot(edwc, ax=new_ax(), labels=True, lang="fr")


# ------------------------------------------------------------------ inputs
@pytest.mark.parametrize(
    "column, unit",
    [
        ("electricity_price_cny_per_kwh", "[CNY/kWh]"),
        ("grid_ef_t_co2_per_mwh", "[tCO2/MWh]"),
        ("renewable_share", "[%]"),
        ("water_stress", "[score 0-5]"),
    ],
)
def test_plot_provinces(column, unit):
    ax = maps.plot_provinces(column, ax=new_ax())
    patches = by_gid(ax, "province:")
    assert set(patches) == PROVINCES
    colours = {p.get_facecolor() for p in patches.values()}
    assert len(colours) >= 3
    assert ax.figure.axes[-1].get_xlabel().endswith(unit)
    assert_not_blank(pixels(ax.figure))


def test_plot_provinces_series_and_errors(edwc):
    pue = edwc.scenario.sites.groupby("province")["pue"].mean().rename("pue")
    ax = maps.plot_provinces(pue, ax=new_ax(), labels=True)
    assert len(by_gid(ax, "province:")) == 31 and len(by_gid(ax, "label:")) == 31
    with pytest.raises(InputError, match="unknown or non-numeric column 'price'.*electricity_price_cny_per_kwh"):
        maps.plot_provinces("price")
    with pytest.raises(InputError, match="'region'"):
        maps.plot_provinces("region")


# ------------------------------------------------------------------ compare()
def test_compare_shares_one_colour_scale(results):
    east, edwc = results["east-only"], results["east-data-west-computing"]
    fig = maps.compare(east, edwc)
    map_axes = [ax for ax in fig.axes if by_gid(ax, "province:")]
    assert len(map_axes) == 2
    assert [ax.get_title() for ax in map_axes] == ["east-only", "east-data-west-computing"]
    top = max(result_values(r, "it_capacity_mw").max() for r in results.values())
    bars = [ax for ax in fig.axes if ax not in map_axes]
    assert len(bars) == 1
    assert bars[0].get_xlim()[1] == pytest.approx(top)
    # a province with the same value has the same colour in both panels
    a, b = (result_values(r, "it_capacity_mw") for r in (east, edwc))
    same = [p for p in a.index.intersection(b.index) if a[p] == pytest.approx(b[p])]
    for p in same:
        left, right = (by_gid(ax, "province:")[p].get_facecolor() for ax in map_axes)
        assert left == right, p
    # one marker scale: the largest site over both results gets the largest marker
    sizes = [by_gid(ax, "sites:")[r].get_sizes() for ax in map_axes for r in ("east", "west")]
    assert max(s.max() for s in sizes if len(s)) == pytest.approx(420.0)
    assert len(fig.legends) == 2
    assert_not_blank(pixels(fig))
    import matplotlib.pyplot as plt

    plt.close(fig)


# ------------------------------------------------------------------ save()
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_save_formats(edwc, tmp_path, suffix, magic):
    path = maps.save(edwc, tmp_path / f"map{suffix}", column="emissions_t", dpi=50)
    assert path == tmp_path / f"map{suffix}"
    assert path.read_bytes()[:5].startswith(magic)
    assert path.stat().st_size > 10_000


def test_save_refuses_unknown_format(edwc, tmp_path):
    with pytest.raises(InputError, match=r"unsupported map format '\.jpg'"):
        maps.save(edwc, tmp_path / "map.jpg")


def test_save_into_a_folder_that_does_not_exist_is_an_input_error(edwc, tmp_path):
    with pytest.raises(InputError, match=r"nowhere/map.png: cannot write the map"):
        maps.save(edwc, tmp_path / "nowhere" / "map.png", dpi=20)


# ------------------------------------------------------------------ issue 15: maps that read right
def _colorbar_cmap(ax) -> str:
    """Name of the colour map of the colour bar drawn for ``ax`` (the last axes of its figure)."""
    from matplotlib.collections import QuadMesh

    (solids,) = [c for c in ax.figure.axes[-1].collections if isinstance(c, QuadMesh)]
    return solids.get_cmap().name


@pytest.mark.parametrize(
    "column, cmap",
    [("emissions_t", "Reds"), ("green_share", "Greens"), ("total_cny", "cividis"), ("water_m3", "Blues"),
     ("it_capacity_mw", "YlGn"), ("energy_mwh", "YlGn")],
)
def test_colour_map_follows_the_quantity(edwc, column, cmap):
    from matplotlib import colormaps

    ax = maps.plot(edwc, column=column, ax=new_ax(), flows=False)
    assert _colorbar_cmap(ax) == cmap
    values = result_values(edwc, column)
    top = by_gid(ax, "province:")[values.idxmax()]
    assert top.get_facecolor() == pytest.approx(colormaps[cmap](1.0))  # the provinces, not only the bar


def test_emissions_are_never_green_and_an_explicit_cmap_wins(edwc):
    from matplotlib import colormaps

    for column in ("emissions_t", "grid_ef_t_co2_per_mwh"):
        darkest = colormaps[style.colormap_of(column)](1.0)[:3]
        assert darkest[0] > darkest[1], column  # the high end is red (or grey), not green
    ax = maps.plot(edwc, column="emissions_t", ax=new_ax(), flows=False, cmap="Greys")
    assert _colorbar_cmap(ax) == "Greys"
    ax = maps.plot_provinces("electricity_price_cny_per_kwh", ax=new_ax())
    assert _colorbar_cmap(ax) == "cividis"
    with pytest.raises(InputError, match="unknown colour map 'Redz'; use a matplotlib colour map name"):
        maps.plot(edwc, column="emissions_t", ax=new_ax(), cmap="Redz")


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_chinese_translates_every_text(edwc):
    _needs_cjk_font()
    ax = maps.plot(edwc, column="emissions_t", ax=new_ax(), lang="zh", labels=True)
    texts = _texts(ax.figure)
    assert ax.get_title() == "east-data-west-computing: 排放 [百万吨CO2/年]"
    assert ax.figure.axes[-1].get_xlabel() == "排放 [百万吨CO2/年]"
    legends = {a for a in ax.get_children() if type(a).__name__ == "Legend"}
    titles = {leg.get_title().get_text() for leg in legends}
    assert titles == {"站点（面积 ∝ IT容量）", "流向：需求地 → 站点"}
    entries = {t.get_text() for leg in legends for t in leg.get_texts()}
    assert {"东部站点", "西部站点", "候选站点，未建", "交互式", "准实时", "批处理"} <= entries
    english = ("Site", "site", "Flows", "Candidate", "interactive", "realtime", "batch", "Emissions", "Mt CO2")
    assert not [t for t in texts if any(word in t for word in english)]
    family = style.cjk_font()
    from matplotlib.text import Text

    assert all(family in t.get_fontfamily() for t in ax.findobj(Text) if t.get_text().strip())
    ax = maps.plot_provinces("water_stress", ax=new_ax(), lang="zh")
    assert ax.get_title() == "水资源压力 [评分 0-5]"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["估计值"]
    fig = maps.compare(edwc, edwc, lang="zh", titles=("甲", "乙"))
    assert fig.get_suptitle() == "IT容量 [MW]: 甲 对比 乙"
    assert not [t for t in _texts(fig) if any(word in t for word in english)]


def test_site_labels_sit_beside_their_markers(edwc):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    ax = maps.plot(edwc, ax=new_ax(), labels=True, flows=False)
    labels = by_gid(ax, "label:")
    sites = edwc.sites.loc[list(labels)]
    x, y = project(sites["lon"], sites["lat"])
    radius_pt = np.sqrt(420.0 * sites["it_capacity_mw"] / edwc.sites["it_capacity_mw"].max()) / 2
    fig = ax.figure
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for (site, ann), xi, yi, r in zip(labels.items(), x, y, radius_pt):
        assert ann.xy == pytest.approx((xi, yi)), site  # points at its site...
        assert ann.anncoords == "offset points"
        assert np.hypot(*ann.xyann) > r, site  # ...from beyond the marker's edge
        assert ann.arrow_patch is not None  # with a leader line
        ann.update_positions(renderer)
        box = Text.get_window_extent(ann, renderer)  # the text, without its leader line
        cx, cy = ax.transData.transform((xi, yi))
        r_px = r * fig.dpi / 72
        nearest = np.clip([cx, cy], [box.x0, box.y0], [box.x1, box.y1])
        assert np.hypot(nearest[0] - cx, nearest[1] - cy) >= 0.9 * r_px, f"{site}: label covers its marker"


def test_flow_classes_keep_distinct_colours(edwc):
    from matplotlib.colors import to_rgb

    ax = maps.plot(edwc, ax=new_ax())
    flows = by_gid(ax, "flows:")
    rgb = {w: np.array(to_rgb(f.get_edgecolor()[0])) for w, f in flows.items()}
    assert len(rgb) == 3
    for a, b in [("interactive", "near_realtime"), ("interactive", "batch"), ("near_realtime", "batch")]:
        assert np.linalg.norm(rgb[a] - rgb[b]) > 0.5, (a, b)
    assert all(f.get_alpha() in (None, 1.0) for f in flows.values())  # opaque: crossings do not mix to brown
    assert len({f.get_zorder() for f in flows.values()}) == 3  # each class its own layer
    legends = {a for a in ax.get_children() if type(a).__name__ == "Legend"}
    (flow_legend,) = [leg for leg in legends if leg.get_title().get_text().startswith("Flows")]
    shown = {t.get_text(): h.get_color() for t, h in zip(flow_legend.get_texts(), flow_legend.legend_handles)}
    for w, colour in rgb.items():
        assert to_rgb(shown[w.replace("_", " ")]) == pytest.approx(tuple(colour))


def test_input_maps_hatch_estimated_provinces():
    prov = datasets.provinces()
    expected = set(prov.index[prov["water_stress_source"].str.lower().str.startswith("estimate")])
    assert expected  # the bundled data has estimated water stress
    ax = maps.plot_provinces("water_stress", ax=new_ax())
    hatched = by_gid(ax, "estimate:")
    assert set(hatched) == expected
    assert all(p.get_hatch() for p in hatched.values())
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["estimate"]
    assert legend.legend_handles[0].get_hatch()
    assert set(by_gid(maps.plot_provinces("grid_ef_t_co2_per_mwh", ax=new_ax()), "estimate:")) == {"Tibet"}
    ax = maps.plot_provinces("electricity_price_cny_per_kwh", ax=new_ax())  # derived everywhere
    assert not by_gid(ax, "estimate:") and ax.get_legend() is None


def test_svg_keeps_text_as_text(edwc, tmp_path):
    import matplotlib as mpl

    path = maps.save(edwc, tmp_path / "map.svg", column="emissions_t", labels=True)
    svg = path.read_text(encoding="utf-8")
    assert re.search(r"<text[^>]*>east-data-west-computing: Emissions \[Mt CO2/yr\]</text>", svg)
    assert re.search(r"<text[^>]*>Horinger</text>", svg)
    assert mpl.rcParams["svg.fonttype"] == "path"  # the setting is the file's only
