"""The solve pipeline: invariants on every preset, monotone responses, solver options."""

from __future__ import annotations


import pulp
import pytest

import siting
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR

from conftest import allocated, check_invariants, east_west, make_scenario

H = HOURS_PER_YEAR


def test_preset_invariants(edwc, edwc_result):
    check_invariants(edwc, edwc_result)


@pytest.mark.parametrize("preset", ["all-sites", "east-only"])
@pytest.mark.parametrize("method", ["direct", "benders"])
def test_invariants_hold_on_every_preset(preset, method):
    scn = siting.Scenario.preset(preset, resolution="days", representative_days=2)
    check_invariants(scn, siting.solve(scn, method=method))


def test_highs_and_cbc_agree(edwc):
    small = edwc.replace(resolution="average")
    a = siting.solve(small, solver="highs")
    try:
        b = siting.solve(small, solver="cbc")
    except siting.SolverNotAvailableError:
        pytest.skip("CBC is not installed")
    assert b.objective_cny == pytest.approx(a.objective_cny, rel=1e-6)


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


def test_unknown_solver_and_bad_parameters():
    scn = east_west()
    with pytest.raises(InputError, match="solver was 'gurobi'"):
        siting.solve(scn, solver="gurobi")
    with pytest.raises(InputError, match="discount_rate"):
        scn.replace(discount_rate=5.0)
    with pytest.raises(InputError, match="green_share_min"):
        scn.replace(green_share_min=1.5)


def test_full_year_solves_with_decomposition():
    scn = siting.Scenario.preset("east-data-west-computing", resolution="hours")
    res = siting.solve(scn)
    assert res.status == "optimal"
    assert len(res.dispatch) == 8760 * len(scn.sites)
    assert res.timings["benders_gap"] <= 1e-6
    served = res.allocation["it_mw"].sum()
    assert served == pytest.approx(scn.total_demand_mw, rel=1e-9)


def test_missing_solver_says_how_to_install(monkeypatch):
    monkeypatch.setattr(pulp.HiGHS, "available", lambda self: False)
    with pytest.raises(siting.SolverNotAvailableError, match="pip install highspy"):
        siting.solve(east_west())


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


def test_free_grid_energy_is_reported_as_used_not_more():
    # price and carbon price zero: any grid draw costs nothing, and the direct
    # LP's grid rows are lower bounds, so an optimum may draw more than the site
    # uses; read such an (equally cheap) optimum and check what is reported
    from siting.model.build import build
    from siting.model.extract import read_solution
    from siting.model.optimize import solve_model

    scn = make_scenario({"S": {"electricity_price_cny_per_kwh": 0.0}}, [("O", "batch", 10.0)], {("O", "S"): 1.0},
                        resolution="days", representative_days=2, carbon_price_cny_per_t=0.0)
    model = build(scn)
    assert solve_model(model) == siting.Status.OPTIMAL
    for g in model.var["grid"][0]:
        g.varValue += 5.0  # 15 MW drawn for a 10 MW site: still optimal, at cost 0
    res = read_solution(model, status="optimal", solver="highs", timings={})
    s = res.sites.loc["S"]
    assert s["grid_mwh"] == pytest.approx(10.0 * H, rel=1e-12)
    assert s["energy_mwh"] == pytest.approx(s["grid_mwh"] + s["renewable_mwh"], rel=1e-12)
    assert (res.dispatch["grid_mw"] <= res.dispatch["it_mw"] + 1e-9).all()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # time_limit="1" was a raw TypeError; -1 was accepted and returned a result 12 % off the optimum
        ({"time_limit": "1"}, r"time_limit: '1' must be a finite number of seconds > 0"),
        ({"time_limit": -1}, r"time_limit: -1 must be a finite number of seconds > 0"),
        ({"time_limit": float("inf")}, r"time_limit: inf must be a finite number"),
        ({"time_limit": 0}, r"time_limit: 0 must be"),
        ({"threads": 0}, r"threads: 0 must be a whole number >= 1"),
        ({"threads": 1.5}, r"threads: 1.5 must be a whole number >= 1"),
        ({"threads": True}, r"threads: True must be a whole number >= 1"),
        ({"tol": "x"}, r"tol: 'x' must be a relative gap between 0 and 1"),
        ({"tol": float("nan")}, r"tol: nan must be a relative gap"),
        ({"mip_gap": -0.1}, r"mip_gap: -0.1 must be a relative gap >= 0 and < 1"),
        ({"extra": "add rows"}, r"extra: 'add rows' must be a function of the built model"),
    ],
)
def test_solver_options_are_checked_before_building(options, message, monkeypatch):
    monkeypatch.setattr("siting.model.solve.build", lambda *a, **k: pytest.fail("built before the options were checked"))
    with pytest.raises(InputError, match=message):
        siting.solve(east_west(), **options)
