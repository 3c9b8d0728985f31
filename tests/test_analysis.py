"""Sweeps, Pareto fronts, sensitivity and Monte Carlo: same tables on every
executor, failures reported per run, fronts and signs that make sense."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import matplotlib
import numpy as np
import pandas as pd
import pytest

import siting
from siting import analysis
from siting.errors import InfeasibleError, InputError

matplotlib.use("Agg")

# small uncertainty set used by the Monte Carlo tests
DISTRIBUTIONS = {
    "electricity_price_scale": ("uniform", 0.8, 1.2),
    "demand_scale": ("lognormal", 0.0, 0.2),
    "capex_scale": ("triangular", 0.8, 1.0, 1.3),
}


@pytest.fixture(scope="module")
def scn() -> siting.Scenario:
    """East Data, West Computing with one average slice: ~0.1 s per solve, emissions > 0."""
    return siting.Scenario.preset("east-data-west-computing", resolution="average")


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(2) as executor:
        yield executor


@pytest.fixture(scope="module")
def dask_executor():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client.get_executor()


@pytest.fixture(params=["pool", "dask"])
def executor(request):
    return request.getfixturevalue("pool" if request.param == "pool" else "dask_executor")


# ---------------------------------------------------------------- sweep


def test_sweep_grid_is_tidy_and_in_input_order(scn):
    table = analysis.sweep(scn, {"demand_scale": [1.0, 1.5], "carbon_price_cny_per_t": [0.0, 300.0]},
                           executor="serial", progress=False)
    assert table.index.name == "run"
    assert list(table.index) == [0, 1, 2, 3]
    # the first name varies slowest
    assert table["demand_scale"].tolist() == [1.0, 1.0, 1.5, 1.5]
    assert table["carbon_price_cny_per_t"].tolist() == [0.0, 300.0, 0.0, 300.0]
    assert (table["status"] == "optimal").all()
    assert table["error"].isna().all()
    for col in ("cost_total_cny", "cost_energy_cny", "emissions_t", "green_share", "west_share",
                "rtt_mean_ms_interactive"):
        assert col in table.columns
    # more demand costs more; a carbon price never raises emissions
    assert (table.loc[2:3, "cost_total_cny"].to_numpy() > table.loc[0:1, "cost_total_cny"].to_numpy()).all()
    assert table.loc[1, "emissions_t"] <= table.loc[0, "emissions_t"] + 1e-6
    # each row matches a direct solve of the same change
    direct = siting.solve(scn.replace(demand_scale=1.5, carbon_price_cny_per_t=300.0))
    assert table.loc[3, "cost_total_cny"] == pytest.approx(direct.summary["cost_total_cny"], rel=1e-9)


def test_sweep_renames_outputs_that_shadow_inputs(scn):
    table = analysis.sweep(scn, [{"rtt_max_ms_interactive": 25.0}], executor="serial", progress=False)
    assert table.loc[0, "rtt_max_ms_interactive"] == 25.0
    assert table.loc[0, "result_rtt_max_ms_interactive"] <= 25.0 + 1e-9


def test_sweep_identical_on_every_executor(scn, executor):
    runs = [{"carbon_price_cny_per_t": p, "electricity_price_scale": s} for p, s in
            [(0.0, 1.0), (200.0, 1.0), (0.0, 1.3), (400.0, 0.8)]]
    serial = analysis.sweep(scn, runs, executor="serial", progress=False)
    parallel = analysis.sweep(scn, runs, executor=executor, progress=False)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)


def test_default_executor_is_a_working_process_pool(scn):
    runs = {"carbon_price_cny_per_t": [0.0, 250.0]}
    serial = analysis.sweep(scn, runs, executor="serial", progress=False)
    default = analysis.sweep(scn, runs, progress=False)
    pd.testing.assert_frame_equal(serial, default, check_exact=True)


@pytest.mark.parametrize("where", ["serial", "pool"])
def test_failed_runs_are_reported_and_others_kept(scn, pool, where):
    runs = [
        {"carbon_price_cny_per_t": 100.0},
        {"rtt_max_ms_interactive": 0.5},  # no site within 0.5 ms: infeasible
        {"demand_scale": -1.0},  # negative demand: invalid input
        {"no_such_field": 1.0},
        {"carbon_price_cny_per_t": 200.0},
    ]
    with pytest.warns(RuntimeWarning, match="3 of 5 runs failed"):
        table = analysis.sweep(scn, runs, executor="serial" if where == "serial" else pool, progress=False)
    assert table["status"].tolist() == ["optimal", "infeasible", "error", "error", "optimal"]
    assert table.loc[1, "rtt_max_ms_interactive"] == 0.5
    assert "RTT limit" in table.loc[1, "error"]
    assert "InputError" in table.loc[2, "error"] and "negative" in table.loc[2, "error"]
    assert "no_such_field" in table.loc[3, "error"]
    assert table.loc[[1, 2, 3], "cost_total_cny"].isna().all()
    assert table.loc[[0, 4], "error"].isna().all()
    assert table.loc[4, "cost_total_cny"] > table.loc[0, "cost_total_cny"]


def test_sweep_refuses_malformed_requests(scn):
    with pytest.raises(InputError, match="list of values"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": 100.0}, executor="serial")
    with pytest.raises(InputError, match="executor"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": [100.0]}, executor="threads")
    with pytest.raises(InputError, match="solver options"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": [100.0]}, executor="serial", time_limt=5)
    with pytest.raises(InputError, match="no runs"):
        analysis.sweep(scn, [], executor="serial")


def test_progress_false_prints_nothing(scn, capsys):
    analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor="serial", progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# ---------------------------------------------------------------- emissions cap and Pareto


def test_emissions_cap_binds_and_has_a_shadow_price(scn):
    free = siting.solve(scn)
    cap = 0.8 * free.summary["emissions_t"]
    capped = siting.solve(scn.replace(emissions_t_max=cap))
    assert capped.summary["emissions_t"] <= cap * (1 + 1e-6)
    assert capped.summary["cost_total_cny"] > free.summary["cost_total_cny"]
    row = capped.duals[capped.duals["key"] == "emissions_t_max:national"].iloc[0]
    assert row["unit"] == "CNY per t CO2" and row["value"] > 0
    with pytest.raises(InfeasibleError, match="emissions_t_max=5,000,000 tCO2/yr cannot be met"):
        siting.solve(scn.replace(emissions_t_max=5e6))  # the least-emission plan emits ~10.9 Mt
    with pytest.raises(InputError, match="emissions_t_max"):
        scn.replace(emissions_t_max=-1.0)


def test_pareto_front_is_monotone(scn):
    front = analysis.pareto(scn, points=4, executor="serial", progress=False)
    assert len(front) == 4 and (front["status"] == "optimal").all()
    caps = front["emissions_cap_t"].to_numpy()
    assert (np.diff(caps) < 0).all()  # the cap tightens point by point
    assert (front["emissions_t"].to_numpy() <= caps * (1 + 1e-6) + 1e-3).all()
    assert (np.diff(front["cost_total_cny"].to_numpy()) >= -1e-6 * front["cost_total_cny"].max()).all()
    assert (front["carbon_shadow_price_cny_per_t"] >= -1e-6).all()
    least_cost = siting.solve(scn)
    assert front.loc[0, "cost_total_cny"] == pytest.approx(least_cost.summary["cost_total_cny"], rel=1e-9)
    assert front.loc[3, "emissions_t"] < front.loc[0, "emissions_t"]
    assert analysis.plot_pareto(front).get_xlabel() == "Emissions [Mt CO2/yr]"
    with pytest.raises(InputError, match="only"):
        analysis.pareto(scn, objectives=("cost", "water"))


def test_pareto_takes_every_solve_option_and_user_constraint(scn):
    # the least-emission end is solved on the same feasible set as the points:
    # options of siting.solve that solve_model lacks (method) used to raise
    # TypeError, and a user constraint (extra) was ignored there, so the last
    # cap lay below what the constrained points can reach and failed
    zhangjiakou = list(scn.sites.index).index("Zhangjiakou")  # the most coal-heavy national site

    def extra(model):
        model.problem.addConstraint(model.var["grid_energy"][zhangjiakou] >= 2e6)  # MWh/yr of grid power

    front = analysis.pareto(scn, points=3, executor="serial", progress=False, method="direct", extra=extra)
    assert (front["status"] == "optimal").all(), front["error"].tolist()
    free = analysis.pareto(scn, points=2, executor="serial", progress=False)
    assert front["emissions_t"].iloc[-1] > free["emissions_t"].iloc[-1] * 1.01


def test_pareto_caps_never_rise_when_least_cost_is_least_emission(scn):
    # a carbon price this high makes the least-cost plan the least-emission one
    front = analysis.pareto(scn.replace(carbon_price_cny_per_t=1e6), points=3, executor="serial", progress=False)
    caps = front["emissions_cap_t"].to_numpy()
    assert (np.diff(caps) <= 0).all(), caps
    assert (front["status"] == "optimal").all()


def test_plot_pareto_names_only_ends_that_solved():
    front = pd.DataFrame({
        "emissions_cap_t": [3e7, 2e7, 1e7], "status": ["optimal", "optimal", "infeasible"],
        "error": [np.nan, np.nan, "no"], "cost_total_cny": [1e11, 1.1e11, np.nan],
        "emissions_t": [3e7, 2e7, np.nan], "carbon_shadow_price_cny_per_t": [0.0, 50.0, np.nan],
    })
    texts = [t.get_text() for t in analysis.plot_pareto(front).texts]
    assert "least cost" in texts and "least emissions" not in texts


# ---------------------------------------------------------------- sensitivity


def test_sensitivity_signs_and_duals(scn):
    sens = analysis.sensitivity(scn, change=0.2, executor="serial", progress=False)
    table = sens.table.set_index(["parameter", "side"])
    assert set(table.index.get_level_values(0)) == set(analysis.SENSITIVITY_PARAMETERS)
    cost = table["cost_total_cny"]
    assert cost["electricity_price_scale", "high"] > sens.base["cost_total_cny"] > cost["electricity_price_scale", "low"]
    assert cost["demand_scale", "high"] > cost["demand_scale", "low"]
    assert cost["capex_scale", "high"] > cost["capex_scale", "low"]
    assert table.loc[("rtt_max_ms_interactive", "low"), "value"] == pytest.approx(16.0)
    # a tighter latency limit never lowers cost
    assert cost["rtt_max_ms_interactive", "low"] >= cost["rtt_max_ms_interactive", "high"] - 1e-6

    duals = sens.duals
    demand = duals[duals["kind"] == "demand"]
    assert len(demand) == (scn.demand["it_mw"] > 0).sum()
    assert (demand["value"] > 0).all() and (demand["unit"] == "CNY per MW-yr").all()
    latency = duals[duals["kind"] == "latency"].set_index("key")
    assert set(latency.index) == {"rtt_max_ms_interactive", "rtt_max_ms_near_realtime"}
    assert (latency["value"] >= -1e-3).all()
    green = duals[duals["key"] == "green_share_min:national"].iloc[0]
    assert green["unit"] == "CNY per percentage point" and green["value"] >= -1e-3
    ax = analysis.plot_tornado(sens)
    assert ax.get_yticklabels()[-1].get_text() == "demand_scale"  # the largest swing on top
    with pytest.raises(InputError, match="no RTT limit"):
        analysis.sensitivity(scn, parameters=["rtt_max_ms_batch"], executor="serial")


# ---------------------------------------------------------------- Monte Carlo


def test_monte_carlo_identical_on_every_executor(scn, executor):
    serial = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=7, executor="serial", progress=False)
    parallel = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=7, executor=executor, progress=False)
    pd.testing.assert_frame_equal(serial.runs, parallel.runs, check_exact=True)
    pd.testing.assert_frame_equal(serial.capacity_mw, parallel.capacity_mw, check_exact=True)
    pd.testing.assert_series_equal(serial.build_probability, parallel.build_probability)


def test_monte_carlo_reproducible_from_seed():
    scn = siting.Scenario.preset("all-sites", resolution="average")
    a = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=1, executor="serial", progress=False)
    b = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=1, executor="serial", progress=False)
    c = analysis.monte_carlo(scn, DISTRIBUTIONS, n=2, seed=2, executor="serial", progress=False)
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    assert not np.allclose(a.runs["demand_scale"].iloc[:2], c.runs["demand_scale"])
    assert not np.allclose(a.runs["cost_total_cny"].iloc[:2], c.runs["cost_total_cny"])
    assert list(a.runs.columns[:3]) == list(DISTRIBUTIONS)
    assert a.runs.index.name == "draw" and (a.runs["status"] == "optimal").all()
    p = a.build_probability
    assert p.index.equals(scn.sites.index) and p.between(0, 1).all()
    expected = (a.capacity_mw > 1.0).mean()
    pd.testing.assert_series_equal(p, expected.rename("build_probability"))
    q = a.quantiles(columns=["cost_total_cny", "emissions_t"])
    assert list(q.index) == [0.05, 0.5, 0.95]
    assert q.loc[0.05, "cost_total_cny"] <= q.loc[0.5, "cost_total_cny"] <= q.loc[0.95, "cost_total_cny"]
    everything = a.quantiles()
    assert "error" not in everything.columns and not everything.isna().all().any()
    ax = analysis.plot_build_probability(a)
    assert any(c.get_gid() == "sites:build_probability" for c in ax.collections)


def test_monte_carlo_leaves_failed_draws_out():
    scn = siting.Scenario.preset("east-data-west-computing", resolution="average")
    # a normal around 1 with a wide spread draws some negative demand scales
    with pytest.warns(RuntimeWarning, match="runs failed"):
        mc = analysis.monte_carlo(scn, {"demand_scale": ("normal", 1.0, 1.0)}, n=8, seed=3,
                                  executor="serial", progress=False)
    bad = mc.runs["demand_scale"] < 0
    assert bad.any() and (~bad).any()
    assert (mc.runs.loc[bad, "status"] == "error").all()
    assert mc.capacity_mw[bad.to_numpy()].isna().all().all()
    assert mc.quantiles(columns=["demand_scale"]).loc[0.05, "demand_scale"] >= 0


def test_distribution_specs():
    rng = np.random.default_rng(0)
    draws = analysis._draw(
        {"u": ("uniform", 2.0, 3.0), "t": ("triangular", 0.0, 0.5, 1.0), "n": ("normal", 10.0, 0.1),
         "l": ("lognormal", 0.0, 0.1)},
        2000,
        rng,
    )
    assert draws["u"].between(2.0, 3.0).all() and draws["t"].between(0.0, 1.0).all()
    assert draws["n"].mean() == pytest.approx(10.0, abs=0.01)
    assert draws["l"].median() == pytest.approx(1.0, abs=0.01)
    with pytest.raises(InputError, match="takes 2 parameters"):
        analysis._draw({"x": ("uniform", 1.0)}, 3, rng)
    with pytest.raises(InputError, match="frozen scipy.stats distribution or a tuple"):
        analysis._draw({"x": ("beta", 1.0, 2.0)}, 3, rng)


class FrozenNormal:
    """Stands in for a frozen scipy.stats distribution: ``rvs(size, random_state)``."""

    def __init__(self, mean: float, sd: float) -> None:
        self.mean, self.sd = mean, sd

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        return random_state.normal(self.mean, self.sd, size)


def test_frozen_distributions_draw_from_the_seeded_generator():
    dist = {"capex_scale": FrozenNormal(1.0, 0.1), "demand_scale": ("uniform", 0.9, 1.1)}
    a = analysis._draw(dist, 5, np.random.default_rng(4))
    b = analysis._draw(dist, 5, np.random.default_rng(4))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    expected = np.random.default_rng(4).normal(1.0, 0.1, 5)
    np.testing.assert_array_equal(a["capex_scale"].to_numpy(), expected)
