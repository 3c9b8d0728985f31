"""Emissions caps and cost–emissions Pareto fronts that make sense."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import siting
from siting import analysis
from siting.errors import InfeasibleError, InputError

matplotlib.use("Agg")


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
