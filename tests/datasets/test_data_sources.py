"""Bundled figures that were re-sourced (issue 11): capacity factors, prices, tariff zones, GDP, population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import datasets


@pytest.fixture(scope="module")
def resources():
    return pd.read_csv(datasets.data_dir() / "province_resources.csv").set_index("province")


@pytest.fixture(scope="module")
def provinces():
    return datasets.provinces()


def test_capacity_factors_are_2023_fleet_hours(resources):
    assert len(resources) == 31
    # CF = utilisation hours / 8760, every province from 2023 statistics (nothing older kept)
    np.testing.assert_allclose(resources["wind_cf"], resources["wind_utilization_hours"] / 8760, atol=1e-4)
    np.testing.assert_allclose(resources["solar_cf"], resources["solar_utilization_hours"] / 8760, atol=1e-4)
    assert (resources["wind_cf_year"] == 2023).all() and (resources["solar_cf_year"] == 2023).all()
    assert set(resources["wind_cf_status"]) == {"sourced (secondary)"}
    assert set(resources["solar_cf_status"]) == {"derived"}
    # CEC 2023: Fujian has the highest wind hours among sizeable fleets, Qinghai among the lowest;
    # the national fleet averages 2225 h (wind) and 1286 h (solar)
    big = resources.drop(index=["Tibet", "Beijing", "Hainan"])  # fleets < 0.5 GW
    assert big["wind_utilization_hours"].idxmax() == "Fujian"
    w = resources["wind_installed_gw"]
    assert (resources["wind_utilization_hours"] * w).sum() / w.sum() == pytest.approx(2225, rel=0.02)
    # fleet solar hours: the sunny north and west above the cloudy south-west basin and the south-east
    assert resources.at["Chongqing", "solar_cf"] < 0.10
    assert resources.loc[["Qinghai", "Ningxia", "Inner Mongolia"], "solar_cf"].min() > resources.loc[
        ["Guangdong", "Fujian", "Guizhou"], "solar_cf"
    ].max()
    assert resources["solar_cf"].between(0.08, 0.20).all() and resources["wind_cf"].between(0.15, 0.40).all()


def test_tibet_price_is_derived_from_its_td_notice(provinces):
    # benchmark 0.4498 + loss 0.4498 x 10.81 % / (1 - 10.81 %) + T&D 0.3024, funds not itemised
    expected = 0.4498 + 0.4498 * 0.1081 / (1 - 0.1081) + 0.3024
    assert provinces.at["Tibet", "electricity_price_cny_per_kwh"] == pytest.approx(expected, abs=1e-4)
    status = pd.read_csv(datasets.data_dir() / "provinces.csv").set_index("province")["electricity_price_status"]
    assert status.str.startswith("derived").all()
    assert "NOT included" in status["Tibet"]


def test_sites_in_tariff_zones_have_their_zone_price(provinces):
    sites = datasets.sites()
    price = sites["electricity_price_cny_per_kwh"]
    assert set(price.dropna().index) == {"Shaoguan", "Guangzhou", "Zhangjiakou"}
    gd = provinces.at["Guangdong", "electricity_price_cny_per_kwh"]
    assert price["Shaoguan"] - gd == pytest.approx(-0.0896, abs=1e-4)  # 粤北山区
    assert price["Guangzhou"] - gd == pytest.approx(0.0237, abs=1e-4)  # 珠三角
    # 冀北: its own T&D (0.1365) and loss rate (2.87 %), Hebei's benchmark and funds
    jibei = 0.3644 + 0.3644 * 0.0287 / (1 - 0.0287) + 0.1365 + 0.02406875
    assert price["Zhangjiakou"] == pytest.approx(jibei, abs=1e-4)
    assert sites.loc[price.notna(), "electricity_price_source"].str.startswith("derived").all()


def test_corrected_gdp_and_population(provinces):
    assert provinces.at["Jiangxi", "gdp_billion_cny"] == pytest.approx(3220.01)  # 32,200.1 亿元 (2023)
    assert provinces.at["Hainan", "population_million"] == pytest.approx(10.4321)  # 1043.21 万 (2023)
