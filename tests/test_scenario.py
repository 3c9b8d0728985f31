"""Scenario: presets, validation before any model is built, replace and YAML round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting import network
from siting.errors import InputError
from siting.scenario import Scenario


@pytest.fixture(scope="module")
def edwc_avg():
    return Scenario.preset("east-data-west-computing", resolution="average")


def test_presets_select_sites():
    assert siting.presets() == ["all-sites", "east-data-west-computing", "east-only"]
    edwc = Scenario.preset("east-data-west-computing", resolution="average")
    national = edwc.sites[~edwc.sites["local_only"]]
    assert len(national) == 10 and (national["kind"] == "cluster").all()
    assert edwc.sites["local_only"].sum() == 31
    east = Scenario.preset("east-only", resolution="average")
    national = east.sites[~east.sites["local_only"]]
    assert (national["role"] == "east").all()
    assert "Horinger" not in east.sites.index and "Hohhot" in east.sites.index
    assert east.sites.loc["Hohhot", "local_only"]
    allsites = Scenario.preset("all-sites", resolution="average")
    assert len(allsites.sites) == 41 and not allsites.sites["local_only"].any()
    # the same national demand in every preset
    assert east.total_demand_mw == pytest.approx(edwc.total_demand_mw)
    with pytest.raises(InputError, match="unknown preset 'west-only'; presets are"):
        Scenario.preset("west-only")


def test_pue_caps_apply(edwc_avg):
    pue = edwc_avg.site_pue
    capped = edwc_avg.sites["pue_max"].notna()
    assert (pue[capped] <= edwc_avg.sites.loc[capped, "pue_max"] + 1e-12).all()
    assert (edwc_avg.replace(pue_caps=False).site_pue >= pue - 1e-12).all()


def test_site_attributes_come_from_provinces(edwc_avg):
    prov = siting.datasets.provinces()
    s = edwc_avg.sites
    np.testing.assert_allclose(
        s["grid_ef_t_co2_per_mwh"], prov.loc[s["province"], "grid_ef_t_co2_per_mwh"].to_numpy()
    )
    # colder sites get a lower PUE with the same cooling technology
    assert s.loc["Horinger", "pue"] < s.loc["Shaoguan", "pue"]


def test_rtt_model():
    # 1,000 km at route factor 1.5, 200,000 km/s and 1 ms overhead: 2 * 1500 / 200000 s + 1 ms = 16 ms
    assert network.rtt_ms(1000.0, route_factor=1.5, fibre_speed_km_per_s=200_000, overhead_ms=1.0) == pytest.approx(16.0)
    # Beijing to Shanghai is about 1,070 km on the ellipsoid
    d = network.distance_km(39.9042, 116.4074, 31.2304, 121.4737)
    assert d == pytest.approx(1067, rel=0.01)
    with pytest.raises(InputError, match="route_factor must be >= 1"):
        network.rtt_ms(10.0, route_factor=0.5)


def test_replace_revalidates_and_shortcuts(edwc_avg):
    tighter = edwc_avg.replace(rtt_max_ms_interactive=10)
    assert tighter.workloads.at["interactive", "rtt_max_ms"] == 10
    assert edwc_avg.workloads.at["interactive", "rtt_max_ms"] != 10  # original untouched
    doubled = edwc_avg.replace(demand_scale=2.0)
    assert doubled.total_demand_mw == pytest.approx(2 * edwc_avg.total_demand_mw)
    pricier = edwc_avg.replace(electricity_price_scale=1.1)
    np.testing.assert_allclose(
        pricier.sites["electricity_price_cny_per_kwh"], 1.1 * edwc_avg.sites["electricity_price_cny_per_kwh"]
    )
    with pytest.raises(InputError, match="unknown scenario field 'carbon_tax'"):
        edwc_avg.replace(carbon_tax=1)
    with pytest.raises(InputError, match="unknown workload class 'gaming'"):
        edwc_avg.replace(rtt_max_ms_gaming=5)
    with pytest.raises(InputError, match="parameter carbon_price_cny_per_t: -5 must be a finite number >= 0"):
        edwc_avg.replace(carbon_price_cny_per_t=-5)


def test_bad_tables_are_refused_before_building(edwc_avg):
    dem = edwc_avg.demand.copy()
    dem.loc[0, "it_mw"] = -1.0
    with pytest.raises(InputError, match=r"demand: row 0, column 'it_mw': -1 is negative"):
        edwc_avg.replace(demand=dem)
    dem = edwc_avg.demand.copy()
    dem.loc[0, "origin"] = "Taipei"
    with pytest.raises(InputError, match=r"demand: column 'origin' names unknown origin"):
        edwc_avg.replace(demand=dem)
    dem = edwc_avg.demand.copy()
    dem.loc[0, "workload"] = "gaming"
    with pytest.raises(InputError, match=r"unknown workload class 'gaming'"):
        edwc_avg.replace(demand=dem)
    sites = edwc_avg.sites.copy()
    sites.loc["Wuhu", "electricity_price_cny_per_kwh"] = np.nan
    with pytest.raises(InputError, match=r"sites: row 'Wuhu', column 'electricity_price_cny_per_kwh': missing value"):
        edwc_avg.replace(sites=sites)
    rtt = edwc_avg.rtt_ms.drop(columns="Wuhu")
    with pytest.raises(InputError, match=r"rtt_ms: no column for site 'Wuhu'"):
        edwc_avg.replace(rtt_ms=rtt)
    with pytest.raises(InputError, match="resolution was 'weekly'"):
        edwc_avg.replace(resolution="weekly")


def test_yaml_round_trip(tmp_path, edwc_avg):
    scn = edwc_avg.replace(carbon_price_cny_per_t=123.0, green_share_min=0.5, rtt_max_ms_interactive=15)
    path = scn.to_yaml(tmp_path / "s.yaml")
    again = Scenario.from_yaml(path)
    assert again.equals(scn)
    assert again.parameters == scn.parameters


def test_yaml_recipe_and_errors(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: test\npreset: east-only\ndemand: {year: 2028}\nrtt_max_ms: {interactive: 12}\n"
        "parameters: {resolution: average, carbon_price_cny_per_t: 50}\n"
    )
    scn = Scenario.from_yaml(recipe)
    assert scn.name == "test"
    assert scn.workloads.at["interactive", "rtt_max_ms"] == 12
    assert scn.carbon_price_cny_per_t == 50
    assert scn.total_demand_mw < Scenario.preset("east-only", resolution="average").total_demand_mw
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(InputError, match="bad.yaml: malformed YAML"):
        Scenario.from_yaml(bad)
    bad.write_text("preset: east-only\ncolour: blue\n")
    with pytest.raises(InputError, match="unknown key 'colour'"):
        Scenario.from_yaml(bad)
    with pytest.raises(InputError, match="file not found"):
        Scenario.from_yaml(tmp_path / "missing.yaml")


def test_user_tables_from_csv(tmp_path):
    sites = siting.datasets.sites().loc[["Horinger", "Zhongwei", "Shanghai", "Beijing"]]
    sites.to_csv(tmp_path / "sites.csv")
    demand = pd.DataFrame(
        {"origin": ["Beijing", "Shanghai", "Beijing"], "workload": ["interactive", "interactive", "batch"], "it_mw": [100.0, 80.0, 500.0]}
    )
    demand.to_csv(tmp_path / "demand.csv", index=False)
    scn = Scenario.from_data("mine", sites=tmp_path / "sites.csv", demand=tmp_path / "demand.csv", resolution="average")
    assert scn.total_demand_mw == pytest.approx(680.0)
    res = siting.solve(scn)
    assert res.allocation["it_mw"].sum() == pytest.approx(680.0)
    demand.rename(columns={"it_mw": "load"}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError, match="demand: missing column 'it_mw'"):
        Scenario.from_data("mine", sites=tmp_path / "sites.csv", demand=tmp_path / "bad.csv")


def test_representative_days_keep_annual_means(edwc_avg):
    from siting.model import _slices

    days = edwc_avg.replace(resolution="days", representative_days=6)
    slices = _slices(days)
    assert slices.weight_h.sum() == 8760
    assert len(slices) == 6 * 24
    re = days.re_profiles
    for site in ("Horinger", "Shanghai"):
        for tech in ("solar", "wind"):
            weighted = (slices.values[f"{site}|{tech}"] * slices.weight_h).sum() / 8760
            assert weighted == pytest.approx(re[(site, tech)].mean(), rel=1e-9)
            assert slices.values[f"{site}|{tech}"].max() <= 1.0


def test_bad_parameters_are_refused_before_building(edwc_avg):
    # NaN/inf water limits reached PuLP ("Cannot set constraint RHS to NaN"), a
    # fractional day count was truncated, a text flag was truthy
    for value in (np.nan, np.inf, "lots"):
        with pytest.raises(InputError, match="parameter water_m3_max"):
            edwc_avg.replace(water_m3_max=value)
    for value in (2.7, "x", 0, True):
        with pytest.raises(InputError, match="representative_days must be a whole number"):
            edwc_avg.replace(representative_days=value)
    assert edwc_avg.replace(representative_days=np.int64(4)).representative_days == 4
    for flag in ("pue_caps", "water_limits", "grid_limits", "integer"):
        with pytest.raises(InputError, match=f"parameter {flag}: 'no' must be true or false"):
            edwc_avg.replace(**{flag: "no"})
    assert edwc_avg.replace(pue_caps=np.bool_(False)).pue_caps is False
    with pytest.raises(InputError, match="parameter carbon_price_cny_per_t: 'abc'"):
        edwc_avg.replace(carbon_price_cny_per_t="abc")
    with pytest.raises(InputError, match="parameter green_share_min"):
        edwc_avg.replace(green_share_min="half")
