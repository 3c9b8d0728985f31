"""Tests of :mod:`siting.weather`: synthetic hourly solar and wind capacity factors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest
import shapely

import siting.datasets as ds
from siting.errors import InputError
from siting.weather import WEATHER_YEARS, generator, hours, irradiance, profiles, solar
from siting.weather import calibration as cal

CAL_YEARS = (0, 1, 2)


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    """The bundled sites; their CFs default to their province's."""
    return ds.sites()[["lat", "lon", "province"]]


@pytest.fixture(scope="module")
def province_cf() -> pd.DataFrame:
    return ds.provinces()[["solar_cf", "wind_cf"]]


@pytest.fixture(scope="module")
def by_year(bundled) -> dict[int, pd.DataFrame]:
    return {y: profiles(bundled, weather_year=y) for y in CAL_YEARS}


@pytest.fixture(scope="module")
def evaluated(bundled, by_year) -> pd.DataFrame:
    return cal.evaluate([cal.year_values(by_year[y], bundled, y, None) for y in CAL_YEARS])


@pytest.fixture(scope="module")
def random_locations() -> pd.DataFrame:
    """30 user locations drawn uniformly inside mainland China, with their own CFs."""
    prov = ds.boundaries()
    rng = np.random.default_rng(20240611)
    rows = []
    while len(rows) < 30:
        lat, lon = rng.uniform(20.0, 50.0), rng.uniform(75.0, 132.0)
        inside = prov.index[shapely.contains_xy(prov.geometry.to_numpy(), lon, lat)]
        if len(inside):
            cfs = rng.uniform(0.12, 0.20), rng.uniform(0.17, 0.32)
            rows.append((f"user{len(rows)}", lat, lon, inside[0], *cfs))
    columns = ["name", "lat", "lon", "province", "solar_cf", "wind_cf"]
    return pd.DataFrame(rows, columns=columns).set_index("name")


@pytest.fixture(scope="module")
def random_profiles(random_locations) -> pd.DataFrame:
    return profiles(random_locations, weather_year=4, seed=11)


def test_shape_index_and_columns(by_year, bundled):
    prof = by_year[0]
    assert prof.shape == (8760, 2 * len(bundled))
    pd.testing.assert_index_equal(prof.index, ds.profiles().index)
    pd.testing.assert_index_equal(prof.index, hours())
    assert generator.HOURS_PER_YEAR == ds.HOURS_PER_YEAR
    assert prof.columns.names == ["location", "technology"]
    assert list(prof.columns.get_level_values("location")[::2]) == list(bundled.index)
    assert set(prof.columns.get_level_values("technology")) == {"solar", "wind"}
    values = prof.to_numpy()
    assert np.isfinite(values).all() and values.min() >= 0.0 and values.max() <= 1.0


def test_annual_means_equal_province_cfs(by_year, bundled, province_cf):
    for prof in by_year.values():
        mean = prof.mean()
        for tech in ("solar", "wind"):
            want = province_cf.loc[bundled["province"], f"{tech}_cf"].to_numpy()
            np.testing.assert_allclose(mean.xs(tech, level="technology").to_numpy(), want, rtol=0, atol=1e-9)


def test_annual_means_equal_user_cfs(random_profiles, random_locations):
    mean = random_profiles.mean()
    for tech in ("solar", "wind"):
        got = mean.xs(tech, level="technology").to_numpy()
        np.testing.assert_allclose(got, random_locations[f"{tech}_cf"].to_numpy(), rtol=0, atol=1e-9)
    assert random_profiles.to_numpy().min() >= 0.0 and random_profiles.to_numpy().max() <= 1.0


@pytest.mark.parametrize("name", ["Harbin", "Urumqi", "Lhasa", "Haikou", "Shanghai"])
def test_solar_zero_when_sun_below_horizon(by_year, bundled, name):
    solar = by_year[0][(name, "solar")].to_numpy()
    lat, lon = bundled.loc[name, ["lat", "lon"]]
    idx = hours()
    start = pvlib.solarposition.get_solarposition(idx, lat, lon)["elevation"].to_numpy()
    mid_hour = idx + pd.Timedelta(minutes=30)
    mid = pvlib.solarposition.get_solarposition(mid_hour, lat, lon)["elevation"].to_numpy()
    night = (start <= 0.0) | (mid <= 0.0)
    assert night.sum() > 3000
    assert (solar[night] == 0.0).all()
    assert (solar[~night] > 0).mean() > 0.95


def test_solar_zero_at_night_for_user_locations(random_profiles, random_locations):
    idx = hours()
    for name in random_locations.index[:6]:
        lat, lon = random_locations.loc[name, ["lat", "lon"]]
        mid = pvlib.solarposition.get_solarposition(idx + pd.Timedelta(minutes=30), lat, lon)["elevation"]
        assert (random_profiles[(name, "solar")].to_numpy()[mid.to_numpy() <= 0.0] == 0.0).all()


@pytest.mark.parametrize("key", [t.key for t in cal.TARGETS])
def test_calibration_target_within_band(evaluated, key):
    row = evaluated.loc[key]
    t = cal.target(key)
    checked = row["achieved_pooled"] if t.pooled else (row["achieved_min"], row["achieved_max"])
    assert row["ok"], f"{key}: {checked} outside [{t.low}, {t.high}] ({t.statistic})"


def test_wind_bands_hold_for_user_locations(random_profiles):
    wind = random_profiles.xs("wind", axis=1, level="technology")
    for key, stat in [
        ("wind_calm_share", cal.calm_share(wind)),
        ("wind_ramp_p99", cal.ramp_p99(wind)),
        ("wind_lag1", cal.autocorr(wind, 1)),
        ("wind_lag24", cal.autocorr(wind, 24)),
    ]:
        t = cal.target(key)
        assert stat.between(t.low, t.high).all(), f"{key}: {stat.min():.3f}..{stat.max():.3f}"
    assert wind.max().min() >= cal.target("wind_max").low


def test_solar_daily_variability_follows_merra2_for_user_locations(random_locations):
    lat, lon = random_locations["lat"].to_numpy(), random_locations["lon"].to_numpy()
    merra_cv = solar.clearness_at(lat, lon).cv.T
    ratios = [cal.daily_cv_by_month(irradiance(random_locations, weather_year=y)).to_numpy() / merra_cv
              for y in CAL_YEARS]
    t = cal.target("solar_daily_cv_ratio")
    assert t.low <= np.median(np.mean(ratios, axis=0)) <= t.high


def test_irradiance_is_the_ghi_behind_the_solar_profile(by_year, bundled):
    ghi = irradiance(bundled.loc[["Lanzhou", "Fuzhou"]])
    solar_cf = by_year[0].xs("solar", axis=1, level="technology")[["Lanzhou", "Fuzhou"]]
    assert ((ghi > 0) == (solar_cf > 0)).to_numpy().mean() > 0.999
    daily = ghi.groupby(ghi.index.normalize()).sum()
    pv = solar_cf.groupby(solar_cf.index.normalize()).sum()
    assert (daily.corrwith(pv) > 0.8).all()


def test_two_sites_in_one_province_differ(by_year):
    prof = by_year[0]
    for a, b in [("Zhongwei", "Yinchuan"), ("Chongqing", "Chongqing city"), ("Tianfu", "Chengdu")]:
        for tech in ("solar", "wind"):
            x, y = prof[(a, tech)], prof[(b, tech)]
            assert not np.allclose(x, y)
            assert x.corr(y) < 0.99
    assert prof[("Zhongwei", "wind")].corr(prof[("Yinchuan", "wind")]) > 0.3  # 150 km apart: related


def test_correlation_falls_with_distance(by_year, bundled):
    prof = by_year[0]
    lat, lon = bundled["lat"].to_numpy(), bundled["lon"].to_numpy()
    wind = prof.xs("wind", axis=1, level="technology")
    solar = prof.xs("solar", axis=1, level="technology")
    solar_daily = solar.groupby(solar.index.normalize()).sum()
    for series in (wind, solar_daily):
        by_dist = cal.correlation_by_distance(series, lat, lon).dropna().to_numpy()
        assert (np.diff(by_dist) < 0).all(), by_dist


def test_weather_years_differ_and_keep_means():
    assert WEATHER_YEARS >= 5
    locs = pd.DataFrame({"lat": [38.5], "lon": [106.3], "province": ["Ningxia"]}, index=["Yinchuan"])
    years = [profiles(locs, weather_year=y) for y in range(WEATHER_YEARS)]
    for i in range(WEATHER_YEARS):
        np.testing.assert_allclose(years[i].mean().to_numpy(), years[0].mean().to_numpy(), atol=1e-9)
        for j in range(i):
            assert years[i][("Yinchuan", "wind")].corr(years[j][("Yinchuan", "wind")]) < 0.8
            a, b = (y[("Yinchuan", "solar")].groupby(hours().normalize()).sum() for y in (years[i], years[j]))
            assert a.corr(b) < 0.9


def test_same_seed_same_series_other_seed_other_series(by_year, bundled):
    locs = bundled.loc[["Hohhot", "Nanning"]]
    a = profiles(locs, weather_year=2, seed=5)
    pd.testing.assert_frame_equal(a, profiles(locs, weather_year=2, seed=5))
    assert not np.allclose(a.to_numpy(), profiles(locs, weather_year=2, seed=6).to_numpy())
    default = by_year[0][profiles(locs, seed=0).columns]  # seed=None means DEFAULT_SEED = 0
    np.testing.assert_allclose(profiles(locs, seed=0).to_numpy(), default.to_numpy(), rtol=0, atol=1e-12)


def test_series_independent_of_row_order_and_of_other_locations(by_year, bundled):
    full = by_year[0]
    shuffled = profiles(bundled.sample(frac=1.0, random_state=3))
    np.testing.assert_allclose(shuffled[full.columns].to_numpy(), full.to_numpy(), rtol=0, atol=1e-12)
    few = profiles(bundled.loc[["Beijing", "Lhasa"]])
    np.testing.assert_allclose(few.to_numpy(), full[few.columns].to_numpy(), rtol=0, atol=1e-12)


def test_absent_cf_columns_default_to_province(bundled, province_cf):
    locs = bundled.loc[["Beijing", "Kunming"]].assign(wind_cf=[0.3, 0.2])
    mean = profiles(locs).mean()
    np.testing.assert_allclose(mean[("Beijing", "wind")], 0.3, atol=1e-9)
    np.testing.assert_allclose(mean[("Kunming", "solar")], province_cf.at["Yunnan", "solar_cf"], atol=1e-9)


GOOD = pd.DataFrame({"lat": [30.6, 40.0], "lon": [114.3, 115.0], "province": ["Hubei", "Hebei"]},
                    index=["wuhan", "north"])


@pytest.mark.parametrize(
    ("table", "row", "column"),
    [
        (GOOD.drop(columns="province"), None, "province"),
        (GOOD.drop(columns="lat"), None, "lat"),
        (GOOD.assign(lat=[np.nan, 40.0]), "wuhan", "lat"),
        (GOOD.assign(lon=[114.3, np.nan]), "north", "lon"),
        (GOOD.assign(lat=[30.6, 60.0]), "north", "lat"),
        (GOOD.assign(lon=[150.0, 115.0]), "wuhan", "lon"),
        (GOOD.assign(lat=[46.0, 40.0], lon=[105.0, 115.0]), "wuhan", "lat"),  # Mongolia
        (GOOD.assign(province=["Hubei", "Atlantis"]), "north", "province"),
        (GOOD.assign(solar_cf=[0.2, 1.5]), "north", "solar_cf"),
        (GOOD.assign(solar_cf=[0.0, 0.2]), "wuhan", "solar_cf"),
        (GOOD.assign(wind_cf=[0.2, np.nan]), "north", "wind_cf"),
        (GOOD.assign(wind_cf=[-0.1, 0.2]), "wuhan", "wind_cf"),
        (GOOD.assign(solar_cf=[0.7, 0.2]), "wuhan", "solar_cf"),  # unreachable: too few daylight hours
        (GOOD.assign(wind_cf=[0.2, 0.95]), "north", "wind_cf"),  # unreachable by the power curve
    ],
)
def test_bad_locations_raise_input_error_naming_row_and_column(table, row, column):
    with pytest.raises(InputError) as err:
        profiles(table)
    msg = str(err.value)
    assert msg.startswith("locations:")
    assert repr(column)[1:-1] in msg
    if row is not None:
        assert repr(row) in msg


@pytest.mark.parametrize("kwargs", [{"weather_year": WEATHER_YEARS}, {"weather_year": -1},
                                    {"weather_year": 1.5}, {"seed": -2}, {"seed": "x"}])
def test_bad_year_or_seed_raise_input_error(kwargs):
    with pytest.raises(InputError):
        profiles(GOOD, **kwargs)


def test_not_a_table_or_empty_table():
    with pytest.raises(InputError, match="locations"):
        profiles([(30.0, 114.0, "Hubei")])
    with pytest.raises(InputError, match="no rows"):
        profiles(GOOD.iloc[:0])
