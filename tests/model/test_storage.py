"""Batteries, time-of-use prices and green matching: hand-solvable cases, invariants, monotone responses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from tests.conftest import HOURS, check_invariants, make_scenario, solar_block

DAYS = 365


def one_site(solar_mw: float = 30.0, it_mw: float = 10.0, **params):
    """One site, 10 MW of inflexible IT load (PUE 1), free solar from 8 to 16 o'clock (9 h a day)."""
    sites = {"S": {"solar_max_mw": solar_mw, "electricity_price_cny_per_kwh": 0.5}}
    defaults = dict(resolution="days", representative_days=1, storage=True, battery_round_trip_efficiency=0.81,
                    battery_power_capex_cny_per_kw=0.001, battery_energy_capex_cny_per_kwh=0.001)
    return make_scenario(sites, [("O", "batch", it_mw)], {("O", "S"): 1.0}, solar={"S": solar_block()},
                         **{**defaults, **params})


def check_storage(scn, res):
    """State of charge, power and energy limits, balances per slice, no green energy from the grid."""
    check_invariants(scn, res)
    d, s = res.dispatch, res.sites
    eta = np.sqrt(scn.battery_round_trip_efficiency)
    for site, part in d.groupby("site"):
        p, e_max = s.at[site, "battery_mw"], s.at[site, "battery_mwh"]
        soc, c, dis = (part[k].to_numpy() for k in ("soc_mwh", "charge_mw", "discharge_mw"))
        period = {"days": 24, "hours": 8760}.get(scn.resolution, 1)
        t = np.arange(len(soc))
        start = (t // period) * period
        prev = np.where(t == start, start + period - 1, t - 1)
        np.testing.assert_allclose(soc, soc[prev] + eta * c - dis / eta, atol=1e-6 * max(e_max, 1.0))
        assert (c <= p + 1e-6).all() and (dis <= p + 1e-6).all() and (soc <= e_max + 1e-6).all()
        assert (c >= -1e-9).all() and (dis >= -1e-9).all() and (soc >= -1e-9).all()
        # energy balance per slice: facility load + charge = grid + renewables + discharge
        facility = part["it_mw"].to_numpy() * s.at[site, "pue"]
        np.testing.assert_allclose(facility + c, part["grid_mw"] + part["renewable_mw"] + dis, atol=1e-6)
        # what the battery returns as green never exceeds what renewables put in (after losses)
        surplus = np.maximum(part["renewable_available_mw"].to_numpy() - facility, 0.0)
        green_in = np.minimum(c, surplus) @ part["weight_h"].to_numpy()
        green_out = dis @ part["weight_h"].to_numpy()
        grid_in = (c @ part["weight_h"].to_numpy()) - green_in
        assert green_out <= eta * eta * (green_in + grid_in) + 1e-6


def test_battery_moves_solar_surplus_to_the_night():
    # per day: solar 30 MW x 9 h = 270 MWh; load 10 MW x 24 h = 240 MWh.
    # Daytime surplus 20 MW x 9 h = 180 MWh is charged (P = 20 MW); it stores
    # 180 x 0.9 = 162 MWh (E) and returns 162 x 0.9 = 145.8 MWh at night,
    # where 10 MW x 15 h = 150 MWh is needed: the grid covers 4.2 MWh a day.
    scn = one_site()
    res = siting.solve(scn, method="direct")
    check_storage(scn, res)
    s = res.sites.loc["S"]
    assert s["battery_mw"] == pytest.approx(20.0, rel=1e-6)
    assert s["battery_mwh"] == pytest.approx(162.0, rel=1e-6)
    assert s["charge_mwh"] == pytest.approx(180.0 * DAYS, rel=1e-6)
    assert s["discharge_mwh"] == pytest.approx(145.8 * DAYS, rel=1e-6)
    assert s["grid_mwh"] == pytest.approx(4.2 * DAYS, rel=1e-6)
    assert s["curtailed_mwh"] == pytest.approx(0.0, abs=1e-3)
    assert res.summary["green_share_hourly"] == pytest.approx(1 - 4.2 / 240, rel=1e-9)
    bench = siting.solve(scn, method="benders")
    check_storage(scn, bench)
    assert bench.objective_cny == pytest.approx(res.objective_cny, rel=1e-6)
    assert bench.sites.at["S", "grid_mwh"] == pytest.approx(4.2 * DAYS, rel=1e-6)


def test_battery_is_not_built_when_it_costs_more_than_it_saves():
    # each MWh of energy capacity holds 1 MWh a day and returns 0.9 MWh at night,
    # saving 0.9 MWh of grid at 500 CNY/MWh: 0.9 x 500 x 365 = 164,250 CNY per
    # MWh-yr (capex annualised over 1 year at 0 %). Above that, no battery.
    scn = one_site(discount_rate=0.0, battery_lifetime_years=1.0, battery_power_capex_cny_per_kw=0.0)
    breakeven_per_mwh_stored = 500 * 0.9 * DAYS
    cheap = siting.solve(scn.replace(battery_energy_capex_cny_per_kwh=0.99 * breakeven_per_mwh_stored / 1000))
    dear = siting.solve(scn.replace(battery_energy_capex_cny_per_kwh=1.01 * breakeven_per_mwh_stored / 1000))
    assert cheap.sites.at["S", "battery_mwh"] == pytest.approx(162.0, rel=1e-6)
    assert dear.sites.at["S", "battery_mwh"] == pytest.approx(0.0, abs=1e-6)


def tou_site(rte: float, **params):
    """One site, no renewables, 10 MW flat load; valley 0.5x the flat price from 0 to 8 o'clock, peak 1.25x after."""
    hour = HOURS.hour.to_numpy()
    factor = np.where(hour < 8, 0.5, 1.25)
    sites = {"S": {"electricity_price_cny_per_kwh": 0.4}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, resolution="days", representative_days=1,
                        storage=True, battery_round_trip_efficiency=rte, battery_power_capex_cny_per_kw=1e-6,
                        battery_energy_capex_cny_per_kwh=1e-6, **params)
    return scn.replace(tou_profiles=pd.DataFrame({"S": factor}, index=HOURS), tou_tariffs=True)


@pytest.mark.parametrize("method", ["direct", "benders"])
def test_time_of_use_arbitrage_starts_at_the_break_even_efficiency(method):
    # charging 1 MWh in the valley costs 0.5 p; it returns rte MWh worth 1.25 p each:
    # worth it iff rte > 0.5 / 1.25 = 0.4
    below = siting.solve(tou_site(0.39), method=method)
    above = siting.solve(tou_site(0.41), method=method)
    assert below.sites.at["S", "discharge_mwh"] == pytest.approx(0.0, abs=1e-3)
    # above: the 16 peak hours (160 MWh a day) come from the battery
    assert above.sites.at["S", "discharge_mwh"] == pytest.approx(160.0 * DAYS, rel=1e-6)
    check_storage(tou_site(0.41), above)
    price = 400.0  # CNY/MWh
    expected_below = DAYS * price * (8 * 10 * 0.5 + 16 * 10 * 1.25)
    assert below.sites.at["S", "energy_cny"] == pytest.approx(expected_below, rel=1e-6)
    expected_above = DAYS * price * 0.5 * (80 + 160 / 0.41)
    assert above.sites.at["S", "energy_cny"] == pytest.approx(expected_above, rel=1e-5)


def green_case(matching: str, share: float, **params):
    """East/West with solar at West and a national green target."""
    sites = {
        "East": {"electricity_price_cny_per_kwh": 0.6},
        "West": {"electricity_price_cny_per_kwh": 0.3, "solar_max_mw": 100.0, "role": "west"},
    }
    return make_scenario(sites, [("O", "batch", 20.0)], {("O", "East"): 5.0, ("O", "West"): 30.0},
                         solar={"West": solar_block()}, resolution="days", representative_days=1,
                         solar_capex_cny_per_kw=3000.0, green_share_min=share, green_matching=matching,
                         green_certificate_cny_per_mwh=5.0, **params)


BATTERY = dict(storage=True, battery_power_capex_cny_per_kw=300.0, battery_energy_capex_cny_per_kwh=400.0)


@pytest.mark.parametrize("share, storage", [(0.2, False), (0.35, False), (0.6, True), (0.9, True)])
def test_annual_matching_never_costs_more_than_hourly(share, storage):
    # without a battery, solar (9 h a day) can match at most 37.5 % of the hours
    extra = BATTERY if storage else {}
    hourly = siting.solve(green_case("hourly", share, **extra))
    annual = siting.solve(green_case("annual", share, **extra))
    assert annual.objective_cny <= hourly.objective_cny * (1 + 1e-9)
    assert annual.summary["green_share_annual"] >= share - 1e-7
    assert hourly.summary["green_share_hourly"] >= share - 1e-7
    assert hourly.summary["certificate_mwh"] == 0.0


def test_certificate_price_moves_cost_by_price_times_certificates():
    base = siting.solve(green_case("annual", 0.9))
    certs = base.summary["certificate_mwh"]
    assert certs > 0
    up = siting.solve(green_case("annual", 0.9).replace(green_certificate_cny_per_mwh=5.5))
    assert up.objective_cny - base.objective_cny == pytest.approx(0.5 * certs, rel=1e-6)
    assert base.summary["cost_certificate_cny"] == pytest.approx(5.0 * certs, rel=1e-9)


def test_hourly_target_counts_only_energy_matched_in_its_hour():
    res = siting.solve(green_case("hourly", 0.3))
    s = res.summary
    rs = 0.0
    assert s["green_share_hourly"] == pytest.approx((s["energy_mwh"] - (1 - rs) * s["grid_mwh"]) / s["energy_mwh"])
    assert s["green_share_annual"] == pytest.approx(s["green_share_hourly"])


def test_monotone_responses():
    free = green_case("hourly", 0.3)
    with_storage = free.replace(**BATTERY)
    assert siting.solve(with_storage).objective_cny <= siting.solve(free).objective_cny * (1 + 1e-9)
    costs = [siting.solve(with_storage.replace(green_share_min=x)).objective_cny for x in (0.3, 0.5, 0.7)]
    assert costs == sorted(costs)


def test_flexible_load_never_raises_the_cost_of_a_target():
    def case(flexible_mw: float):
        sites = {"West": {"electricity_price_cny_per_kwh": 0.3, "solar_max_mw": 100.0, "role": "west"}}
        workloads = {"batch": {"rtt_max_ms": np.nan, "flexible": False},
                     "training": {"rtt_max_ms": np.nan, "flexible": True}}
        demand = [("O", "batch", 20.0 - flexible_mw), ("O", "training", flexible_mw)]
        return make_scenario(sites, demand, {("O", "West"): 30.0}, workloads=workloads, solar={"West": solar_block()},
                             resolution="days", representative_days=1, solar_capex_cny_per_kw=3000.0,
                             green_share_min=0.8, **BATTERY)

    costs = [siting.solve(case(x)).objective_cny for x in (0.0, 4.0, 8.0)]
    assert costs == sorted(costs, reverse=True)


@pytest.mark.parametrize("params", [dict(), dict(tou=True), dict(green_share_min=0.6)])
def test_benders_agrees_with_the_direct_lp_with_batteries(edwc, params):
    scn = edwc.replace(storage=True, tou_tariffs=bool(params.pop("tou", False)), **params)
    direct = siting.solve(scn, method="direct")
    bench = siting.solve(scn, method="benders")
    assert bench.objective_cny == pytest.approx(direct.objective_cny, rel=1e-6)
    check_storage(scn, bench)
    check_storage(scn, direct)
    assert bench.summary["battery_mwh"] == pytest.approx(direct.summary["battery_mwh"], rel=1e-3, abs=1.0)


def test_budget_penalty_below_the_green_premium_is_raised_until_benders_is_exact(edwc, monkeypatch):
    # at 1 CNY/MWh the site LPs would rather pay the penalty than meet the budget; the loop must
    # notice that the master settled over budget, raise the penalty, and still end at the direct LP
    from siting.model import subproblem

    monkeypatch.setattr(subproblem, "BUDGET_PENALTY", (1.0, 1e7))
    scn = edwc.replace(storage=True, tou_tariffs=True, green_share_min=0.6)
    direct = siting.solve(scn, method="direct")
    bench = siting.solve(scn, method="benders")
    assert bench.objective_cny == pytest.approx(direct.objective_cny, rel=1e-6)
    assert bench.summary["green_share_hourly"] >= 0.6 - 1e-9
    check_storage(scn, bench)


@pytest.mark.parametrize("storage", [False, True])
def test_grid_import_limits_hold_in_benders(storage):
    # the hand case of test_build.test_grid_limit_binds_at_hand_computed_cost, on representative days:
    # 10 MW flat at 200 CNY/MWh, grid capped at 6 MW, wind at CF 0.5 covers the rest (8 MW)
    sites = {"S": {"grid_mw_max": 6.0, "wind_max_mw": 100.0, "electricity_price_cny_per_kwh": 0.2}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, grid_limits=True,
                        wind_capex_cny_per_kw=20_000.0, wind_lifetime_years=10.0, discount_rate=0.0,
                        resolution="days", representative_days=2, storage=storage,
                        battery_power_capex_cny_per_kw=1e6, battery_energy_capex_cny_per_kwh=1e6)
    re = scn.re_profiles.copy()
    re[("S", "wind")] = 0.5
    scn = scn.replace(re_profiles=re)
    res = siting.solve(scn, method="benders")
    assert res.method == "benders"
    assert res.summary["wind_mw"] == pytest.approx(8.0, rel=1e-6)
    assert res.objective_cny == pytest.approx(8 * 2_000_000 + 6 * 8760 * 200, rel=1e-6)
    assert (res.dispatch["grid_mw"] <= 6.0 + 1e-6).all()


def test_unmeetable_grid_limit_in_benders_is_explained():
    sites = {"S": {"grid_mw_max": 5.0}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, grid_limits=True,
                        resolution="days", representative_days=1)
    with pytest.raises(siting.InfeasibleError, match=r"grid import limit at site 'S'"):
        siting.solve(scn, method="benders")
