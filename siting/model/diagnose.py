"""Explain an infeasible scenario with elastic re-solves.

The diagnosis builds its own models (:func:`~siting.model.build.build` with
``elastic="demand"``, then ``elastic="policy"``) and reads which demand goes
unserved or which policy row needs slack.
"""

from __future__ import annotations

import numpy as np

from siting.model.build import build
from siting.model.core import Model
from siting.model.optimize import solve_model
from siting.model.status import Status
from siting.scenario import Scenario

__all__ = ["diagnose", "NUMERICAL"]

#: Ending of a diagnosis that finds every demand and policy feasible.
NUMERICAL = "the diagnostic models meet every demand and policy; the infeasibility is numerical"


def diagnose(scenario: Scenario, solver: str = "highs", status: str = "infeasible") -> str:
    """Explain why a scenario is infeasible.

    First re-solves the scenario without its policy rows and with *elastic*
    demand (demand may go unserved at a very high penalty): what stays
    unserved cannot be served for capacity and latency reasons. If all
    demand can be served, re-solves with firm demand and elastic policy
    rows: what is violated is the policy that cannot be met.

    Returns
    -------
    str
        A readable diagnosis.
    """
    head = f"scenario {scenario.name!r} is {status}"
    if scenario.resolution == "hours":
        # the diagnosis is about which demand or policy fails; 12 representative
        # days answer that with a model 30 times smaller
        scenario = scenario.replace(resolution="days", representative_days=12)
        head += " (diagnosed on 12 representative days)"
    no_policy = scenario.replace(green_share_min=None, site_green_share_min=None, west_share_min=None,
                                 water_limits=False, water_m3_max=None, emissions_t_max=None,
                                 grid_limits=False)
    model = build(no_policy, elastic="demand")
    st = _solve_robustly(model, solver)
    if st != Status.OPTIMAL:
        return f"{head}; the diagnostic model could not be solved either ({st})"
    lines = []
    dem = scenario.demand[scenario.demand["it_mw"] > 0].reset_index(drop=True)
    unserved = np.array([v.varValue or 0.0 for v in model.var["unserved"]])
    for j in np.flatnonzero(unserved > 1e-6):
        d = dem.iloc[j]
        lines.append(
            f"{d.origin}/{d.workload}: {unserved[j]:,.1f} of {d.it_mw:,.1f} MW cannot be served: the sites "
            "within its RTT limit lack capacity (other demand competes for them)"
        )
    if not lines:
        model = build(scenario, elastic="policy")
        st = _solve_robustly(model, solver)
        if st != Status.OPTIMAL:
            return f"{head}; the diagnostic model could not be solved either ({st})"
        for name, var in model.var.get("slack", {}).items():
            value = var.varValue or 0.0
            if value > 1e-6:
                lines.append(_explain_policy(scenario, name, value))
    if not lines:
        lines.append(NUMERICAL)
    return head + ":\n  - " + "\n  - ".join(lines)


def _solve_robustly(model: Model, solver: str) -> Status:
    """Solve a diagnostic model; with HiGHS, retry with interior point, then with the objective scaled down
    (2**-4), if dual simplex fails on the penalty-scaled objective."""
    status = solve_model(model, solver)
    if status != Status.OPTIMAL and solver == "highs":
        status = solve_model(model, solver, algorithm="ipm")
    if status != Status.OPTIMAL and solver == "highs":
        status = solve_model(model, solver, objective_scale=-4)
    return status


def _explain_policy(scenario: Scenario, name: str, slack: float) -> str:
    if name == "green_share_min":
        return (
            f"green_share_min={scenario.green_share_min:.0%} cannot be reached: the contractable solar "
            f"and wind (sites' solar_max_mw/wind_max_mw) plus the grid's renewable share fall short by "
            f"{slack:,.0f} MWh/yr of green energy"
        )
    if name.startswith("site_green_share_min"):
        i = int(name.rsplit("_", 1)[1])
        site = scenario.sites.index[i]
        return (
            f"site_green_share_min={scenario.site_green_share_min:.0%} cannot be met at site {site!r}: "
            f"its contractable renewables fall short by {slack:,.0f} MWh/yr"
        )
    if name == "west_share_min":
        return (
            f"west_share_min={scenario.west_share_min:.0%} cannot be met: western sites lack capacity "
            f"or latency limits keep load in the east (short by {slack:,.1f} MW)"
        )
    if name == "emissions_t_max":
        return (
            f"emissions_t_max={scenario.emissions_t_max:,.0f} tCO2/yr cannot be met: contractable renewables "
            f"and low-carbon grids within the latency limits fall short by {slack:,.0f} tCO2/yr"
        )
    if name.startswith("grid_limit_"):
        i = int(name.rsplit("_", 1)[1])
        site = scenario.sites.index[i]
        limit = scenario.sites["grid_mw_max"].iat[i]
        return (
            f"grid import limit at site {site!r} (grid_mw_max={limit:,.1f} MW) is too low for its share of the "
            f"demand: exceeded by up to {slack:,.1f} MW"
        )
    if name.startswith("water"):
        where = "national limit" if name == "water_m3_max" else f"site {scenario.sites.index[int(name.rsplit('_', 1)[1])]!r}"
        return f"water limit ({where}) exceeded by {slack:,.0f} m3/yr"
    return f"policy {name} violated by {slack:g}"
