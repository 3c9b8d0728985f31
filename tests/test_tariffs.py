"""Hourly time-of-use multipliers and prices (siting.tariffs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import datasets, tariffs
from siting.errors import InputError

JUL1 = 24 * (31 + 28 + 31 + 30 + 31 + 30)  # first hour of 1 July in a non-leap year


@pytest.fixture(scope="module")
def tou():
    return datasets.tou()


@pytest.fixture(scope="module")
def provinces():
    return datasets.provinces()


@pytest.fixture(scope="module")
def multipliers(tou, provinces):
    return tariffs.hourly_multipliers(tou, list(provinces.index))


def test_shape_and_index(multipliers, provinces):
    assert multipliers.shape == (8760, 31)
    assert list(multipliers.columns) == list(provinces.index)
    assert multipliers.index[0] == 0 and multipliers.index.name == "hour"
    assert (multipliers > 0).all().all()


def test_hand_checked_hours(multipliers):
    # Anhui, Jul-Sep row: peak 16-24 at 1.843, valley 2-9 at 0.382, flat 9-11
    assert multipliers.at[JUL1 + 17, "Anhui"] == pytest.approx(1.843)
    assert multipliers.at[JUL1 + 3, "Anhui"] == pytest.approx(0.382)
    assert multipliers.at[JUL1 + 10, "Anhui"] == pytest.approx(1.0)
    # Anhui, other months (here 1 March 17:00): peak 1.74
    mar1 = 24 * (31 + 28)
    assert multipliers.at[mar1 + 17, "Anhui"] == pytest.approx(1.74)
    # Beijing July: critical 11-13 and 16-17 at 1.92
    assert multipliers.at[JUL1 + 12, "Beijing"] == pytest.approx(1.92)
    # Jiangxi July deep valley 12-14 at 0.3
    assert multipliers.at[JUL1 + 12, "Jiangxi"] == pytest.approx(0.3)
    # Heilongjiang: peak 9-11.5, flat 11.5-12 -> hour 11 is the time-weighted mean
    assert multipliers.at[11, "Heilongjiang"] == pytest.approx((1.5 + 1.0) / 2)
    # the last hour of the year is 31 December 23:00 (Anhui Jan/Dec: valley 23-24)
    assert multipliers.at[8759, "Anhui"] == pytest.approx(0.382)


def test_national_fallback_and_grid_choice(tou):
    own = tou[tou["province"] != "Tibet"]
    m = tariffs.hourly_multipliers(own, ["Tibet"])
    assert m.at[JUL1 + 9, "Tibet"] == pytest.approx(1.6)  # fallback peak 8-11
    assert m.at[JUL1 + 2, "Tibet"] == pytest.approx(0.4)  # fallback valley 23-7
    jibei = tariffs.hourly_multipliers(tou, ["Hebei"], grids={"Hebei": "冀北"})
    south = tariffs.hourly_multipliers(tou, ["Hebei"])
    assert not np.allclose(jibei.to_numpy(), south.to_numpy())
    with pytest.raises(InputError, match="no rows for province 'Tibet' and no national fallback"):
        tariffs.hourly_multipliers(own[own["province"] != "national"], ["Tibet"])
    with pytest.raises(InputError, match="grid 'nowhere'"):
        tariffs.hourly_multipliers(tou, ["Hebei"], grids={"Hebei": "nowhere"})


def test_flat_hours_cost_the_flat_price(tou, provinces, multipliers):
    sites = datasets.sites()
    prices = tariffs.hourly_prices(sites, provinces, tou)
    assert prices.shape == (8760, len(sites))
    for site in ("Wuhu", "Hangzhou", "Guangzhou", "Zhangjiakou", "Lhasa"):
        province = sites.at[site, "province"]
        flat = np.isclose(multipliers[province].to_numpy(), 1.0)
        own = sites.at[site, "electricity_price_cny_per_kwh"]
        expected = own if pd.notna(own) else provinces.at[province, "electricity_price_cny_per_kwh"]
        np.testing.assert_allclose(prices[site].to_numpy()[flat], expected)
    assert (prices > 0).all().all()


def _one(base: str, price=0.6, coal=0.35, loss=0.01, td=0.2, funds=0.04):
    provinces = pd.DataFrame(
        {"electricity_price_cny_per_kwh": [price], "coal_benchmark_cny_per_kwh": [coal],
         "grid_loss_cny_per_kwh": [loss], "td_energy_charge_cny_per_kwh": [td],
         "government_funds_cny_per_kwh": [funds]},
        index=pd.Index(["Anhui"], name="province"),
    )
    tou = datasets.tou()
    tou = tou[tou["province"] != "Anhui"].copy()
    row = tou[tou["province"] == "national"].iloc[[0]].copy()
    row["province"], row["multiplier_base"] = "Anhui", base
    return provinces, pd.concat([tou, row], ignore_index=True)


@pytest.mark.parametrize(
    ("base", "floating"),
    [("energy_only", 0.36), ("unknown", 0.36), ("energy_plus_capacity_charges", 0.36),
     ("energy_plus_td", 0.56), ("full_price", 0.6)],
)
def test_multiplier_base_semantics(base, floating):
    provinces, tou = _one(base)
    sites = pd.DataFrame({"province": ["Anhui"]}, index=["s"])
    p = tariffs.hourly_prices(sites, provinces, tou)["s"]
    # national fallback: 9:00 is peak (1.6), 2:00 valley (0.4), 12:00 flat
    assert p[9] == pytest.approx(0.6 - floating + 1.6 * floating)
    assert p[2] == pytest.approx(0.6 - floating + 0.4 * floating)
    assert p[12] == pytest.approx(0.6)


def test_site_price_overrides_province_and_fallback_without_split():
    provinces, tou = _one("energy_only")
    sites = pd.DataFrame({"province": ["Anhui", "Anhui"], "electricity_price_cny_per_kwh": [0.7, np.nan]},
                         index=["zone", "plain"])
    p = tariffs.hourly_prices(sites, provinces, tou)
    assert p.at[12, "zone"] == pytest.approx(0.7) and p.at[12, "plain"] == pytest.approx(0.6)
    assert p.at[9, "zone"] - p.at[12, "zone"] == pytest.approx(0.6 * 0.36)  # zone difference stays fixed
    # without the price split the whole price floats (documented fallback)
    bare = provinces[["electricity_price_cny_per_kwh"]]
    q = tariffs.hourly_prices(sites.iloc[[1]], bare, tou)["plain"]
    assert q[9] == pytest.approx(0.6 * 1.6)
    with pytest.raises(InputError, match="province 'Atlantis'"):
        tariffs.hourly_prices(pd.DataFrame({"province": ["Atlantis"]}, index=["x"]), provinces, tou)


def test_zhejiang_full_price_and_guangdong_energy_plus_td(tou, provinces):
    sites = pd.DataFrame({"province": ["Zhejiang", "Guangdong"]}, index=["zj", "gd"])
    p = tariffs.hourly_prices(sites, provinces, tou)
    m = tariffs.hourly_multipliers(tou, ["Zhejiang", "Guangdong"])
    zj = provinces.at["Zhejiang", "electricity_price_cny_per_kwh"]
    np.testing.assert_allclose(p["zj"], zj * m["Zhejiang"])
    gd = provinces.loc["Guangdong"]
    floating = gd["electricity_price_cny_per_kwh"] - gd["government_funds_cny_per_kwh"]
    # the parts are rounded to 0.0001 CNY/kWh, so energy + loss + T&D equals price - funds to that
    np.testing.assert_allclose(p["gd"], gd["government_funds_cny_per_kwh"] + floating * m["Guangdong"], atol=2e-4)
