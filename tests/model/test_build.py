"""Hand-solved cases of the siting LP: each optimum computed by hand in the test."""

from __future__ import annotations


import numpy as np
import pytest

import siting
from siting.model.build import build
from siting.timeseries import HOURS_PER_YEAR

from conftest import allocated, east_west, make_scenario, solar_block

H = HOURS_PER_YEAR


def test_latency_keeps_interactive_east_and_batch_goes_to_cheapest():
    res = siting.solve(east_west())
    assert res.status == "optimal"
    assert allocated(res, "East", "interactive") == pytest.approx(10.0)
    assert allocated(res, "West", "batch") == pytest.approx(20.0)
    # 10 MW x 8760 h x 600 CNY/MWh + 20 MW x 8760 h x 300 CNY/MWh
    assert res.objective_cny == pytest.approx(10 * H * 600 + 20 * H * 300, rel=1e-9)
    assert res.summary["rtt_max_ms_interactive"] == pytest.approx(5.0)


def test_capacity_cap_splits_load():
    res = siting.solve(east_west(west={"it_capacity_max_mw": 15.0}))
    assert allocated(res, "West", "batch") == pytest.approx(15.0)
    assert allocated(res, "East", "batch") == pytest.approx(5.0)
    assert res.objective_cny == pytest.approx(15 * H * 600 + 15 * H * 300, rel=1e-9)


def test_capex_and_pue_enter_the_cost():
    scn = east_west(west={"pue": 1.5}, dc_capex_cny_per_mw=1e6, dc_lifetime_years=10, discount_rate=0.0)
    res = siting.solve(scn)
    # annuity at 0 % over 10 years: 1e5 CNY per MW-yr on 30 MW of capacity
    energy = 10 * H * 600 + 20 * 1.5 * H * 300
    assert res.objective_cny == pytest.approx(energy + 30 * 1e5, rel=1e-9)
    assert res.sites.loc["West", "energy_mwh"] == pytest.approx(20 * 1.5 * H)


@pytest.mark.parametrize("carbon_price, winner", [(160.0, "West"), (170.0, "East")])
def test_carbon_price_flips_choice_at_hand_computed_price(carbon_price, winner):
    # East: 500 + 0.2 p CNY/MWh; West: 400 + 0.8 p  ->  equal at p = 100 / 0.6 = 166.7 CNY/t
    sites = {
        "East": {"electricity_price_cny_per_kwh": 0.5, "grid_ef_t_co2_per_mwh": 0.2},
        "West": {"electricity_price_cny_per_kwh": 0.4, "grid_ef_t_co2_per_mwh": 0.8, "role": "west"},
    }
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "East"): 5.0, ("O", "West"): 30.0},
                        carbon_price_cny_per_t=carbon_price)
    res = siting.solve(scn)
    assert allocated(res, winner, "batch") == pytest.approx(10.0)
    cost = {"East": 500 + 0.2 * carbon_price, "West": 400 + 0.8 * carbon_price}[winner]
    assert res.objective_cny == pytest.approx(10 * H * cost, rel=1e-9)


def test_network_cost_per_mw_km():
    scn = east_west(network_cost_cny_per_mw_km_year=1000.0)
    res = siting.solve(scn)
    # distance equals RTT in the tiny scenario: 10 MW x 5 km + 20 MW x 30 km
    assert res.summary["cost_network_cny"] == pytest.approx(1000.0 * (10 * 5 + 20 * 30))


def test_flexible_class_follows_solar():
    # solar CF 1 from 08:00 to 16:00 (9 h/day); cheap solar, expensive grid, room to shift
    workloads = {"batch": {"rtt_max_ms": np.nan, "flexible": True}}
    sites = {"S": {"solar_max_mw": 1000.0, "it_capacity_max_mw": 30.0, "electricity_price_cny_per_kwh": 1.0}}
    common = dict(
        workloads=workloads, solar={"S": solar_block()}, resolution="hours",
        solar_capex_cny_per_kw=100.0, solar_lifetime_years=10.0, discount_rate=0.0, solar_fixed_om_cny_per_kw_year=0.0,
    )
    res = siting.solve(make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, **common))
    d = res.dispatch
    daylight = solar_block() > 0
    # all load runs in daylight at 10 * 24 / 9 MW and solar covers it: no grid energy
    assert d["it_mw"].to_numpy()[~daylight] == pytest.approx(0.0, abs=1e-6)
    assert d["it_mw"].to_numpy()[daylight] == pytest.approx(10 * 24 / 9, rel=1e-6)
    assert res.summary["grid_mwh"] == pytest.approx(0.0, abs=1e-3)
    # solar: 80/3 MW at 100 CNY/kW / 10 yr = 10,000 CNY per MW-yr
    assert res.objective_cny == pytest.approx(80 / 3 * 10_000, rel=1e-6)

    inflexible = {"batch": {"rtt_max_ms": np.nan, "flexible": False}}
    flat = siting.solve(make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, **{**common, "workloads": inflexible}))
    # flat 10 MW: solar covers 9 of 24 hours, the grid the other 15 at 1000 CNY/MWh
    assert flat.summary["grid_mwh"] == pytest.approx(10 * 15 * 365, rel=1e-6)
    assert flat.objective_cny == pytest.approx(10 * 10_000 + 10 * 15 * 365 * 1000, rel=1e-6)


def test_local_only_site_serves_its_province_alone():
    sites = {"Edge": {"province": "A", "local_only": True, "electricity_price_cny_per_kwh": 0.1},
             "Hub": {"province": "B", "electricity_price_cny_per_kwh": 0.5}}
    rtt = {("A", "Edge"): 1.0, ("A", "Hub"): 10.0, ("B", "Edge"): 10.0, ("B", "Hub"): 1.0}
    res = siting.solve(make_scenario(sites, [("A", "batch", 5.0), ("B", "batch", 7.0)], rtt))
    assert allocated(res, "Edge", "batch") == pytest.approx(5.0)
    assert allocated(res, "Hub", "batch") == pytest.approx(7.0)


def test_milp_opens_one_site_when_fixed_cost_dominates():
    sites = {"A": {"electricity_price_cny_per_kwh": 0.50}, "B": {"electricity_price_cny_per_kwh": 0.51}}
    demand = [("O", "batch", 1.0), ("P", "batch", 1.0)]
    rtt = {("O", "A"): 1.0, ("O", "B"): 50.0, ("P", "A"): 50.0, ("P", "B"): 1.0}
    lp = siting.solve(make_scenario(sites, demand, rtt, network_cost_cny_per_mw_km_year=10_000.0))
    assert allocated(lp, "A", "batch") == pytest.approx(1.0)  # each origin served nearby
    milp = siting.solve(make_scenario(sites, demand, rtt, network_cost_cny_per_mw_km_year=10_000.0, integer=True,
                                      site_fixed_cost_cny_per_year=1e6))
    assert milp.sites["open"].sum() == 1
    assert milp.sites.loc["A", "it_capacity_mw"] == pytest.approx(2.0)
    assert milp.objective_cny == pytest.approx(2 * H * 500 + 10_000 * (1 + 50) + 1e6, rel=1e-9)


def test_green_share_target_buys_renewables_at_computable_cost():
    # one site, flat 10 MW, wind CF 0.5 constant: green share g needs wind = g * 10 / 0.5 MW
    sites = {"S": {"wind_max_mw": 100.0, "electricity_price_cny_per_kwh": 0.2}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0},
                        wind_capex_cny_per_kw=20_000.0, wind_lifetime_years=10.0, discount_rate=0.0,
                        wind_fixed_om_cny_per_kw_year=0.0)
    re = scn.re_profiles.copy()
    re[("S", "wind")] = 0.5
    scn = scn.replace(re_profiles=re)
    base = siting.solve(scn)
    assert base.summary["wind_mw"] == pytest.approx(0.0)  # 2,000,000 CNY/MW-yr / 4380 h = 457 > 200 CNY/MWh
    res = siting.solve(scn.replace(green_share_min=0.6))
    assert res.summary["green_share"] == pytest.approx(0.6, abs=1e-9)
    assert res.summary["wind_mw"] == pytest.approx(12.0)
    expected = 12 * 2_000_000 + 0.4 * 10 * H * 200
    assert res.objective_cny == pytest.approx(expected, rel=1e-9)
    # dual: one more point of green share costs 0.12 MW of wind minus 876 MWh of grid
    dual = res.duals.set_index("key").loc["green_share_min:national", "value"]
    assert dual == pytest.approx(0.01 * 10 * H * (2_000_000 / (0.5 * H) - 200), rel=1e-6)


def test_west_share_minimum():
    scn = east_west(west={"electricity_price_cny_per_kwh": 0.9}, west_share_min=0.5)
    res = siting.solve(scn)
    assert res.summary["west_share"] == pytest.approx(0.5)


def test_water_limit_moves_load():
    scn = east_west(west={"wue_l_per_kwh": 1.0, "water_m3_max": 10 * H}, water_limits=True)
    res = siting.solve(scn)
    # 1 L/kWh = 1 m3/MWh: the limit allows 10 MW at West, the rest of batch goes East
    assert res.sites.loc["West", "water_m3"] == pytest.approx(10 * H)
    assert allocated(res, "East", "batch") == pytest.approx(10.0)


def test_model_is_built_from_latency_feasible_arcs_only():
    model = build(east_west())
    # interactive can only reach East: 1 arc; batch reaches both: 2 arcs
    assert len(model.arcs) == 3
    assert set(model.arcs.loc[model.arcs["workload"] == "interactive", "site"]) == {"East"}


def test_grid_limit_binds_at_hand_computed_cost():
    # 10 MW flat at 200 CNY/MWh; grid capped at 6 MW; wind (457 CNY/MWh at CF 0.5) covers the rest: 8 MW
    sites = {"S": {"grid_mw_max": 6.0, "wind_max_mw": 100.0, "electricity_price_cny_per_kwh": 0.2}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, grid_limits=True,
                        wind_capex_cny_per_kw=20_000.0, wind_lifetime_years=10.0, discount_rate=0.0,
                        wind_fixed_om_cny_per_kw_year=0.0)
    re = scn.re_profiles.copy()
    re[("S", "wind")] = 0.5
    res = siting.solve(scn.replace(re_profiles=re))
    assert res.summary["wind_mw"] == pytest.approx(8.0)
    assert res.objective_cny == pytest.approx(8 * 2_000_000 + 6 * H * 200, rel=1e-9)


@pytest.mark.parametrize("classes", [1, 2, 3])
def test_peak_slices_are_exactly_the_non_dominated_slices(classes):
    from siting.model.core import peak_slices

    rng = np.random.default_rng(classes)
    profile = np.round(rng.random((classes, 400)), 1)  # coarse values: many repeats and ties
    vectors = profile.T
    expected = [t for t in range(len(vectors))
                if not (np.all(vectors >= vectors[t], axis=1) & np.any(vectors > vectors[t], axis=1)).any()]
    # one slice per distinct non-dominated vector, the first of its repeats
    _, first = np.unique(vectors[expected], axis=0, return_index=True)
    np.testing.assert_array_equal(peak_slices(profile), np.sort(np.array(expected)[first]))
