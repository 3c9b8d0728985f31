"""Bundled datasets: completeness, plausibility, provenance and validation of user data."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siting
from siting import datasets
from siting.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def provinces():
    return datasets.provinces()


@pytest.fixture(scope="module")
def sites():
    return datasets.sites()


def test_31_provinces_complete(provinces):
    assert len(provinces) == 31
    assert provinces.index.name == "province"
    assert {"Beijing", "Inner Mongolia", "Ningxia", "Tibet", "Xinjiang"} <= set(provinces.index)
    cols = [c.name for c in datasets.PROVINCE_COLUMNS if not c.nan_ok]  # funds: empty for Tibet
    assert not provinces[cols].isna().any().any()
    assert provinces.at["Beijing", "adcode"] == 110000
    assert provinces.at["Inner Mongolia", "name_zh"] == "内蒙古"
    assert set(provinces["region"]) == {"east", "central", "west", "northeast"}


def test_province_values_plausible(provinces):
    # MEE/NBS 2022 factors lie in [0.10, 0.73] t/MWh; hydro provinces are lowest
    ef = provinces["grid_ef_t_co2_per_mwh"]
    assert ef.between(0.10, 0.73).all()
    assert set(ef.nsmallest(3).index) <= {"Yunnan", "Sichuan", "Qinghai", "Tibet"}
    # a data center's tariff sits above the coal benchmark
    assert (provinces["electricity_price_cny_per_kwh"] > provinces["coal_benchmark_cny_per_kwh"]).all()
    assert provinces["population_million"].sum() == pytest.approx(1409, rel=0.02)  # NBS 2023: 1,409.67 M
    assert provinces["gdp_billion_cny"].sum() == pytest.approx(126_000, rel=0.08)  # NBS 2023 GDP ~126 trn
    assert provinces["land_area_km2"].sum() == pytest.approx(9.6e6, rel=0.05)
    assert provinces.loc["Heilongjiang", "mean_temp_c"] < provinces.loc["Guangdong", "mean_temp_c"]
    # hydro provinces generate the most non-fossil power (NBS 2022)
    assert set(provinces["renewable_share"].nlargest(4).index) == {"Tibet", "Yunnan", "Sichuan", "Qinghai"}
    # the EF-implied share of grid power is 1 - EF / 0.8325 (fossil-only factor 2022)
    np.testing.assert_allclose(
        provinces["grid_renewable_share"], 1 - provinces["grid_ef_t_co2_per_mwh"] / 0.8325, atol=1e-4
    )
    # the North China Plain and Ningxia are the most water-stressed
    assert (provinces.loc[["Beijing", "Tianjin", "Hebei", "Ningxia"], "water_stress"] >= 4).all()
    # a data center pays more in the east than at the western hubs
    price = provinces["electricity_price_cny_per_kwh"]
    assert price[["Ningxia", "Inner Mongolia", "Xinjiang"]].max() < price[["Shanghai", "Beijing", "Guangdong"]].min()


def test_sites_clusters_and_capitals(sites, provinces):
    clusters = sites[sites["kind"] == "cluster"]
    assert len(clusters) == 10
    assert len(sites[sites["kind"] == "capital"]) == 31
    assert set(sites.loc[sites["kind"] == "capital", "province"]) == set(provinces.index)
    assert set(clusters.index) == {
        "Zhangjiakou", "YRD Demo Zone", "Wuhu", "Shaoguan", "Tianfu",
        "Chongqing", "Horinger", "Gui'an", "Qingyang", "Zhongwei",
    }
    west = {"Horinger", "Gui'an", "Qingyang", "Zhongwei"}
    assert set(clusters.index[clusters["role"] == "west"]) == west
    assert (clusters.loc[list(west), "pue_max"] == 1.2).all()
    assert (clusters.drop(list(west))["pue_max"] == 1.25).all()
    assert (sites["it_capacity_max_mw"] > 0).all()


def test_boundaries_valid(provinces):
    gdf = datasets.boundaries()
    assert len(gdf) == 31
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    assert set(gdf.index) == set(provinces.index)
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    # every capital lies in its province
    import geopandas as gpd

    pts = gpd.points_from_xy(provinces["lon"], provinces["lat"], crs=4326)
    inside = [gdf.geometry[p].contains(pt) for p, pt in zip(provinces.index, pts)]
    assert all(inside)


def test_profiles_shape_range_night_and_means(sites, provinces):
    prof = datasets.profiles()
    assert prof.shape == (8760, 2 * len(sites))
    assert str(prof.index.tz) == "Asia/Shanghai"
    assert prof.index[0] == pd.Timestamp("2023-01-01 00:00", tz="Asia/Shanghai")
    values = prof.to_numpy()
    assert values.min() >= 0 and values.max() <= 1
    solar = prof.xs("solar", axis=1, level="technology")
    # night in China Standard Time: nothing between 23:00 and 03:00 anywhere
    night = solar[(solar.index.hour >= 23) | (solar.index.hour <= 3)]
    assert (night.to_numpy() == 0).all()
    for tech in ("solar", "wind"):
        means = prof.xs(tech, axis=1, level="technology").mean()
        expected = provinces.loc[sites.loc[means.index, "province"], f"{tech}_cf"].to_numpy()
        np.testing.assert_allclose(means.to_numpy(), expected, atol=1e-3)


def test_parameters_have_status_and_source():
    table = datasets.parameters()
    assert set(table["status"]) <= {"sourced", "derived", "estimate"}
    assert table["source"].str.len().min() > 10
    assert datasets.parameter("fibre_speed_km_per_s") == pytest.approx(204_000, rel=0.02)
    with pytest.raises(KeyError, match="valid names"):
        datasets.parameter("no_such_parameter")


# ---------------------------------------------------------------- provenance


def _documented_columns() -> dict[str, set[str]]:
    text = datasets.sources()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    out: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^## (\S+)", line)
        if m:
            current = m.group(1)
            out.setdefault(current, set())
            continue
        m = re.match(r"^\|\s*`([^`]+)`", line)
        if m and current:
            out[current].add(m.group(1))
    return out


def test_every_column_of_every_file_has_a_source_entry():
    documented = _documented_columns()
    d = datasets.data_dir()
    checked = 0
    for path in sorted(d.glob("*.csv")):
        assert path.name in documented, f"SOURCES.md has no section for {path.name}"
        columns = pd.read_csv(path, nrows=0, comment="#").columns
        missing = [c for c in columns if c not in documented[path.name]]
        assert not missing, f"SOURCES.md, section {path.name}: no entry for column(s) {missing}"
        checked += 1
    assert checked >= 6
    assert "boundaries.geojson" in documented and "weather_solar_clearness.csv" in documented
    assert {"province", "name_zh", "geometry"} <= documented["boundaries.geojson"]


def test_estimates_are_labelled():
    text = datasets.sources()
    for word in ("estimate", "derived", "sourced"):
        assert word in text
    sites = pd.read_csv(datasets.data_dir() / "sites.csv")
    # every buildable capacity says how it was obtained
    assert sites["capacity_method"].str.match(r"(estimate|derived|sourced)").all()


# ---------------------------------------------------------------- user data


def _bad(frame: pd.DataFrame, row: str, column: str, value) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].astype(object)
    out.loc[row, column] = value
    return out


def test_user_province_table_errors_name_row_and_column(provinces):
    with pytest.raises(InputError, match=r"provinces table: missing column 'wind_cf'"):
        datasets.provinces(provinces.drop(columns="wind_cf"))
    with pytest.raises(InputError, match=r"row 'Hebei', column 'electricity_price_cny_per_kwh': -0.1 is negative"):
        datasets.provinces(_bad(provinces, "Hebei", "electricity_price_cny_per_kwh", -0.1))
    with pytest.raises(InputError, match=r"row 'Tibet', column 'grid_ef_t_co2_per_mwh': missing value"):
        datasets.provinces(_bad(provinces, "Tibet", "grid_ef_t_co2_per_mwh", np.nan))
    with pytest.raises(InputError, match=r"row 'Gansu', column 'lat': 95 is above the maximum 90"):
        datasets.provinces(_bad(provinces, "Gansu", "lat", 95.0))
    with pytest.raises(InputError, match=r"row 'Gansu', column 'lat': 5 is outside mainland China"):
        datasets.provinces(_bad(provinces, "Gansu", "lat", 5.0))
    with pytest.raises(InputError, match=r"'abc' is not a number"):
        datasets.provinces(_bad(provinces, "Gansu", "solar_cf", "abc"))


def test_user_site_file_errors(tmp_path, sites):
    bad = sites.reset_index()
    bad.loc[3, "province"] = "Atlantis"
    path = tmp_path / "my_sites.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"my_sites.csv: column 'province' names unknown province 'Atlantis'"):
        datasets.sites(path)
    with pytest.raises(InputError, match=r"row 'Wuhu', column 'role': 'north' is not one of"):
        datasets.sites(_bad(sites, "Wuhu", "role", "north"))
    with pytest.raises(InputError, match="file not found"):
        datasets.sites(tmp_path / "nope.csv")
    ok = datasets.sites(sites.iloc[:3])
    assert len(ok) == 3


def test_an_empty_province_table_is_refused(tmp_path, provinces):
    # used to pass, then every site was refused with "valid values are: " and an empty list
    with pytest.raises(InputError, match=r"^provinces table: the table has no rows \(only a header\)"):
        datasets.provinces(provinces.iloc[:0])
    provinces.iloc[:0].to_csv(tmp_path / "mine.csv")
    with pytest.raises(InputError, match=r"^mine.csv: the table has no rows"):
        datasets.provinces(tmp_path / "mine.csv")


def test_user_site_file_errors_name_the_line(tmp_path, sites):
    bad = sites.reset_index()
    bad.loc[4, "lat"] = 99.0
    bad.to_csv(tmp_path / "mine.csv", index=False)
    with pytest.raises(InputError, match=r"^mine.csv: line 6, column 'lat': 99 is above the maximum 90; "
                                         r"expected a number in \[-90, 90\]$"):
        datasets.sites(tmp_path / "mine.csv")


def test_user_profiles_errors():
    prof = datasets.profiles()
    with pytest.raises(InputError, match="8759 rows; expected 8760"):
        datasets.profiles(prof.iloc[1:])
    bad = prof.copy()
    bad.iloc[5, 2] = 1.5
    with pytest.raises(InputError, match=r"1.5 is above 1; expected a capacity factor in \[0, 1\]"):
        datasets.profiles(bad)


def test_files_listing():
    listing = datasets.files()
    assert {"provinces.csv", "sites.csv", "boundaries.geojson", "weather_solar_clearness.csv", "SOURCES.md"} <= set(listing.index)


# ---------------------------------------------------------------- installed wheel


@pytest.mark.slow
def test_non_editable_wheel_loads_every_dataset(tmp_path):
    """Build the wheel, install it into a bare folder and load the data from /tmp."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True,
    )
    (wheel,) = wheel_dir.glob("siting-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("provinces.csv", "sites.csv", "boundaries.geojson", "weather_solar_clearness.csv", "SOURCES.md"):
        assert f"siting/_datasets/{f}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    code = (
        "import siting, siting.datasets as d;"
        f"assert siting.__file__.startswith({str(target)!r}), siting.__file__;"
        "print(len(d.provinces()), len(d.sites()), len(d.boundaries()), d.profiles().shape[0], len(d.parameters()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:4] == ["31", "41", "31", "8760"]


def test_own_sites_from_five_columns_get_documented_defaults_and_solve():
    table = pd.DataFrame({
        "site": ["Chengdu campus", "Lanzhou campus", "Suzhou campus"],
        "province": ["Sichuan", "Gansu", "Jiangsu"],
        "lat": [30.57, 36.06, 31.30],
        "lon": [104.07, 103.83, 120.59],
        "it_capacity_max_mw": [300.0, 300.0, 300.0],
    })
    sites = siting.datasets.sites(table)
    assert (sites["kind"] == "custom").all() and sites["hub"].isna().all() and sites["pue_max"].isna().all()
    # Sichuan has a hub cluster (Tianfu) planned as east; Gansu is western; Jiangsu eastern
    assert sites["role"].to_dict() == {"Chengdu campus": "east", "Lanzhou campus": "west", "Suzhou campus": "east"}
    demand = pd.DataFrame({"origin": ["Sichuan", "Jiangsu"], "workload": ["batch", "interactive"],
                           "it_mw": [100.0, 50.0]})
    scn = siting.Scenario.from_data("five-columns", sites=table, demand=demand, resolution="days",
                                    representative_days=2)
    res = siting.solve(scn)
    assert res.status == "optimal"
    assert res.allocation["it_mw"].sum() == pytest.approx(150.0)


def test_all_missing_site_columns_are_reported_at_once():
    table = pd.DataFrame({"site": ["A"], "lat": [30.0]})
    with pytest.raises(InputError, match=r"missing columns 'province'.*'lon'.*'it_capacity_max_mw'"):
        siting.datasets.sites(table)
