"""The siting LP against hand-solved cases, invariants and monotonic responses."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pulp
import pytest

import siting
from siting.errors import InfeasibleError, InputError
from siting.model import build
from siting.timeseries import HOURS_PER_YEAR

from conftest import make_scenario, solar_block

H = HOURS_PER_YEAR


def east_west(**params):
    """Origin O; site East 5 ms away at 0.6 CNY/kWh, West 30 ms away at 0.3 CNY/kWh."""
    sites = {
        "East": {"electricity_price_cny_per_kwh": 0.6, "role": "east"},
        "West": {"electricity_price_cny_per_kwh": 0.3, "role": "west", **params.pop("west", {})},
    }
    demand = [("O", "interactive", 10.0), ("O", "batch", 20.0)]
    return make_scenario(sites, demand, {("O", "East"): 5.0, ("O", "West"): 30.0}, **params)


def allocated(res, site, workload):
    a = res.allocation
    return a.loc[(a["site"] == site) & (a["workload"] == workload), "it_mw"].sum()


# ---------------------------------------------------------------- hand-solved


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


# ---------------------------------------------------------------- infeasible


def test_no_site_within_latency_is_explained_before_building():
    scn = east_west(workloads={"interactive": {"rtt_max_ms": 2.0, "flexible": False},
                               "batch": {"rtt_max_ms": np.nan, "flexible": False}})
    with pytest.raises(InfeasibleError, match=r"O/interactive .*RTT limit of 2 ms; the nearest eligible site is East at 5.0 ms"):
        siting.solve(scn)


def test_capacity_shortfall_is_explained():
    scn = east_west(west={"it_capacity_max_mw": 1.0})
    scn = scn.replace(sites=scn.sites.assign(it_capacity_max_mw=[5.0, 1.0]))
    with pytest.raises(InfeasibleError, match="exceeds the capacity"):
        siting.solve(scn)


def test_unreachable_green_target_is_diagnosed():
    sites = {"S": {"solar_max_mw": 1.0}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, solar={"S": solar_block()},
                        green_share_min=0.9)
    with pytest.raises(InfeasibleError, match="green_share_min=90% cannot be reached"):
        siting.solve(scn)


# ---------------------------------------------------------------- presets


def check_invariants(scn, res):
    """Demand met, latency limits and local edges respected, energy balances closed."""
    assert res.status == "optimal"
    served = res.allocation.groupby(["origin", "workload"])["it_mw"].sum()
    wanted = scn.demand.set_index(["origin", "workload"])["it_mw"]
    wanted = wanted[wanted > 0]
    pd.testing.assert_series_equal(served.sort_index(), wanted.sort_index(), check_names=False, rtol=1e-7)
    limit = scn.workloads["rtt_max_ms"].reindex(res.allocation["workload"]).to_numpy()
    assert (np.isnan(limit) | (res.allocation["rtt_ms"].to_numpy() <= limit + 1e-9)).all()
    # local edge sites serve only their own province
    local = scn.sites.index[scn.sites["local_only"]]
    edge = res.allocation[res.allocation["site"].isin(local)]
    assert (edge["origin"].to_numpy() == scn.sites.loc[edge["site"], "province"].to_numpy()).all()
    # energy balances close: facility energy = PUE x IT energy = grid + renewables
    s = res.sites
    np.testing.assert_allclose(s["energy_mwh"], s["grid_mwh"] + s["renewable_mwh"], rtol=1e-9)
    np.testing.assert_allclose(s["energy_mwh"], s["pue"] * s["it_load_mw"] * H, rtol=1e-6, atol=1e-3)
    d = res.dispatch
    assert (d.groupby("site")["weight_h"].sum() == H).all()
    it_energy = (d["it_mw"] * d["weight_h"]).groupby(d["site"]).sum()
    np.testing.assert_allclose(it_energy.reindex(s.index), s["it_load_mw"] * H, rtol=1e-6, atol=1e-3)
    assert (d["it_mw"] <= s["it_capacity_mw"].reindex(d["site"]).to_numpy() + 1e-6).all()
    assert (d["renewable_mw"] <= d["renewable_available_mw"] + 1e-6).all()
    assert (s["it_capacity_mw"] <= scn.sites["it_capacity_max_mw"] + 1e-6).all()
    # cost components add up to the objective
    assert res.summary["cost_total_cny"] == pytest.approx(res.objective_cny, rel=1e-9)


def test_preset_invariants(edwc, edwc_result):
    check_invariants(edwc, edwc_result)


@pytest.mark.parametrize("preset", ["all-sites", "east-only"])
@pytest.mark.parametrize("method", ["direct", "benders"])
def test_invariants_hold_on_every_preset(preset, method):
    scn = siting.Scenario.preset(preset, resolution="days", representative_days=2)
    check_invariants(scn, siting.solve(scn, method=method))


def test_demand_duals_match_finite_difference(edwc, edwc_result):
    duals = edwc_result.duals.set_index("key")
    key = "Shanghai/batch"
    step = 10.0
    dem = edwc.demand.copy()
    row = (dem["origin"] == "Shanghai") & (dem["workload"] == "batch")
    dem.loc[row, "it_mw"] += step
    more = siting.solve(edwc.replace(demand=dem))
    assert (more.objective_cny - edwc_result.objective_cny) / step == pytest.approx(duals.loc[key, "value"], rel=1e-3)


def test_result_is_picklable(edwc_result):
    again = pickle.loads(pickle.dumps(edwc_result))
    assert again.objective_cny == edwc_result.objective_cny
    pd.testing.assert_frame_equal(again.sites, edwc_result.sites)


def test_highs_and_cbc_agree(edwc):
    small = edwc.replace(resolution="average")
    a = siting.solve(small, solver="highs")
    try:
        b = siting.solve(small, solver="cbc")
    except siting.SolverNotAvailableError:
        pytest.skip("CBC is not installed")
    assert b.objective_cny == pytest.approx(a.objective_cny, rel=1e-6)


# ---------------------------------------------------------------- monotonic


@pytest.fixture(scope="module")
def base():
    return siting.Scenario.preset("all-sites", resolution="average")


def test_tighter_latency_never_lowers_cost(base):
    costs = [siting.solve(base.replace(rtt_max_ms_interactive=ms)).objective_cny for ms in (40, 20, 10, 6)]
    assert all(b >= a * (1 - 1e-9) for a, b in zip(costs, costs[1:]))
    assert costs[-1] > costs[0]


def test_higher_green_target_never_lowers_cost():
    base = siting.Scenario.preset("all-sites", resolution="days", representative_days=2)
    free = siting.solve(base)
    targets = [free.summary["green_share"] + x for x in (0.0, 0.02, 0.04)]
    costs = [siting.solve(base.replace(green_share_min=min(t, 1.0))).objective_cny for t in targets]
    assert all(b >= a * (1 - 1e-9) for a, b in zip(costs, costs[1:]))


def test_higher_carbon_price_never_raises_emissions():
    base = siting.Scenario.preset("all-sites", resolution="days", representative_days=2)
    emissions = [siting.solve(base.replace(carbon_price_cny_per_t=p)).summary["emissions_t"] for p in (0, 100, 300, 1000)]
    assert all(b <= a * (1 + 1e-7) + 1e-3 for a, b in zip(emissions, emissions[1:]))
    assert emissions[-1] < emissions[0]


# ---------------------------------------------------------------- errors and API


def test_unknown_solver_and_bad_parameters():
    scn = east_west()
    with pytest.raises(InputError, match="solver was 'gurobi'"):
        siting.solve(scn, solver="gurobi")
    with pytest.raises(InputError, match="discount_rate"):
        scn.replace(discount_rate=5.0)
    with pytest.raises(InputError, match="green_share_min"):
        scn.replace(green_share_min=1.5)


def test_model_is_built_from_latency_feasible_arcs_only():
    model = build(east_west())
    # interactive can only reach East: 1 arc; batch reaches both: 2 arcs
    assert len(model.arcs) == 3
    assert set(model.arcs.loc[model.arcs["workload"] == "interactive", "site"]) == {"East"}


# ---------------------------------------------------------------- decomposition


def test_benders_matches_direct_lp(edwc):
    scn = edwc.replace(green_share_min=0.5, carbon_price_cny_per_t=200.0)
    direct = siting.solve(scn, method="direct")
    split = siting.solve(scn, method="benders", tol=1e-7)
    assert split.objective_cny == pytest.approx(direct.objective_cny, rel=1e-6)
    assert split.summary["green_share"] >= 0.5 - 1e-6
    np.testing.assert_allclose(split.sites["energy_mwh"], split.sites["grid_mwh"] + split.sites["renewable_mwh"], rtol=1e-9)
    assert split.timings["benders_gap"] <= 1e-7


def test_benders_hourly_subproblem_is_exact():
    # the closed-form site subproblem against the direct LP on 8760 hours with a flexible class
    workloads = {"interactive": {"rtt_max_ms": 20.0, "flexible": False}, "batch": {"rtt_max_ms": np.nan, "flexible": True}}
    sites = {"S": {"solar_max_mw": 40.0, "wind_max_mw": 10.0, "it_capacity_max_mw": 40.0, "pue": 1.2}}
    scn = make_scenario(sites, [("O", "interactive", 8.0), ("O", "batch", 12.0)], {("O", "S"): 1.0},
                        workloads=workloads, solar={"S": solar_block(7, 17) * 0.8}, resolution="hours",
                        solar_capex_cny_per_kw=2000.0, dc_capex_cny_per_mw=3e6, discount_rate=0.05)
    re = scn.re_profiles.copy()
    re[("S", "wind")] = 0.3 + 0.2 * np.sin(np.arange(8760) / 500.0)
    scn = scn.replace(re_profiles=re)
    direct = siting.solve(scn, method="direct")
    split = siting.solve(scn, method="benders", tol=1e-8)
    assert split.objective_cny == pytest.approx(direct.objective_cny, rel=1e-7)
    assert split.summary["grid_mwh"] == pytest.approx(direct.summary["grid_mwh"], rel=1e-6)


def test_full_year_solves_with_decomposition():
    scn = siting.Scenario.preset("east-data-west-computing", resolution="hours")
    res = siting.solve(scn)
    assert res.status == "optimal"
    assert len(res.dispatch) == 8760 * len(scn.sites)
    assert res.timings["benders_gap"] <= 1e-6
    served = res.allocation["it_mw"].sum()
    assert served == pytest.approx(scn.total_demand_mw, rel=1e-9)


def test_unreachable_green_target_on_a_preset_is_diagnosed(edwc):
    with pytest.raises(InfeasibleError, match=r"green_share_min=95% cannot be reached: .* fall short by"):
        siting.solve(edwc.replace(green_share_min=0.95))


def test_missing_solver_says_how_to_install(monkeypatch):
    monkeypatch.setattr(pulp.HiGHS, "available", lambda self: False)
    with pytest.raises(siting.SolverNotAvailableError, match="pip install highspy"):
        siting.solve(east_west())


# ---------------------------------------------------------------- review regressions


def test_benders_returns_a_solution_within_its_reported_gap():
    # the stopping test used the best upper bound of any iterate while returning the
    # current one: on this preset it stopped at a reported gap of 9e-7 with a
    # solution 1.2e-6 above the optimum
    scn = siting.Scenario.preset("east-data-west-computing", resolution="days", representative_days=6)
    direct = siting.solve(scn, method="direct")
    split = siting.solve(scn, method="benders", tol=1e-6)
    excess = (split.objective_cny - direct.objective_cny) / split.objective_cny
    assert excess <= 1e-6
    assert excess <= split.timings["benders_gap"] + 1e-9


def test_benders_cuts_are_exact_and_valid_against_an_lp():
    # evaluate() against the single-site hourly LP solved by HiGHS at random master
    # points: G is the LP optimum and every cut stays below G at every other point
    from siting.decomposition import SiteArrays, evaluate

    rng = np.random.default_rng(7)
    T, W = 12, 2
    h = rng.uniform(0.5, 2.0, T)
    h *= H / h.sum()
    profile = rng.uniform(0.2, 2.0, (W, T))
    profile /= (profile @ h / H)[:, None]
    cf = rng.uniform(0, 1, (1, 2, T)) * (rng.random((1, 2, T)) < 0.6)
    pue = np.array([1.3])
    arr = SiteArrays(h, profile, cf, pue, np.zeros((1, W), int), [[0]])

    def lp(load, flex, cap, re):
        base = (load @ profile)[0]
        prob = pulp.LpProblem("sub", pulp.LpMinimize)
        g = [prob.add_variable(f"g{t}", lowBound=0) for t in range(T)]
        f = [prob.add_variable(f"f{t}", lowBound=0, upBound=float(cap[0] - base[t])) for t in range(T)]
        prob += pulp.lpSum(h[t] * g[t] for t in range(T))
        for t in range(T):
            prob += g[t] >= pue[0] * (base[t] + f[t]) - float(re[0] @ cf[0, :, t])
        prob += pulp.lpSum(h[t] * f[t] for t in range(T)) == H * flex[0]
        prob.solve(pulp.HiGHS(msg=False))
        return pulp.value(prob.objective)

    points = []
    for _ in range(6):
        load = rng.uniform(0, 10, (1, W))
        flex = rng.uniform(0, 10, 1)
        need = max((load @ profile).max(), load.sum() + flex.sum())
        points.append((load, flex, np.array([need * rng.choice([1.0, 1.5])]), rng.uniform(0, 30, (1, 2))))
    subs = [evaluate(arr, *p) for p in points]
    exact = [lp(*p) for p in points]
    for s, g in zip(subs, exact):
        assert s["G"][0] == pytest.approx(g, rel=1e-7, abs=1e-6)
    for s in subs:
        for (load, flex, cap, re), g in zip(points, exact):
            cut = s["c_load"][0] @ load[0] + s["c_flex"][0] * flex[0] + s["c_cap"][0] * cap[0] + s["c_re"][0] @ re[0]
            assert cut <= g + 1e-6 * max(g, 1.0)


@pytest.mark.parametrize("method", ["direct", "benders"])
def test_time_limit_without_a_solution_is_an_error_not_an_empty_result(edwc, method):
    # used to return an "time_limit" Result serving 0 MW (direct) or fail with KeyError 'grid' (Benders)
    with pytest.raises(siting.SitingError, match="before it found a feasible solution"):
        siting.solve(edwc, method=method, time_limit=1e-6)


def test_zero_total_demand_solves_to_nothing():
    # with no arc at all the flexible-site lookup failed with a pandas TypeError
    scn = make_scenario({"S": {}}, [("O", "batch", 0.0)], {("O", "S"): 1.0})
    res = siting.solve(scn)
    assert res.objective_cny == pytest.approx(0.0)
    assert res.allocation.empty


def test_site_minimum_above_every_capacity_is_refused_before_building():
    # validate_model_inputs existed but was never called: the MILP was diagnosed as a capacity shortage
    scn = make_scenario({"A": {"it_capacity_max_mw": 5.0}}, [("O", "batch", 1.0)], {("O", "A"): 1.0},
                        integer=True, site_min_it_mw=10.0)
    with pytest.raises(InputError, match="site_min_it_mw=10 MW exceeds every site's it_capacity_max_mw"):
        siting.solve(scn)


def test_site_water_limit_has_a_shadow_price():
    # West saves 300 CNY/MWh and uses 1 m3/MWh: one more m3 at West is worth 300 CNY
    scn = east_west(west={"wue_l_per_kwh": 1.0, "water_m3_max": 10 * H}, water_limits=True)
    duals = siting.solve(scn).duals.set_index("key")
    assert duals.loc["water_m3_max_site:West", "value"] == pytest.approx(300.0, rel=1e-9)
    assert duals.loc["water_m3_max_site:West", "unit"] == "CNY per m3"


def test_grid_limit_infeasibility_is_diagnosed():
    sites = {"S": {"grid_mw_max": 5.0}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, grid_limits=True)
    with pytest.raises(InfeasibleError, match=r"grid import limit at site 'S' \(grid_mw_max=5.0 MW\).*exceeded by up to 5.0 MW"):
        siting.solve(scn)


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


def test_benders_meets_green_target_exactly(edwc):
    res = siting.solve(edwc.replace(green_share_min=0.8), method="benders")
    assert res.summary["green_share"] >= 0.8 - 1e-9


def test_to_dir_and_from_dir_round_trip(tmp_path, edwc_result):
    import geopandas as gpd
    import pyogrio

    out = edwc_result.to_dir(tmp_path / "r", maps=False)
    again = siting.Result.from_dir(out)
    assert again.status == edwc_result.status == "optimal"
    assert again.objective_cny == pytest.approx(edwc_result.objective_cny, rel=1e-12)
    pd.testing.assert_frame_equal(again.allocation, edwc_result.allocation, check_dtype=False)
    pd.testing.assert_series_equal(again.summary, edwc_result.summary, check_dtype=False)
    assert again.scenario.equals(edwc_result.scenario)
    layers = set(pyogrio.list_layers(out / "result.gpkg")[:, 0])
    assert layers == {"sites", "flows"}
    flows = gpd.read_file(out / "result.gpkg", layer="flows")
    assert len(flows) == len(edwc_result.allocation)
    assert flows.crs.to_epsg() == 4326
    with pytest.raises(InputError, match="not a result folder"):
        siting.Result.from_dir(tmp_path)


@pytest.mark.parametrize("method", ["direct", "benders"])
def test_user_constraint_hook(method):
    scn = east_west(resolution="days", representative_days=1, dc_capex_cny_per_mw=1e6, dc_lifetime_years=10,
                    discount_rate=0.0)

    def at_least_12_mw_east(model):
        east = list(model.scenario.sites.index).index("East")
        model.problem.addConstraint(model.var["cap"][east] >= 12.0)

    res = siting.solve(scn, method=method, extra=at_least_12_mw_east)
    assert res.sites.loc["East", "it_capacity_mw"] == pytest.approx(12.0)
    # 2 MW more East capacity than its load needs, at 1e5 CNY per MW-yr; the load stays put
    assert allocated(res, "West", "batch") == pytest.approx(20.0)
    assert res.objective_cny == pytest.approx(10 * H * 600 + 20 * H * 300 + (12 + 20) * 1e5, rel=1e-9)
