r"""Benders decomposition of the siting LP for fine time resolutions.

The full 8760-hour year (or representative days) is solved as a small
master LP (assignment, capacities, renewables, batteries, certificates,
policies and each site's annual grid energy :math:`G_s`, plus its grid bill
:math:`\theta_s` with hourly prices) and one hourly subproblem per site,
iterated to a tolerance. The subproblems are answered by an oracle
(:mod:`~siting.model.oracles`): in closed form when a site's hours separate
(one price, no storage; :mod:`~siting.model.closed_form`), or as a per-site
LP in HiGHS (:mod:`~siting.model.subproblem`). Each returns, per site, a cut

.. math::

    G_s \;(\text{or } \theta_s) \ge c_0 + \sum_w c_w \ell_{sw} + c_{flex}\,\ell_{s,flex} + c_{cap}\, cap_s
        + \sum_k c_k x_{sk} + c_P P_s + c_E E_s \;(+\, c_G G_s)

exact at the current master point and valid everywhere (LP weak duality);
one cut per site and iteration (multi-cut). Site LPs are evaluated in-out
(Ben-Ameur & Neto, 2007): at a point between the last evaluated one and
the master's, so that the dispatch, and the simplex work of a warm start,
moves less from one iteration to the next. Master feasibility rows
(:func:`siting.model.capacity.add_master_feasibility`) keep every site's
hours feasible except for a grid-energy budget below what the site can
manage; the site LP prices that excess at a penalty, so its cut also
steers the master back to a budget it can meet.

Rows that couple sites (national green share, emissions cap, western
share) read only annual master variables, so the decomposition is exact:
at convergence the master point with its subproblem dispatch is a solution
of the direct LP within ``tol``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from siting.model.closed_form import energy_balance_cut, site_arrays
from siting.model.core import Model, reads_grid_energy
from siting.model.grid import absorbing, cost_mode
from siting.model.objective import cost_coefficients, slice_prices
from siting.model.optimize import fresh_highs
from siting.model.oracles import ClosedForm, Evaluation, HourlyLPs, MasterPoint, grid_limits
from siting.model.status import Status, status_of
from siting.model.subproblem import Cut, SubproblemError

__all__ = ["benders", "BendersInfo", "hourly_coupled"]

logger = logging.getLogger(__name__)

#: In-out stabilisation (Ben-Ameur & Neto 2007) of the site LPs: weight of the last separation point in
#: the next [-]; 0 separates at the master's points. 0.7 was the fastest of 0.5, 0.7 and 0.85 on the full
#: year with batteries, time-of-use prices and 90 % hourly matching (benchmarks/README.md, coupled hours).
IN_OUT = 0.7
#: The lower bound has stalled when it rose by less than this relative amount [-] over
#: :data:`STALL_ITERATIONS` iterations; from then on the sites are evaluated at the master's points.
STALL = 2e-6
STALL_ITERATIONS = 3


def hourly_coupled(scenario) -> bool:
    """Whether a site's subproblem is an LP: storage, priced curtailed energy, a grid import limit, or hourly
    prices under an energy budget (a policy reads the grid energy); otherwise it has a closed form."""
    limited = any(x is not None for x in grid_limits(scenario))
    budget = scenario.tou_tariffs and reads_grid_energy(scenario)
    return bool(scenario.storage or absorbing(scenario).any() or limited or budget)


def _oracle(model: Model, arr, threads: int | None):
    """The sites' subproblems: LPs where hours are coupled, else the closed form (of the bill, with hourly prices)."""
    scn = model.scenario
    if hourly_coupled(scn):
        return HourlyLPs(model, arr, threads)
    if scn.tou_tariffs:
        return ClosedForm(arr, slice_prices(model) + cost_coefficients(scn)["carbon"][:, None])
    return ClosedForm(arr)


@dataclass
class BendersInfo:
    """Convergence record of :func:`benders`.

    ``lower_bound`` is the master objective; ``upper_bound`` the cost of
    the returned master point with its exact hourly dispatch [CNY/yr];
    ``seconds`` the loop's wall time, of which ``master_seconds`` in the
    master and ``subproblem_seconds`` in the sites [s];
    ``subproblem_solves`` counts the site LPs solved (0 in closed form).
    """

    iterations: int
    lower_bound: float
    upper_bound: float
    seconds: float
    master_seconds: float = 0.0
    subproblem_seconds: float = 0.0
    subproblem_solves: int = 0

    @property
    def gap(self) -> float:
        """Relative gap between the bounds [-]."""
        return (self.upper_bound - self.lower_bound) / max(abs(self.upper_bound), 1.0)


def benders(
    model: Model,
    solver: pulp.HiGHS,
    tol: float = 1e-6,
    max_iterations: int = 1000,
    time_limit: float | None = None,
    threads: int | None = None,
    max_retries: int | None = None,
) -> tuple[str, dict, BendersInfo]:
    """Solve a master :class:`~siting.model.core.Model` with cuts from the sites' subproblems.

    The master is handed to HiGHS once; each iteration adds the cuts of
    the sites whose subproblem the master under-estimates and re-solves
    from the previous basis.

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
    threads : int, optional
        Site LPs solved at once (default: the number of cores).
    max_retries : int, optional
        Master solves that may need more than a re-solve from scratch (:func:`_run_master`) before the
        loop gives up with status ``"error"``, for a caller that has a cheaper way out (the direct LP of
        a small model); default no limit.

    Returns
    -------
    status : str
        ``"optimal"`` when converged, ``"iteration_limit"`` (iteration or
        time limit reached), or the status of a master solve that failed.
    dispatch : dict
        Per-slice ``grid``, ``flex``, ``charge``, ``discharge``, ``soc``
        arrays (S, T) of the final master point; the model's variables
        hold the master solution and its duals.
    info : BendersInfo

    Notes
    -----
    When a policy row reads the annual grid energy (green share, emissions
    cap), converging on cost alone could leave the true grid energy a hair
    above the master's and the policy a hair short; the loop then also
    requires every site's energy cut to hold to 1e-9 relative.
    """
    t0 = time.perf_counter()
    arr = site_arrays(model)
    problem = model.problem
    solver.createAndConfigureSolver(problem)
    solver.buildSolverModel(problem)
    highs = problem.solverModel
    index = _var_index(model, arr)
    oracle = _oracle(model, arr, threads)
    _initial_cuts(highs, index, model, arr)
    loop = _Loop(model, index, oracle, np.asarray(highs.getLp().col_cost_))
    lower = -np.inf
    t_master = 0.0
    retries = 0
    lowers: list[float] = []
    try:
        for it in range(1, max_iterations + 1):
            t1 = time.perf_counter()
            status, highs, retried = _run_master(highs, problem)
            t_master += time.perf_counter() - t1
            retries += retried
            if max_retries is not None and retries > max_retries:
                logger.debug("Benders iteration %d: %d master solves needed a retry; giving up", it, retries)
                status = Status.ERROR
            if status != Status.OPTIMAL:
                return str(status), {}, loop.info(it, lower, t0, t_master)
            x = np.asarray(highs.getSolution().col_value)
            lower = max(lower, highs.getInfo().objective_function_value)
            lowers.append(lower)
            try:
                cuts, violated = _separate(loop, x, lowers)
            except SubproblemError as exc:  # numerical: the caller falls back on the direct LP if it can
                logger.debug("Benders iteration %d: %s", it, exc)
                return str(Status.ERROR), {}, loop.info(it, lower, t0, t_master)
            logger.debug("Benders iteration %d: lower %.6e, upper %.6e, %d cuts", it, lower, loop.best_upper,
                         int(violated.sum()))
            if not violated.any() and not loop.feasible:
                # the master is exact at a point whose sites exceed their grid-energy budgets: a higher
                # penalty on the excess, or, at the highest, budgets the sites cannot meet
                if isinstance(oracle, HourlyLPs) and oracle.raise_penalty():
                    logger.debug("Benders: sites over their grid-energy budgets; penalty raised")
                    continue
                return str(Status.INFEASIBLE), {}, loop.info(it, lower, t0, t_master)
            gap = loop.best_upper - lower
            settled = not violated.any() or (np.isfinite(gap) and gap <= tol * max(abs(loop.best_upper), 1.0))
            if settled and loop.best_x is not None:
                solver.findSolutionValues(problem)
                if violated.any() or loop.best_x is not x:
                    _set_values(problem, loop.best_x)
                # load a grid import limit leaves unserved even at the optimum: the limit cannot be met
                short = loop.best_dispatch.get("shortfall")
                if short is not None and (short @ model.slices.weight_h).max() > 1e-6:
                    return str(Status.INFEASIBLE), {}, loop.info(it, lower, t0, t_master)
                return str(Status.OPTIMAL), loop.best_dispatch, loop.info(it, lower, t0, t_master)
            if time_limit is not None and time.perf_counter() - t0 > time_limit:
                break
            for i in np.flatnonzero(violated):
                _add_cut(highs, index, i, cuts[i])
                loop.added[i] = cuts[i]
    finally:
        if isinstance(oracle, HourlyLPs):
            oracle.close()
    solver.findSolutionValues(problem)
    if loop.best_x is not None:
        _set_values(problem, loop.best_x)
    return "iteration_limit", loop.best_dispatch or {}, loop.info(it, lower, t0, t_master)


class _Loop:
    """The Benders loop's bookkeeping: evaluate points, keep the best one, find the cuts that cut the master off."""

    def __init__(self, model: Model, index: _Index, oracle, cost: np.ndarray) -> None:
        scn = model.scenario
        c = cost_coefficients(scn)
        self.index, self.oracle, self.cost = index, oracle, cost
        self.energy_cost = c["carbon"] + (0.0 if oracle.cost_mode else c["energy"])
        self.grid_policy = reads_grid_energy(scn)
        self.best_upper, self.best_x, self.best_dispatch = np.inf, None, None
        self.feasible = False  # whether the last point's sites kept to their grid-energy budgets
        self.added: dict[int, Cut] = {}  # the last cut added for each site
        self.t_sub = 0.0
        self.core: np.ndarray | None = None  # the last separation point (in-out stabilisation)
        self.stalled = False

    def separate(self, x: np.ndarray, check: np.ndarray | None = None) -> tuple[list, np.ndarray]:
        """Evaluate the sites at the point ``x``; return their cuts and which of them cut the master point
        ``check`` (default ``x``) off."""
        point = _master_point(x, self.index)
        t1 = time.perf_counter()
        ev = self.oracle(point)
        self.t_sub += time.perf_counter() - t1
        self.feasible = bool(ev.feasible.all())
        upper = self._upper(x, point, ev)
        if upper < self.best_upper:
            self.best_upper, self.best_x, self.best_dispatch = upper, x, ev.dispatch
        strict = 1e-9 if self.grid_policy and not self.oracle.cost_mode else 1e-7
        violated = np.zeros(len(ev.cuts), dtype=bool)
        if check is not None:
            point = _master_point(check, self.index)
        for i, cut in enumerate(ev.cuts):
            if cut is self.added.get(i):
                # the site was not solved again and its cut is in the master already: what it still
                # appears to cut off is within the master's tolerances, and adding it again changes nothing
                continue
            value = _cut_value(cut, point, i)
            target = point.grid_energy[i] if cut.target == "energy" else point.grid_cost[i]
            violated[i] = value - target > strict * max(abs(value), 1.0)
        return ev.cuts, violated

    def _upper(self, x: np.ndarray, point: MasterPoint, ev: Evaluation) -> float:
        """Cost of the master point ``x`` with the sites' exact dispatch, or inf where it is not feasible [CNY/yr]."""
        base = float(self.cost @ x)
        if self.oracle.cost_mode:
            return base + float((ev.bill - point.grid_cost).sum()) if ev.feasible.all() else np.inf
        excess = ev.energy - point.grid_energy
        # a policy reads the master's grid energy: the dispatch must not draw more
        if self.grid_policy and (excess > 1e-9 * np.maximum(ev.energy, 1.0)).any():
            return np.inf
        return base + float(self.energy_cost @ excess)

    def info(self, it: int, lower: float, t0: float, t_master: float) -> BendersInfo:
        return BendersInfo(it, lower, self.best_upper, time.perf_counter() - t0, t_master, self.t_sub,
                           _solves(self.oracle))


def _separate(loop: _Loop, x: np.ndarray, lowers: list) -> tuple[list, np.ndarray]:
    """Cuts for the master point ``x``, separated in-out: at a point between the last separation point and
    ``x`` (:data:`IN_OUT`), where the sites' dispatch moves less than at ``x`` and the cuts steady the master;
    at ``x`` itself when those cuts do not cut ``x`` off, and from the point the lower bound stalls on."""
    n = STALL_ITERATIONS
    if len(lowers) > n and lowers[-1] - lowers[-1 - n] <= STALL * abs(lowers[-1]):
        loop.stalled = True
    # the closed form costs nothing to evaluate: there the master's own points are best
    if loop.core is None or loop.stalled or IN_OUT == 0 or not isinstance(loop.oracle, HourlyLPs):
        loop.core = x
        return loop.separate(x)
    at = IN_OUT * loop.core + (1.0 - IN_OUT) * x
    loop.core = at
    cuts, violated = loop.separate(at, check=x)
    if violated.any():
        return cuts, violated
    return loop.separate(x)


def _cut_value(cut: Cut, point: MasterPoint, i: int) -> float:
    """The right-hand side of site ``i``'s cut at a master point."""
    value = (cut.const + float(cut.load @ point.load[i]) + cut.flex * point.flex[i] + cut.cap * point.cap[i]
             + float(cut.re @ point.re[i]) + cut.battery_mw * point.battery_mw[i]
             + cut.battery_mwh * point.battery_mwh[i] + cut.absorb * point.absorb[i])
    if cut.target == "cost":
        value += cut.budget * point.grid_energy[i]
    return float(value)


def _set_values(problem: pulp.LpProblem, x: np.ndarray) -> None:
    """Give the master's variables the values of the point ``x`` (HiGHS column order)."""
    for var in problem.variables():
        var.varValue = float(x[var.index])


def _run_master(highs, problem: pulp.LpProblem):
    """Re-solve the master from its last basis; if HiGHS fails numerically (an ``Unknown`` status after many
    cuts), once more from scratch, then the same LP in a fresh HiGHS instance (which solves what a cleared one
    may not), then with the
    objective scaled down (2**-4), then by interior point with crossover.

    Returns
    -------
    status : Status
    highs : highspy.Highs
        The instance that holds the master from now on (``problem.solverModel``).
    retried : bool
        Whether the solve needed more than a re-solve from scratch (which many cuts make routine).
    """
    highs.run()
    status = status_of(problem, "highs")
    retried = False
    for retry in ("scratch", "fresh", "scaled", "ipm"):
        if status not in (Status.ERROR, Status.NOT_SOLVED):
            break
        retried = retry != "scratch"
        if retry == "fresh":
            highs = fresh_highs(highs)
            problem.solverModel = highs
        else:
            highs.clearSolver()
        if retry == "scaled":
            highs.setOptionValue("user_objective_scale", -4)
        if retry == "ipm":
            highs.setOptionValue("solver", "ipm")
            highs.setOptionValue("run_crossover", "on")
        highs.run()
        status = status_of(problem, "highs")
        highs.setOptionValue("user_objective_scale", 0)
        highs.setOptionValue("solver", "simplex")
        logger.debug("Benders master after the %s retry: %s", retry, highs.modelStatusToString(highs.getModelStatus()))
    return status, highs, retried


def _solves(oracle) -> int:
    return oracle.solves if isinstance(oracle, HourlyLPs) else 0


@dataclass(frozen=True)
class _Index:
    """Column indices of the master variables in the HiGHS model (-1 where absent)."""

    load: np.ndarray  # (S, W)
    flex: list  # per site, list of columns
    cap: np.ndarray  # (S,)
    re: np.ndarray  # (S, K)
    grid_energy: np.ndarray  # (S,)
    battery_mw: np.ndarray  # (S,)
    battery_mwh: np.ndarray  # (S,)
    grid_cost: np.ndarray  # (S,)
    absorb: np.ndarray  # (S,)


def _columns(var: dict, name: str, n: int) -> np.ndarray:
    return np.array([v.index for v in var[name]]) if name in var else -np.ones(n, dtype=int)


def _var_index(model: Model, arr) -> _Index:
    var = model.var
    S = len(arr.pue)
    load_cols = np.array([v.index for v in var["load"]] + [-1])
    K = arr.cf.shape[1]
    re = -np.ones((S, K), dtype=int)
    for i, options in enumerate(arr.supply):
        re[i, :len(options)] = [v.index for v in options]
    absorb = var.get("absorb")
    return _Index(
        load=load_cols[arr.load_vars],
        flex=[[var["load"][j].index for j in idx] for idx in arr.flex_vars],
        cap=np.array([v.index for v in var["cap"]]),
        re=re,
        grid_energy=np.array([v.index for v in var["grid_energy"]]),
        battery_mw=_columns(var, "battery_mw", S),
        battery_mwh=_columns(var, "battery_mwh", S),
        grid_cost=_columns(var, "grid_cost", S),
        absorb=np.array([-1 if v is None else v.index for v in absorb]) if absorb else -np.ones(S, dtype=int),
    )


def _master_point(x: np.ndarray, index: _Index) -> MasterPoint:
    # every master variable is >= 0; the solver may return -1e-11
    x = np.maximum(x, 0.0)
    padded = np.append(x, 0.0)  # column -1 reads the appended zero
    return MasterPoint(
        load=padded[index.load],
        flex=np.array([x[cols].sum() for cols in index.flex]),
        cap=x[index.cap],
        re=padded[index.re],
        battery_mw=padded[index.battery_mw],
        battery_mwh=padded[index.battery_mwh],
        grid_energy=x[index.grid_energy],
        grid_cost=padded[index.grid_cost],
        absorb=padded[index.absorb],
    )


def _initial_cuts(highs, index: _Index, model: Model, arr) -> None:
    """Grid energy >= facility energy - renewable energy; with hourly prices, the bill >= cheapest price x that."""
    balance = energy_balance_cut(arr)
    S = len(arr.pue)
    cuts = [
        Cut("energy", 0.0, 0.0, balance["c_load"][i], float(balance["c_flex"][i]), 0.0, balance["c_re"][i],
            0.0, 0.0, 0.0, float(balance["c_absorb"][i]))
        for i in range(S)
    ]
    for i, cut in enumerate(cuts):
        _add_cut(highs, index, i, cut)
    if cost_mode(model.scenario):
        # the bill covers the same energy at no less than the cheapest hour or the curtailed-energy price
        cheapest = np.minimum(slice_prices(model).min(axis=1),
                              model.scenario.curtailed_energy_price_cny_per_kwh * 1000.0 if absorbing(model.scenario).any()
                              else np.inf)
        for i, cut in enumerate(cuts):
            p = float(cheapest[i])
            scaled = Cut("cost", 0.0, 0.0, p * cut.load, p * cut.flex, 0.0, p * cut.re, 0.0, 0.0, 0.0, 0.0)
            _add_cut(highs, index, i, scaled)


def _add_cut(highs, index: _Index, i: int, cut: Cut) -> None:
    """Add ``target - coef . x >= const`` for site ``i``."""
    target = index.grid_energy[i] if cut.target == "energy" else index.grid_cost[i]
    cols, vals = [int(target)], [1.0]

    def term(col: int, coef: float) -> None:
        if col >= 0 and coef != 0:
            cols.append(int(col))
            vals.append(-float(coef))

    for w, col in enumerate(index.load[i]):
        term(col, cut.load[w])
    for col in index.flex[i]:
        term(col, cut.flex)
    term(index.cap[i], cut.cap)
    for k, col in enumerate(index.re[i]):
        term(col, cut.re[k])
    term(index.battery_mw[i], cut.battery_mw)
    term(index.battery_mwh[i], cut.battery_mwh)
    term(index.absorb[i], cut.absorb)
    if cut.target == "cost":
        term(index.grid_energy[i], cut.budget)
    # dual noise far below the row's largest coefficient only hurts the master's conditioning: drop it
    # (which moves the cut by at most 1e-11 of that coefficient times the variable's value)
    vals_arr = np.array(vals, dtype=float)
    keep = np.abs(vals_arr) >= 1e-11 * np.abs(vals_arr).max()
    keep[0] = True  # the target
    cols_arr = np.array(cols, dtype=np.int32)[keep]
    highs.addRow(float(cut.const), highspy.kHighsInf, int(keep.sum()), cols_arr, vals_arr[keep])
