r"""The siting linear program, built with PuLP from vectors.

Sets: origins :math:`r`, sites :math:`s`, workload classes :math:`w`, time
slices :math:`t` with weights :math:`h_t` [h] (:mod:`siting.timeseries`),
renewable technologies :math:`k \in \{solar, wind\}`.

Variables (all :math:`\ge 0`):

- :math:`a_{rsw}` [MW]: class-:math:`w` IT load of origin :math:`r` served at
  :math:`s`; created only where :math:`RTT_{rs} \le L_w` (latency holds by
  construction) and, for local edge sites, where :math:`r` is the site's
  province;
- :math:`\ell_{sw}` [MW]: average IT load of class :math:`w` at :math:`s`;
- :math:`cap_s \le \overline{cap}_s` [MW]: IT capacity built;
- :math:`f_{st}` [MW]: load of time-flexible classes at :math:`s` in :math:`t`;
- :math:`g_{st}` [MW]: facility power from the grid;
  :math:`x_{sk} \le \overline{x}_{sk}` [MW]: contracted renewable capacity.

Constraints:

.. math::

    \sum_s a_{rsw} &= D_{rw}                                   &\text{(demand)}\\
    \ell_{sw} &= \sum_r a_{rsw}                               &\text{(load)}\\
    \sum_t h_t f_{st} &= 8760 \sum_{w\,flexible} \ell_{sw}      &\text{(flexible energy)}\\
    \sum_{w\,inflexible} p_{wt}\ell_{sw} + f_{st} &\le cap_s     &\text{(capacity)}\\
    g_{st} &\ge PUE_s \Big(\sum_{w\,inflexible} p_{wt}\ell_{sw} + f_{st}\Big) - \sum_k cf_{skt}\, x_{sk} &\text{(grid)}

Each site's annual grid energy :math:`G_s = \sum_t h_t g_{st}` [MWh/yr] is a
variable of its own; the objective and the policy rows read it, which is
what lets :mod:`siting.model.benders` replace the hourly rows by cuts.

The reference formulation's balance ``PUE * it = g + q`` with
``q <= sum_k cf x`` is merged into the grid row: renewables cost nothing
at the margin, so the optimum uses them first and ``q = PUE * it - g``.

Plus the switchable policy families: national and per-hub-site green share,
minimum western share of capacity, per-site and national water limits, grid
import limits, a national cap on emissions from grid power, and in MILP mode
site opening with a fixed cost and a minimum size.

Objective [CNY/yr]: annualised capex and fixed O&M of :math:`cap` and
:math:`x`, grid energy at the site price, carbon price times emission factor
times grid energy, network cost of carrying served load over distance, an
optional latency penalty, and fixed costs of open sites.

Every constraint family is one function (``add_*``) in a module of its own
(:mod:`~siting.model.demand`, :mod:`~siting.model.capacity`,
:mod:`~siting.model.policy`); :func:`build` calls them in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pulp

from siting.errors import InputError
from siting.model.arcs import arcs, check_reachable
from siting.model.capacity import add_capacity_and_grid, add_master_feasibility
from siting.model.core import TECHS, Model, uses_certificates, variables
from siting.model.demand import add_demand, add_flexible_energy, add_load
from siting.model.grid import add_absorption_limits, add_corridor_limits, add_grid_variables, cost_mode, grid_series
from siting.model.objective import set_objective
from siting.model.storage import add_battery_slices, add_battery_variables, add_duration
from siting.model.policy import (
    add_certificate_limits,
    add_emissions_cap,
    add_green_share,
    add_grid_limits,
    add_site_green_share,
    add_site_opening,
    add_water,
    add_west_share,
)
from siting.scenario import Scenario
from siting.timeseries import Slices, slice_series

__all__ = ["build", "time_slices", "validate_model_inputs"]


def build(scenario: Scenario, elastic: str | None = None, master: bool = False) -> Model:
    """Build the PuLP problem of a scenario.

    Parameters
    ----------
    scenario : Scenario
    elastic : {None, "demand", "policy"}
        Diagnostic modes: ``"demand"`` lets demand go unserved, ``"policy"``
        lets policy rows be violated, each at a very high penalty, so the
        solution shows which demand or policy cannot be met.
    master : bool
        Build the Benders master of :mod:`siting.decomposition`: no
        per-slice variables; each site's annual grid energy is bounded by
        cuts instead of hourly rows.

    Returns
    -------
    Model
    """
    validate_model_inputs(scenario)
    arc = arcs(scenario)
    if not elastic:
        check_reachable(scenario, arc)
    slices = time_slices(scenario)
    load_index = arc.groupby(["site", "workload"], sort=True).size().reset_index()[["site", "workload"]]
    model = Model(
        problem=pulp.LpProblem(f"siting_{safe_name(scenario.name)}", pulp.LpMinimize),
        scenario=scenario,
        slices=slices,
        arcs=arc,
        load_index=load_index,
        elastic=elastic,
        master=master,
    )
    define_variables(model)
    add_demand(model)
    add_load(model)
    if master:
        add_master_feasibility(model)
    else:
        add_flexible_energy(model)
        add_capacity_and_grid(model)
        add_battery_slices(model)
    add_corridor_limits(model)
    add_absorption_limits(model)
    add_duration(model)
    add_certificate_limits(model)
    add_green_share(model)
    add_site_green_share(model)
    add_west_share(model)
    add_water(model)
    add_emissions_cap(model)
    add_grid_limits(model)
    add_site_opening(model)
    set_objective(model)
    return model

def time_slices(scenario: Scenario) -> Slices:
    re = scenario.re_profiles.loc[:, scenario.re_profiles.columns.get_level_values(0).isin(scenario.sites.index)]
    re = re.copy()
    re.columns = [f"{s}|{k}" for s, k in re.columns]
    inflexible = scenario.workloads.index[~scenario.workloads["flexible"]]
    loads = scenario.load_profiles[list(inflexible)].copy()
    loads.columns = [f"load|{w}" for w in loads.columns]
    loads.index = re.index
    parts = [re, loads]
    bounded = list(re.columns)
    grid = grid_series(scenario)
    if grid is not None:
        grid.index = re.index
        parts.append(grid)
        bounded += [c for c in grid.columns if c.startswith("send|")]
    if scenario.tou_tariffs:
        prices = scenario.tou_profiles[list(scenario.sites.index)].copy()
        prices.columns = [f"price|{s}" for s in prices.columns]
        prices.index = re.index
        parts.append(prices)
    series = pd.concat(parts, axis=1)
    return slice_series(
        series,
        resolution=scenario.resolution,
        days=scenario.representative_days,
        bounded=bounded,
    )

def safe_name(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)

def define_variables(model: Model) -> None:
    scn, arc = model.scenario, model.arcs
    sites = scn.sites
    T = len(model.slices)
    S = len(sites)
    v = model.var
    v["a"] = variables(model.problem, "a", len(arc))
    v["load"] = variables(model.problem, "load", len(model.load_index))
    v["cap"] = variables(model.problem, "cap", S, up=sites["it_capacity_max_mw"].to_numpy())
    v["re"] = {
        k: variables(model.problem, f"re_{k}", S, up=sites[f"{k}_max_mw"].to_numpy()) for k in TECHS
    }
    v["grid_energy"] = variables(model.problem, "grid_energy", S)
    add_battery_variables(model)
    add_grid_variables(model)
    if uses_certificates(scn):
        v["certificate"] = variables(model.problem, "certificate", S)
    if model.master and cost_mode(scn):
        v["grid_cost"] = variables(model.problem, "grid_cost", S)
    if not model.master:
        grid_up = None
        # the policy-elastic diagnosis turns the limits into rows with slack (_add_grid_limits)
        if scn.grid_limits and "grid_mw_max" in sites.columns and model.elastic != "policy":
            grid_up = [None if np.isnan(x) else x for x in sites["grid_mw_max"].to_numpy()]
        v["grid"] = [
            variables(model.problem, f"grid_{i}", T, up=None if grid_up is None else [grid_up[i]] * T)
            for i in range(S)
        ]
        flexible = scn.workloads.index[scn.workloads["flexible"]]
        li = model.load_index
        has_flex = sites.index.isin(li.loc[li["workload"].isin(flexible), "site"])
        v["flex"] = [variables(model.problem, f"flex_{i}", T) if has_flex[i] else None for i in range(S)]
    if scn.integer:
        v["open"] = variables(model.problem, "open", S, low=0, up=1, cat=pulp.LpBinary)
    if model.elastic == "demand":
        dem = scn.demand[scn.demand["it_mw"] > 0]
        v["unserved"] = variables(model.problem, "unserved", len(dem))

def validate_model_inputs(scenario: Scenario) -> None:
    """Raise :class:`InputError` for inputs the LP cannot represent."""
    if scenario.integer and scenario.site_min_it_mw > scenario.sites["it_capacity_max_mw"].max():
        raise InputError(
            f"site_min_it_mw={scenario.site_min_it_mw:g} MW exceeds every site's it_capacity_max_mw"
        )
