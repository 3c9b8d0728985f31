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
what lets :mod:`siting.decomposition` replace the hourly rows by cuts.

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

Every constraint family is one function (``_add_*``); each builds its rows
from flat lists of ``(variable, coefficient)`` pairs with
:class:`pulp.LpAffineExpression`, never Python's ``sum`` over PuLP terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from siting.errors import InputError
from siting.scenario import Scenario
from siting.timeseries import HOURS_PER_YEAR, Slices, slice_series

__all__ = ["Model", "build", "arcs"]

TECHS = ("solar", "wind")
#: Penalties of the diagnostic (elastic) models: on unserved demand
#: [CNY per MW-yr] and on violated policy rows [CNY per unit of the row:
#: MWh, MW, m3, tCO2]. Both are far above any marginal cost in the model
#: (about 1e7 CNY per MW-yr, 1e4 CNY per MWh) yet small enough for the
#: solver to stay well conditioned.
UNSERVED_PENALTY = 1e10
POLICY_PENALTY = 1e7


@dataclass
class Model:
    """A built PuLP problem and the index of its variables and rows.

    Attributes
    ----------
    problem : pulp.LpProblem
    scenario : Scenario
    slices : Slices
        Time slices the model uses.
    arcs : pandas.DataFrame
        One row per assignment variable: ``origin``, ``site``, ``workload``,
        ``it_mw``, ``rtt_ms``, ``distance_km``.
    load_index : pandas.DataFrame
        ``site``, ``workload`` of each ``load`` variable.
    var : dict
        Variable lists by family: ``a``, ``load``, ``cap``, ``re`` (by
        technology), ``grid_energy`` (per site, MWh/yr), ``grid`` and
        ``flex`` (per site, per slice; not in a Benders master), ``open``
        (MILP), ``unserved`` and ``slack`` (diagnostic models).
    rows : dict
        Constraint lists by family, aligned with ``keys``.
    keys : dict
        Labels of the rows of each family.
    elastic : {None, "demand", "policy"}
        Diagnostic mode, see :func:`build`.
    master : bool
        Whether this is a Benders master (:mod:`siting.decomposition`).
    """

    problem: pulp.LpProblem
    scenario: Scenario
    slices: Slices
    arcs: pd.DataFrame
    load_index: pd.DataFrame
    var: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    elastic: str | None = None
    master: bool = False

    @property
    def size(self) -> dict[str, int]:
        """Number of variables, constraints and non-zeros."""
        nnz = sum(len(c) for c in self.problem.constraints.values())
        return {
            "variables": len(self.problem.variables()),
            "constraints": len(self.problem.constraints),
            "nonzeros": nnz,
        }


def arcs(scenario: Scenario) -> pd.DataFrame:
    """Allowed (origin, site, workload) assignments.

    An arc exists where the origin has demand of the class, the RTT is within
    the class limit, and the site is not a local edge site of another
    province.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``site``, ``workload``, ``it_mw`` (the origin's
        class demand [MW]), ``rtt_ms`` [ms], ``distance_km`` [km].
    """
    dem = scenario.demand[scenario.demand["it_mw"] > 0]
    sites = scenario.sites
    rtt = scenario.rtt_ms.loc[:, sites.index].stack().rename("rtt_ms")
    dist = scenario.distance_km.loc[:, sites.index].stack().rename("distance_km")
    pairs = pd.concat([rtt, dist], axis=1).reset_index()
    pairs.columns = ["origin", "site", "rtt_ms", "distance_km"]
    pairs = pairs[pairs["origin"].isin(dem["origin"])]
    local = sites["local_only"].reindex(pairs["site"]).to_numpy()
    home = sites["province"].reindex(pairs["site"]).to_numpy() == pairs["origin"].to_numpy()
    pairs = pairs[~local | home]
    out = dem.merge(pairs, on="origin")
    limit = scenario.workloads["rtt_max_ms"].reindex(out["workload"]).to_numpy()
    ok = np.isnan(limit) | (out["rtt_ms"].to_numpy() <= limit + 1e-9)
    return out[ok].reset_index(drop=True)[["origin", "site", "workload", "it_mw", "rtt_ms", "distance_km"]]


def check_reachable(scenario: Scenario, arc: pd.DataFrame | None = None) -> None:
    """Refuse a scenario whose demand cannot be served, before building.

    Raises
    ------
    siting.errors.InfeasibleError
        If some origin and class has no site within reach, or more demand
        than the capacity of every site within its reach.
    """
    from siting.errors import InfeasibleError

    arc = arcs(scenario) if arc is None else arc
    dem = scenario.demand[scenario.demand["it_mw"] > 0]
    served = arc[["origin", "workload"]].drop_duplicates()
    merged = dem.merge(served, on=["origin", "workload"], how="left", indicator=True)
    orphans = merged[merged["_merge"] == "left_only"]
    problems = []
    for row in orphans.itertuples():
        limit = scenario.workloads.at[row.workload, "rtt_max_ms"]
        eligible = scenario.sites
        if eligible["local_only"].any():
            eligible = eligible[~eligible["local_only"] | (eligible["province"] == row.origin)]
        if eligible.empty:
            problems.append(f"{row.origin}/{row.workload} ({row.it_mw:,.1f} MW): no site may serve this origin")
            continue
        rtts = scenario.rtt_ms.loc[row.origin, eligible.index]
        problems.append(
            f"{row.origin}/{row.workload} ({row.it_mw:,.1f} MW): no site within its RTT limit of "
            f"{limit:g} ms; the nearest eligible site is {rtts.idxmin()} at {rtts.min():.1f} ms"
        )
    cap = scenario.sites["it_capacity_max_mw"]
    reach = arc.assign(cap=cap.reindex(arc["site"]).to_numpy()).groupby(["origin", "workload"])["cap"].sum()
    short = dem.set_index(["origin", "workload"])["it_mw"] - reach.reindex(
        dem.set_index(["origin", "workload"]).index
    )
    for (origin, workload), gap in short[short > 1e-6].items():
        problems.append(
            f"{origin}/{workload}: demand exceeds the capacity of every site within reach by {gap:,.1f} MW"
        )
    total_gap = scenario.total_demand_mw - float(cap.sum())
    if total_gap > 1e-6:
        problems.append(f"total demand exceeds total buildable capacity by {total_gap:,.1f} MW")
    if problems:
        raise InfeasibleError(
            f"scenario {scenario.name!r} cannot be served:\n  - " + "\n  - ".join(problems[:20])
            + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        )


def _slices(scenario: Scenario) -> Slices:
    re = scenario.re_profiles.loc[:, scenario.re_profiles.columns.get_level_values(0).isin(scenario.sites.index)]
    re = re.copy()
    re.columns = [f"{s}|{k}" for s, k in re.columns]
    inflexible = scenario.workloads.index[~scenario.workloads["flexible"]]
    loads = scenario.load_profiles[list(inflexible)].copy()
    loads.columns = [f"load|{w}" for w in loads.columns]
    loads.index = re.index
    series = pd.concat([re, loads], axis=1)
    return slice_series(
        series,
        resolution=scenario.resolution,
        days=scenario.representative_days,
        bounded=list(re.columns),
    )


def _variables(
    problem: pulp.LpProblem, prefix: str, n: int, low: float | None = 0.0, up=None, cat: str = pulp.LpContinuous
) -> list:
    ups = up if isinstance(up, (list, np.ndarray)) else [up] * n
    add = problem.add_variable
    return [add(f"{prefix}_{i}", lowBound=low, upBound=None if u is None else float(u), cat=cat)
            for i, u in enumerate(ups)]


def _row(pairs, sense: int, name: str, rhs: float = 0.0) -> pulp.LpConstraint:
    return pulp.LpConstraint(pulp.LpAffineExpression(pairs), sense, name, rhs)


def _add(model: Model, family: str, rows: list, keys: list) -> None:
    for c in rows:
        model.problem.addConstraint(c)
    model.rows[family] = rows
    model.keys[family] = keys


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
    slices = _slices(scenario)
    load_index = arc.groupby(["site", "workload"], sort=True).size().reset_index()[["site", "workload"]]
    model = Model(
        problem=pulp.LpProblem(f"siting_{_safe(scenario.name)}", pulp.LpMinimize),
        scenario=scenario,
        slices=slices,
        arcs=arc,
        load_index=load_index,
        elastic=elastic,
        master=master,
    )
    _define_variables(model)
    _add_demand(model)
    _add_load(model)
    if master:
        _add_master_feasibility(model)
    else:
        _add_flexible_energy(model)
        _add_capacity_and_grid(model)
    _add_green_share(model)
    _add_site_green_share(model)
    _add_west_share(model)
    _add_water(model)
    _add_emissions_cap(model)
    _add_grid_limits(model)
    _add_site_opening(model)
    _set_objective(model)
    return model


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)


def _define_variables(model: Model) -> None:
    scn, arc = model.scenario, model.arcs
    sites = scn.sites
    T = len(model.slices)
    S = len(sites)
    v = model.var
    v["a"] = _variables(model.problem, "a", len(arc))
    v["load"] = _variables(model.problem, "load", len(model.load_index))
    v["cap"] = _variables(model.problem, "cap", S, up=sites["it_capacity_max_mw"].to_numpy())
    v["re"] = {
        k: _variables(model.problem, f"re_{k}", S, up=sites[f"{k}_max_mw"].to_numpy()) for k in TECHS
    }
    v["grid_energy"] = _variables(model.problem, "grid_energy", S)
    if not model.master:
        grid_up = None
        # the policy-elastic diagnosis turns the limits into rows with slack (_add_grid_limits)
        if scn.grid_limits and "grid_mw_max" in sites.columns and model.elastic != "policy":
            grid_up = [None if np.isnan(x) else x for x in sites["grid_mw_max"].to_numpy()]
        v["grid"] = [
            _variables(model.problem, f"grid_{i}", T, up=None if grid_up is None else [grid_up[i]] * T)
            for i in range(S)
        ]
        flexible = scn.workloads.index[scn.workloads["flexible"]]
        li = model.load_index
        has_flex = sites.index.isin(li.loc[li["workload"].isin(flexible), "site"])
        v["flex"] = [_variables(model.problem, f"flex_{i}", T) if has_flex[i] else None for i in range(S)]
    if scn.integer:
        v["open"] = _variables(model.problem, "open", S, low=0, up=1, cat=pulp.LpBinary)
    if model.elastic == "demand":
        dem = scn.demand[scn.demand["it_mw"] > 0]
        v["unserved"] = _variables(model.problem, "unserved", len(dem))


def _add_demand(model: Model) -> None:
    scn, arc, a = model.scenario, model.arcs, model.var["a"]
    dem = scn.demand[scn.demand["it_mw"] > 0].reset_index(drop=True)
    groups = arc.groupby(["origin", "workload"], sort=False).indices
    rows, keys = [], []
    for j, d in enumerate(dem.itertuples(index=False)):
        idx = groups.get((d.origin, d.workload), ())
        pairs = [(a[i], 1.0) for i in idx]
        if model.elastic == "demand":
            pairs.append((model.var["unserved"][j], 1.0))
        rows.append(_row(pairs, pulp.LpConstraintEQ, f"demand_{j}", float(d.it_mw)))
        keys.append((d.origin, d.workload))
    _add(model, "demand", rows, keys)


def _add_load(model: Model) -> None:
    arc, a, load = model.arcs, model.var["a"], model.var["load"]
    groups = arc.groupby(["site", "workload"], sort=True).indices
    rows, keys = [], []
    for j, (s, w) in enumerate(model.load_index.itertuples(index=False)):
        pairs = [(load[j], 1.0)] + [(a[i], -1.0) for i in groups[(s, w)]]
        rows.append(_row(pairs, pulp.LpConstraintEQ, f"load_{j}"))
        keys.append((s, w))
    _add(model, "load", rows, keys)


def _site_loads(model: Model) -> list[list[tuple[int, str]]]:
    """For each site, the (load variable index, workload) pairs."""
    pos = {s: i for i, s in enumerate(model.scenario.sites.index)}
    out: list[list[tuple[int, str]]] = [[] for _ in pos]
    for j, (s, w) in enumerate(model.load_index.itertuples(index=False)):
        out[pos[s]].append((j, w))
    return out


def _add_flexible_energy(model: Model) -> None:
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    h = model.slices.weight_h
    rows, keys = [], []
    for i, (site, per_site) in enumerate(zip(scn.sites.index, _site_loads(model))):
        flex = model.var["flex"][i]
        if flex is None:
            continue
        pairs = list(zip(flex, h.tolist()))
        pairs += [(model.var["load"][j], -float(HOURS_PER_YEAR)) for j, w in per_site if w in flexible]
        rows.append(_row(pairs, pulp.LpConstraintEQ, f"flexenergy_{i}"))
        keys.append(site)
    _add(model, "flexible_energy", rows, keys)


def inflexible_profiles(model: Model) -> tuple[list[str], np.ndarray]:
    """Inflexible workload classes and their slice profiles (classes x slices)."""
    scn = model.scenario
    classes = [w for w in scn.workloads.index if not scn.workloads.at[w, "flexible"]]
    values = model.slices.values
    profile = np.array([values[f"load|{w}"].to_numpy() for w in classes]).reshape(len(classes), len(model.slices))
    return classes, profile


def peak_slices(profile: np.ndarray) -> np.ndarray:
    """Slices whose load vector is not dominated by another slice's.

    ``cap >= sum_w p[w, t] load[w]`` for all ``t`` holds iff it holds for
    these slices (for one class: the peak slice alone).
    """
    if profile.shape[0] == 0:
        return np.array([], dtype=int)
    uniq, first = np.unique(profile.T, axis=0, return_index=True)
    keep = []
    for i, row in enumerate(uniq):
        dominated = np.all(uniq >= row, axis=1) & np.any(uniq > row, axis=1)
        if not dominated.any():
            keep.append(first[i])
    return np.sort(np.array(keep, dtype=int))


def _add_master_feasibility(model: Model) -> None:
    """Rows that keep every site's hourly subproblem feasible (Benders master).

    Capacity covers the inflexible load in its non-dominated peak slices,
    and the capacity left over the year holds the flexible energy:
    ``cap >= sum_w load_w + load_flex`` (profiles have mean 1).
    """
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    classes, profile = inflexible_profiles(model)
    peaks = peak_slices(profile)
    pos = {w: j for j, w in enumerate(classes)}
    rows, keys = [], []
    for i, (site, per_site) in enumerate(zip(scn.sites.index, _site_loads(model))):
        cap = model.var["cap"][i]
        inflex = [(model.var["load"][j], pos[w]) for j, w in per_site if w not in flexible]
        for t in peaks:
            pairs = [(cap, 1.0)] + [(var, -float(profile[k, t])) for var, k in inflex]
            rows.append(_row(pairs, pulp.LpConstraintGE, f"peak_{i}_{t}"))
            keys.append((site, int(t)))
        pairs = [(cap, 1.0)] + [(model.var["load"][j], -1.0) for j, _ in per_site]
        rows.append(_row(pairs, pulp.LpConstraintGE, f"yearcap_{i}"))
        keys.append((site, "year"))
    _add(model, "master_feasibility", rows, keys)


def _add_capacity_and_grid(model: Model) -> None:
    """Capacity rows and grid rows for every site and slice.

    Contracted renewables cost nothing at the margin, so the optimum uses
    them first: grid power is the facility load not covered by renewable
    availability, ``g >= PUE * it - sum_k cf * x`` (and ``g >= 0``), and the
    renewable energy used is ``PUE * it - g``. This removes one variable
    and one row per site and slice from the reference formulation.
    """
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    values = model.slices.values
    pue = scn.site_pue.to_numpy()
    T = len(model.slices)
    cap_rows, grid_rows, keys = [], [], []
    load = model.var["load"]
    for i, (site, per_site) in enumerate(zip(scn.sites.index, _site_loads(model))):
        inflex = [(load[j], values[f"load|{w}"].to_numpy()) for j, w in per_site if w not in flexible]
        flex = model.var["flex"][i]
        cap = model.var["cap"][i]
        grid = model.var["grid"][i]
        cfs = [(model.var["re"][k][i], values[f"{site}|{k}"].to_numpy()) for k in TECHS]
        for t in range(T):
            it_pairs = [(var, float(p[t])) for var, p in inflex]
            if flex is not None:
                it_pairs.append((flex[t], 1.0))
            cap_rows.append(_row(it_pairs + [(cap, -1.0)], pulp.LpConstraintLE, f"cap_{i}_{t}"))
            row = [(grid[t], 1.0)] + [(var, -pue[i] * c) for var, c in it_pairs]
            row += [(x, float(cf[t])) for x, cf in cfs if cf[t] > 0]
            grid_rows.append(_row(row, pulp.LpConstraintGE, f"grid_{i}_{t}"))
            keys.append((site, t))
    _add(model, "capacity", cap_rows, keys)
    _add(model, "grid", grid_rows, list(keys))
    h = model.slices.weight_h.tolist()
    energy_rows = [
        _row([(e, 1.0)] + list(zip(model.var["grid"][i], [-x for x in h])), pulp.LpConstraintEQ, f"grid_energy_{i}")
        for i, e in enumerate(model.var["grid_energy"])
    ]
    _add(model, "grid_energy", energy_rows, list(scn.sites.index))


def _energy_terms(model: Model, sites_mask: np.ndarray, share: float) -> list:
    """Pairs of ``green energy - share * facility energy`` over ``sites_mask`` [MWh/yr].

    Facility energy is ``E = PUE * 8760 * load``; contracted renewables
    supply ``E - G`` with ``G = sum_t h g`` the annual grid energy; the
    grid's renewable share ``rs`` counts too: ``green = E - (1 - rs) G``.
    """
    scn = model.scenario
    rs = scn.sites["grid_renewable_share"].to_numpy()
    pue = scn.site_pue.to_numpy()
    pairs = []
    for i, per_site in enumerate(_site_loads(model)):
        if not sites_mask[i]:
            continue
        pairs.append((model.var["grid_energy"][i], -float(1.0 - rs[i])))
        coef = float((1.0 - share) * pue[i] * HOURS_PER_YEAR)
        pairs += [(model.var["load"][j], coef) for j, _ in per_site]
    return pairs


def _elastic_slack(model: Model, name: str) -> list:
    if model.elastic != "policy":
        return []
    var = model.problem.add_variable(f"slack_{name}", lowBound=0)
    model.var.setdefault("slack", {})[name] = var
    return [(var, 1.0)]


def _add_green_share(model: Model) -> None:
    scn = model.scenario
    if scn.green_share_min is None:
        return
    pairs = _energy_terms(model, np.ones(len(scn.sites), dtype=bool), scn.green_share_min)
    pairs += _elastic_slack(model, "green_share_min")
    _add(model, "green_share_min", [_row(pairs, pulp.LpConstraintGE, "green_share_min")], ["national"])


def _add_site_green_share(model: Model) -> None:
    scn = model.scenario
    if scn.site_green_share_min is None:
        return
    hub = scn.sites["hub"].notna().to_numpy() if "hub" in scn.sites.columns else np.ones(len(scn.sites), bool)
    rows, keys = [], []
    for i, site in enumerate(scn.sites.index):
        if not hub[i]:
            continue
        mask = np.zeros(len(scn.sites), dtype=bool)
        mask[i] = True
        pairs = _energy_terms(model, mask, scn.site_green_share_min)
        pairs += _elastic_slack(model, f"site_green_share_min_{i}")
        rows.append(_row(pairs, pulp.LpConstraintGE, f"sitegreen_{i}"))
        keys.append(site)
    _add(model, "site_green_share_min", rows, keys)


def _add_west_share(model: Model) -> None:
    scn = model.scenario
    if scn.west_share_min is None:
        return
    x = scn.west_share_min
    west = (scn.sites["role"] == "west").to_numpy()
    pairs = [(c, (1.0 - x) if west[i] else -x) for i, c in enumerate(model.var["cap"])]
    pairs += _elastic_slack(model, "west_share_min")
    _add(model, "west_share_min", [_row(pairs, pulp.LpConstraintGE, "west_share_min")], ["national"])


def _water_pairs(model: Model, i: int, per_site) -> list:
    wue = float(model.scenario.sites["wue_l_per_kwh"].iat[i])
    # WUE [L/kWh IT] * 8760 h * load [MW] * 1000 kWh/MWh / 1000 L/m3 = m3/yr
    return [(model.var["load"][j], wue * HOURS_PER_YEAR) for j, _ in per_site]


def _add_water(model: Model) -> None:
    scn = model.scenario
    per_site = _site_loads(model)
    if scn.water_limits and "water_m3_max" in scn.sites.columns:
        rows, keys = [], []
        for i, (site, limit) in enumerate(scn.sites["water_m3_max"].items()):
            if np.isnan(limit):
                continue
            pairs = _water_pairs(model, i, per_site[i])
            pairs += [(v, -1.0) for v, _ in _elastic_slack(model, f"water_{i}")]
            rows.append(_row(pairs, pulp.LpConstraintLE, f"water_{i}", float(limit)))
            keys.append(site)
        _add(model, "water_m3_max_site", rows, keys)
    if scn.water_m3_max is not None:
        pairs = [p for i in range(len(per_site)) for p in _water_pairs(model, i, per_site[i])]
        pairs += [(v, -1.0) for v, _ in _elastic_slack(model, "water_m3_max")]
        _add(model, "water_m3_max", [_row(pairs, pulp.LpConstraintLE, "water_m3_max", float(scn.water_m3_max))],
             ["national"])


def emission_terms(model: Model) -> list:
    r"""Pairs of national emissions from grid power [tCO2/yr].

    :math:`\sum_s EF_s G_s`, with :math:`EF_s` the site's
    ``grid_ef_t_co2_per_mwh`` [tCO2/MWh] and :math:`G_s` its annual grid
    energy [MWh/yr].
    """
    ef = model.scenario.sites["grid_ef_t_co2_per_mwh"].to_numpy()
    return [(g, float(ef[i])) for i, g in enumerate(model.var["grid_energy"]) if ef[i] > 0]


def _add_emissions_cap(model: Model) -> None:
    scn = model.scenario
    if scn.emissions_t_max is None:
        return
    pairs = emission_terms(model)
    pairs += [(v, -1.0) for v, _ in _elastic_slack(model, "emissions_t_max")]
    _add(model, "emissions_t_max", [_row(pairs, pulp.LpConstraintLE, "emissions_t_max", float(scn.emissions_t_max))],
         ["national"])


def _add_grid_limits(model: Model) -> None:
    """Grid import limits as rows with a slack, in the policy-elastic diagnosis only.

    Otherwise the limits are upper bounds of the grid variables.
    """
    scn = model.scenario
    if model.elastic != "policy" or not scn.grid_limits or "grid_mw_max" not in scn.sites.columns:
        return
    rows, keys = [], []
    for i, (site, limit) in enumerate(scn.sites["grid_mw_max"].items()):
        if np.isnan(limit):
            continue
        slack = _elastic_slack(model, f"grid_limit_{i}")
        for t, g in enumerate(model.var["grid"][i]):
            rows.append(_row([(g, 1.0)] + [(v, -1.0) for v, _ in slack], pulp.LpConstraintLE, f"gridlimit_{i}_{t}", float(limit)))
            keys.append((site, t))
    _add(model, "grid_limits", rows, keys)


def _add_site_opening(model: Model) -> None:
    scn = model.scenario
    if not scn.integer:
        return
    cap_max = scn.sites["it_capacity_max_mw"].to_numpy()
    rows_max, rows_min, keys = [], [], []
    for i, site in enumerate(scn.sites.index):
        cap, is_open = model.var["cap"][i], model.var["open"][i]
        rows_max.append(_row([(cap, 1.0), (is_open, -float(cap_max[i]))], pulp.LpConstraintLE, f"open_max_{i}"))
        rows_min.append(_row([(cap, 1.0), (is_open, -float(scn.site_min_it_mw))], pulp.LpConstraintGE, f"open_min_{i}"))
        keys.append(site)
    _add(model, "open_max", rows_max, keys)
    _add(model, "open_min", rows_min, list(keys))


def cost_coefficients(scenario: Scenario) -> dict[str, np.ndarray]:
    """Per-site unit costs used by the objective.

    Returns
    -------
    dict
        ``dc`` [CNY/MW-yr], ``solar`` and ``wind`` [CNY/MW-yr],
        ``energy`` [CNY/MWh], ``carbon`` [CNY/MWh] per site.
    """
    annual = scenario.annualised_cost()
    sites = scenario.sites
    n = len(sites)
    return {
        "dc": np.full(n, annual["dc"]),
        "solar": np.full(n, annual["solar"]),
        "wind": np.full(n, annual["wind"]),
        "energy": sites["electricity_price_cny_per_kwh"].to_numpy() * 1000.0,
        "carbon": sites["grid_ef_t_co2_per_mwh"].to_numpy() * scenario.carbon_price_cny_per_t,
    }


def _set_objective(model: Model) -> None:
    scn, arc = model.scenario, model.arcs
    c = cost_coefficients(scn)
    pairs = [(v, float(c["dc"][i])) for i, v in enumerate(model.var["cap"])]
    for k in TECHS:
        pairs += [(v, float(c[k][i])) for i, v in enumerate(model.var["re"][k])]
    pairs += [(g, float(c["energy"][i] + c["carbon"][i])) for i, g in enumerate(model.var["grid_energy"])]
    arc_cost = (
        arc["distance_km"].to_numpy() * scn.network_cost_cny_per_mw_km_year
        + arc["rtt_ms"].to_numpy() * scn.latency_penalty_cny_per_mw_ms_year
    )
    pairs += [(v, float(x)) for v, x in zip(model.var["a"], arc_cost) if x != 0]
    if scn.integer:
        pairs += [(v, float(scn.site_fixed_cost_cny_per_year)) for v in model.var["open"]]
    if model.elastic == "demand":
        pairs += [(v, UNSERVED_PENALTY) for v in model.var["unserved"]]
    if model.elastic == "policy":
        pairs += [(v, POLICY_PENALTY) for v in model.var.get("slack", {}).values()]
    model.problem.setObjective(pulp.LpAffineExpression(pairs))


def validate_model_inputs(scenario: Scenario) -> None:
    """Raise :class:`InputError` for inputs the LP cannot represent."""
    if scenario.integer and scenario.site_min_it_mw > scenario.sites["it_capacity_max_mw"].max():
        raise InputError(
            f"site_min_it_mw={scenario.site_min_it_mw:g} MW exceeds every site's it_capacity_max_mw"
        )
