"""Tests of siting.maps: static figures rendered headless (Agg) and checked
for their artists and pixels, saved formats, the interactive map's HTML, and
the HTML opened in headless Chromium with no network."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

import siting
from siting import datasets, maps
from siting.errors import InputError, SitingError

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PROVINCES = set(datasets.provinces().index)


@pytest.fixture(scope="module")
def results() -> dict[str, siting.Result]:
    """The two headline presets, one time slice each (fast)."""
    return {
        name: siting.solve(siting.Scenario.preset(name, resolution="average"))
        for name in ("east-only", "east-data-west-computing")
    }


@pytest.fixture(scope="module")
def edwc(results) -> siting.Result:
    return results["east-data-west-computing"]


def new_ax():
    return Figure(figsize=(8, 6)).add_subplot()


def by_gid(ax, prefix: str) -> dict[str, object]:
    """Artists of ``ax`` whose gid starts with ``prefix``, keyed by the rest."""
    artists = [*ax.patches, *ax.collections, *ax.texts]
    return {a.get_gid()[len(prefix) :]: a for a in artists if (a.get_gid() or "").startswith(prefix)}


def pixels(fig: Figure) -> np.ndarray:
    """RGB pixels [0..1] of the figure rendered to PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    buf.seek(0)
    return matplotlib.image.imread(buf, format="png")[..., :3]


def assert_not_blank(rgb: np.ndarray, min_colours: int = 50) -> None:
    assert rgb.std() > 0.05, "image is (nearly) uniform"
    non_white = (rgb < 0.97).any(axis=-1).mean()
    assert non_white > 0.1, f"only {non_white:.0%} of the image is drawn"
    assert len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0)) >= min_colours


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

    values = maps._result_values(edwc, "green_share")
    w = sites["it_capacity_mw"]
    for province, part in sites.groupby("province"):
        if w[part.index].sum() > 0:
            expected = (part["green_share"] * w[part.index]).sum() / w[part.index].sum()
            assert values[province] == pytest.approx(expected, rel=1e-12)
        else:
            assert np.isnan(values[province])
    assert maps._result_values(edwc, "emissions_t").sum() == pytest.approx(edwc.summary["emissions_t"], rel=1e-9)


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
    assert set(labels) == PROVINCES
    assert labels["Inner Mongolia"].get_text() == "Inner Mongolia"


def test_labels_in_chinese(edwc):
    try:
        maps._cjk_font()
    except SitingError:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-wqy-microhei)")
    ax = maps.plot(edwc, ax=new_ax(), labels=True, lang="zh")
    labels = by_gid(ax, "label:")
    assert labels["Inner Mongolia"].get_text() == datasets.provinces().at["Inner Mongolia", "name_zh"]
    assert_not_blank(pixels(ax.figure))


def test_chinese_labels_without_font_say_how_to_fix(edwc, monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(maps, "_CJK_FONTS", ("No Such Font",))
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
    top = max(maps._result_values(r, "it_capacity_mw").max() for r in results.values())
    bars = [ax for ax in fig.axes if ax not in map_axes]
    assert len(bars) == 1
    assert bars[0].get_xlim()[1] == pytest.approx(top)
    # a province with the same value has the same colour in both panels
    a, b = (maps._result_values(r, "it_capacity_mw") for r in (east, edwc))
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


def test_result_to_dir_writes_maps(edwc, tmp_path):
    out = edwc.to_dir(tmp_path / "out")
    assert (out / "map.png").stat().st_size > 10_000
    assert "siting-province" in (out / "map.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ explore()
def test_explore_is_standalone_html(edwc, tmp_path):
    import folium

    fmap = maps.explore(edwc)
    assert isinstance(fmap, folium.Map)
    path = tmp_path / "map.html"
    fmap.save(str(path))
    text = path.read_text(encoding="utf-8")
    assert "<script src=" not in text and "<link " not in text  # nothing fetched
    assert "Leaflet 1.9.4" in text
    assert text.count('"className": "siting-province"') >= 1
    for province in ("Inner Mongolia", "Guangdong"):
        assert province in text
    assert "内蒙古" in text or json.dumps("内蒙古") in text  # Chinese name in the tooltip
    assert "Demand [MW]" in text and "RTT:" in text  # province and flow tooltips


def test_explore_tiles_are_optional(edwc):
    text = maps.explore(edwc, tiles="OpenStreetMap").get_root().render()
    assert "tile.openstreetmap.org" in text


def test_explore_without_folium_says_how_to_install(edwc, monkeypatch):
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match=r'pip install "siting\[interactive\]"'):
        maps.explore(edwc)


def test_import_stays_light():
    code = "import sys, siting, siting.maps; print(sorted(m for m in ('matplotlib', 'folium') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ browser
@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian chromium + chromium-driver (/usr/bin/chromium); .ci/run installs them"
)
def test_explore_renders_in_headless_chromium(edwc, tmp_path):
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / "map.html"
    maps.explore(edwc).save(str(path))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(arg)
    options.add_argument("--window-size=1200,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(path.as_uri())
        try:
            WebDriverWait(driver, 20).until(
                lambda d: d.execute_script(
                    "return document.querySelectorAll('path.siting-province').length > 0"
                    " && document.querySelector('.leaflet-zoom-anim') === null"
                )
            )
        except TimeoutException:
            pytest.fail(f"the map did not render in 20 s; browser console: {driver.get_log('browser')}")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        # one SVG path per province, each bound to its own province's feature
        names = driver.execute_script(
            """
            const map = window[document.querySelector('.folium-map').id];
            const names = [];
            map.eachLayer(l => {
                if (l.feature && l._path && l._path.isConnected
                    && l._path.classList.contains('siting-province')) names.push(l.feature.properties.province);
            });
            return names;
            """
        )
        assert len(driver.find_elements("css selector", ".leaflet-overlay-pane svg path.siting-province")) == 31
        assert sorted(names) == sorted(PROVINCES)
        n_sites = len(driver.find_elements("css selector", "path.siting-site"))
        assert n_sites == len(edwc.sites)
        png = driver.get_screenshot_as_png()
    finally:
        driver.quit()
    (tmp_path / "screenshot.png").write_bytes(png)
    rgb = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    assert_not_blank(rgb, min_colours=30)
