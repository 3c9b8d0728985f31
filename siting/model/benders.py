r"""Benders decomposition of the siting LP for fine time resolutions.

Given each site's loads, capacity and contracted renewables, the hourly
dispatch separates by site, and each site's subproblem has a closed-form
solution. The full 8760-hour year is therefore solved as a small master LP
(assignment, capacities, renewables, policies and each site's annual grid
energy :math:`G_s`) plus analytic subproblems that return :math:`G_s` and a
cut, iterated to a tolerance.

Subproblem of site :math:`s` (dropping the index; :math:`r_t = PUE\,b_t - a_t`
the residual facility load after renewables, :math:`b_t` the inflexible IT
load, :math:`a_t` the renewable availability, :math:`u_t = cap - b_t` the
headroom, :math:`E = 8760\,\ell_{flex}` the flexible energy):

.. math::

    G = \min \sum_t h_t\, g_t \quad\text{s.t.}\quad
    g_t \ge r_t + PUE\, f_t,\; 0 \le f_t \le u_t,\; \sum_t h_t f_t = E,\; g_t \ge 0.

Grid power has one price at a site, so the only gain from moving flexible
load is to use renewable surplus :math:`\max(-r_t, 0)/PUE`. Fill the surplus
(up to the headroom) first; anything left costs :math:`PUE` per MWh wherever
it goes. The LP duals of that solution (:math:`\lambda_t \in \{0, 1\}` on
the grid rows, :math:`\sigma_t` on the headroom, :math:`\mu` on the energy
row) give the optimality cut

.. math::

    G_s \ge \sum_w c_w \ell_{sw} + c_{flex}\,\ell_{s,flex} + c_{cap}\, cap_s + \sum_k c_k x_{sk}

which is exact at the current point and valid everywhere (weak duality).
Master feasibility rows (:func:`siting.model.capacity.add_master_feasibility`) keep
every subproblem feasible, so no feasibility cuts are needed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pulp

from siting.model.core import TECHS, Model
from siting.model.demand import inflexible_profiles
from siting.model.objective import cost_coefficients
from siting.model.status import Status, status_of
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["SiteArrays", "site_arrays", "evaluate", "benders"]


@dataclass(frozen=True)
class SiteArrays:
    """Per-site data of the hourly subproblems, as arrays.

    Attributes
    ----------
    h : numpy.ndarray
        Slice weights, shape (T,) [h].
    profile : numpy.ndarray
        Inflexible class profiles, shape (W, T) [-].
    cf : numpy.ndarray
        Renewable capacity factors, shape (S, K, T) [-].
    pue : numpy.ndarray
        Site PUE, shape (S,) [-].
    load_vars : numpy.ndarray
        Index into ``model.var["load"]`` per site and inflexible class,
        shape (S, W), -1 where the site has no such load.
    flex_vars : list of list of int
        Indices into ``model.var["load"]`` of each site's flexible loads.
    """

    h: np.ndarray
    profile: np.ndarray
    cf: np.ndarray
    pue: np.ndarray
    load_vars: np.ndarray
    flex_vars: list


def site_arrays(model: Model) -> SiteArrays:
    """Gather the subproblem data of a built model."""
    scn = model.scenario
    classes, profile = inflexible_profiles(model)
    values = model.slices.values
    S = len(scn.sites)
    cf = np.stack([np.stack([values[f"{s}|{k}"].to_numpy() for k in TECHS]) for s in scn.sites.index])
    pos_site = {s: i for i, s in enumerate(scn.sites.index)}
    pos_class = {w: j for j, w in enumerate(classes)}
    load_vars = -np.ones((S, len(classes)), dtype=int)
    flex_vars: list[list[int]] = [[] for _ in range(S)]
    for j, (site, w) in enumerate(model.load_index.itertuples(index=False)):
        if w in pos_class:
            load_vars[pos_site[site], pos_class[w]] = j
        else:
            flex_vars[pos_site[site]].append(j)
    return SiteArrays(model.slices.weight_h, profile, cf, scn.site_pue.to_numpy(), load_vars, flex_vars)


def evaluate(arr: SiteArrays, load: np.ndarray, flex: np.ndarray, cap: np.ndarray, re: np.ndarray) -> dict:
    """Solve every site's hourly subproblem in closed form.

    Parameters
    ----------
    arr : SiteArrays
    load : numpy.ndarray
        Inflexible IT load per site and class, shape (S, W) [MW].
    flex : numpy.ndarray
        Flexible IT load per site (annual average), shape (S,) [MW].
    cap : numpy.ndarray
        IT capacity, shape (S,) [MW].
    re : numpy.ndarray
        Contracted renewable capacity, shape (S, K) [MW].

    Returns
    -------
    dict
        ``G`` annual grid energy (S,) [MWh/yr]; ``grid`` and ``flex`` per
        slice (S, T) [MW]; cut coefficients ``c_load`` (S, W),
        ``c_flex`` (S,), ``c_cap`` (S,), ``c_re`` (S, K) [MWh/yr per MW].
    """
    h, pue = arr.h, arr.pue[:, None]
    base = load @ arr.profile
    avail = np.einsum("sk,skt->st", re, arr.cf)
    r = pue * base - avail
    u = np.maximum(cap[:, None] - base, 0.0)
    free = np.minimum(np.maximum(-r, 0.0) / pue, u)
    F = free @ h
    E = HOURS_PER_YEAR * flex
    on_grid = E > F * (1 + 1e-12) + 1e-9
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(F > 0, np.minimum(E / F, 1.0), 0.0)
        room = (u - free) @ h
        extra = np.where(on_grid & (room > 0), (E - F) / room, 0.0)
    f = np.where(on_grid[:, None], free + (u - free) * extra[:, None], free * share[:, None])
    residual = r + pue * f
    grid = np.maximum(residual, 0.0)
    G = grid @ h
    # duals of that solution: lambda on the grid rows, sigma on headroom, mu on energy
    scale = np.maximum(np.abs(r).max(axis=1, keepdims=True), 1.0)
    lam = np.where(on_grid[:, None], residual >= -1e-9 * scale, residual > 1e-9 * scale).astype(float)
    sigma = np.where(on_grid[:, None], pue * (1.0 - lam), 0.0)
    mu = np.where(on_grid, arr.pue, 0.0)
    hw = h[None, :]
    c_load = (hw * (pue * lam + sigma)) @ arr.profile.T
    c_re = -np.einsum("st,skt->sk", hw * lam, arr.cf)
    c_cap = -(hw * sigma).sum(axis=1)
    c_flex = HOURS_PER_YEAR * mu
    return {"G": G, "grid": grid, "flex": f, "c_load": c_load, "c_flex": c_flex, "c_cap": c_cap, "c_re": c_re}


@dataclass
class BendersInfo:
    """Convergence record of :func:`benders`.

    ``lower_bound`` is the master objective; ``upper_bound`` the cost of
    the returned master point with its exact hourly dispatch [CNY/yr].
    """

    iterations: int
    lower_bound: float
    upper_bound: float
    seconds: float

    @property
    def gap(self) -> float:
        """Relative gap between the bounds [-]."""
        return (self.upper_bound - self.lower_bound) / max(abs(self.upper_bound), 1.0)


def benders(
    model: Model,
    solver: pulp.HiGHS,
    tol: float = 1e-6,
    max_iterations: int = 500,
    time_limit: float | None = None,
) -> tuple[str, dict, BendersInfo]:
    """Solve a master :class:`~siting.model.core.Model` with cuts from :func:`evaluate`.

    The master is handed to HiGHS once; each iteration adds the violated
    cuts as rows and re-solves from the previous basis.

    Parameters
    ----------
    model : Model
        Built with ``build(scenario, master=True)``.
    solver : pulp.HiGHS
        Configured PuLP HiGHS solver (options, threads, time limit).
    tol : float
        Relative gap between lower and upper bound at which to stop [-].
    max_iterations : int
        Iteration limit.
    time_limit : float, optional
        Wall-clock limit for the whole loop [s].

    Returns
    -------
    status : str
        ``"optimal"`` when converged, ``"iteration_limit"`` (iteration or
        time limit reached), or the status of a master solve that failed.

    Notes
    -----
    When a policy row reads the annual grid energy (green share, emissions
    cap), converging on cost alone could leave the true grid energy a hair
    above the master's and the policy a hair short; the loop then also
    requires every site's cut to hold to 1e-9 relative.
    dispatch : dict
        The :func:`evaluate` output at the final master solution; the
        model's variables hold the master solution and its duals.
    info : BendersInfo
    """
    t0 = time.perf_counter()
    arr = site_arrays(model)
    problem = model.problem
    cost = _grid_cost(model)
    solver.createAndConfigureSolver(problem)
    solver.buildSolverModel(problem)
    highs = problem.solverModel
    index = _var_index(model, arr)
    _add_cuts(highs, index, _energy_balance_cut(arr), np.ones(len(arr.pue), dtype=bool))
    scn = model.scenario
    grid_policy = any(x is not None for x in (scn.green_share_min, scn.site_green_share_min, scn.emissions_t_max))
    lower, current, sub = -np.inf, np.inf, {}
    for it in range(1, max_iterations + 1):
        highs.run()
        status = status_of(problem, "highs")
        if status != Status.OPTIMAL:
            return str(status), {}, BendersInfo(it, lower, current, time.perf_counter() - t0)
        x = np.asarray(highs.getSolution().col_value)
        sub = evaluate(arr, *_master_values(x, index))
        G_master = x[index.grid_energy]
        objective = highs.getInfo().objective_function_value
        lower = max(lower, objective)
        # cost of *this* master point with its exact dispatch: the solution
        # returned must itself be within tol of the lower bound (an earlier
        # iterate's upper bound says nothing about the current point)
        current = objective + float(cost @ (sub["G"] - G_master))
        excess = (sub["G"] - G_master) / np.maximum(sub["G"], 1.0)
        violated = excess > 1e-7
        converged = (current - lower) <= tol * max(abs(current), 1.0) or not violated.any()
        if grid_policy:
            violated = excess > 1e-9
            converged = converged and not violated.any()
        if converged:
            solver.findSolutionValues(problem)
            return str(Status.OPTIMAL), sub, BendersInfo(it, lower, current, time.perf_counter() - t0)
        if time_limit is not None and time.perf_counter() - t0 > time_limit:
            break
        _add_cuts(highs, index, sub, violated)
    solver.findSolutionValues(problem)
    return "iteration_limit", sub, BendersInfo(it, lower, current, time.perf_counter() - t0)


@dataclass(frozen=True)
class _Index:
    """Column indices of the master variables in the HiGHS model."""

    load: np.ndarray  # (S, W), -1 where absent
    flex: list  # per site, list of columns
    cap: np.ndarray  # (S,)
    re: np.ndarray  # (S, K)
    grid_energy: np.ndarray  # (S,)


def _var_index(model: Model, arr: SiteArrays) -> _Index:
    var = model.var
    load_cols = np.array([v.index for v in var["load"]] + [-1])
    return _Index(
        load=load_cols[arr.load_vars],
        flex=[[var["load"][j].index for j in idx] for idx in arr.flex_vars],
        cap=np.array([v.index for v in var["cap"]]),
        re=np.array([[v.index for v in var["re"][k]] for k in TECHS]).T,
        grid_energy=np.array([v.index for v in var["grid_energy"]]),
    )


def _grid_cost(model: Model) -> np.ndarray:
    c = cost_coefficients(model.scenario)
    return c["energy"] + c["carbon"]


def _master_values(x: np.ndarray, index: _Index) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    padded = np.append(x, 0.0)  # column -1 reads the appended zero
    load = padded[index.load]
    flex = np.array([x[cols].sum() for cols in index.flex])
    return load, flex, x[index.cap], x[index.re]


def _energy_balance_cut(arr: SiteArrays) -> dict:
    """The cut of duals lambda = 1, mu = PUE: grid energy >= facility energy - renewable energy."""
    S, W = arr.load_vars.shape
    return {
        "c_load": np.broadcast_to(arr.pue[:, None] * (arr.profile @ arr.h)[None, :], (S, W)),
        "c_flex": HOURS_PER_YEAR * arr.pue,
        "c_cap": np.zeros(S),
        "c_re": -np.einsum("t,skt->sk", arr.h, arr.cf),
    }


def _add_cuts(highs, index: _Index, sub: dict, which: np.ndarray) -> None:
    """Add ``G_s - c . (load, flex, cap, re) >= 0`` for the sites in ``which``."""
    import highspy

    for i in np.flatnonzero(which):
        cols = [index.grid_energy[i]]
        vals = [1.0]
        for w, col in enumerate(index.load[i]):
            if col >= 0 and sub["c_load"][i, w] != 0:
                cols.append(col)
                vals.append(-sub["c_load"][i, w])
        for col in index.flex[i]:
            if sub["c_flex"][i] != 0:
                cols.append(col)
                vals.append(-sub["c_flex"][i])
        if sub["c_cap"][i] != 0:
            cols.append(index.cap[i])
            vals.append(-sub["c_cap"][i])
        for k in range(index.re.shape[1]):
            if sub["c_re"][i, k] != 0:
                cols.append(index.re[i, k])
                vals.append(-sub["c_re"][i, k])
        highs.addRow(0.0, highspy.kHighsInf, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))
