"""Solve a scenario: build the LP, hand it to HiGHS or CBC, read the result.

:func:`solve` is the one entry point. HiGHS (through the ``highspy`` wheel,
a core dependency) is the default; CBC is used when PuLP finds it. A
non-optimal outcome is never returned as optimal: an infeasible scenario
raises :class:`~siting.errors.InfeasibleError` with a diagnosis, a time
limit returns a :class:`~siting.result.Result` whose ``status`` says so.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import warnings
from collections.abc import Callable
from enum import StrEnum

import numpy as np
import pulp

from siting.errors import InfeasibleError, InputError, SitingError, SolverNotAvailableError
from siting.model import Model, build
from siting.scenario import Scenario

__all__ = ["Status", "solve", "solve_model", "SOLVERS"]

SOLVERS = ("highs", "cbc")
_NUMERICAL = "the diagnostic models meet every demand and policy; the infeasibility is numerical"
#: Models with more slice-site pairs than this use HiGHS interior point.
IPM_THRESHOLD = 5_000


class Status(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    NOT_SOLVED = "not_solved"
    ERROR = "error"


@contextlib.contextmanager
def _silent_stdout():
    """Send the process's stdout (file descriptor 1) to /dev/null for a moment."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


class _HiGHS(pulp.HiGHS):
    """PuLP's HiGHS interface without the banner HiGHS prints when it is created."""

    def createAndConfigureSolver(self, lp):  # noqa: N802 (PuLP's name)
        if self.msg:
            return super().createAndConfigureSolver(lp)
        with _silent_stdout():
            return super().createAndConfigureSolver(lp)


def _solver(
    name: str,
    model: Model,
    time_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    msg: bool,
    algorithm: str,
):
    if name not in SOLVERS:
        raise InputError(f"solver was {name!r} but is expected to be one of {list(SOLVERS)}")
    if name == "highs":
        solver = _HiGHS(msg=msg, timeLimit=time_limit, gapRel=mip_gap, threads=threads)
        if not solver.available():
            raise SolverNotAvailableError("HiGHS is not available: install it with `pip install highspy`")
        if algorithm == "auto":
            algorithm = "ipm" if len(model.slices) * len(model.scenario.sites) > IPM_THRESHOLD else "simplex"
        if algorithm not in ("simplex", "ipm"):
            raise InputError(f"algorithm was {algorithm!r} but is expected to be 'auto', 'simplex' or 'ipm'")
        solver.optionsDict["solver"] = algorithm if not model.scenario.integer else "choose"
        if algorithm == "ipm" and not model.scenario.integer:
            # crossover gives a vertex solution: exact duals and zeros where they belong
            solver.optionsDict["run_crossover"] = "on"
        return solver
    options = dict(msg=msg, timeLimit=time_limit, gapRel=mip_gap, threads=threads)
    solver = pulp.COIN_CMD(**options)
    if not solver.available():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3 announcing PuLP 4
            solver = pulp.PULP_CBC_CMD(**options)
            available = solver.available()
    else:
        available = True
    if not available:
        raise SolverNotAvailableError(
            "CBC is not available: install the `coinor-cbc` system package (e.g. "
            "`apt-get install coinor-cbc`) or a PuLP release that bundles it, or use solver='highs'"
        )
    return solver


def _status(problem: pulp.LpProblem, solver_name: str) -> Status:
    if solver_name == "highs" and getattr(problem, "solverModel", None) is not None:
        import highspy

        s = problem.solverModel.getModelStatus()
        H = highspy.HighsModelStatus
        if s == H.kOptimal:
            return Status.OPTIMAL
        if s == H.kInfeasible:
            return Status.INFEASIBLE
        if s in (H.kUnbounded, H.kUnboundedOrInfeasible):
            return Status.UNBOUNDED if s == H.kUnbounded else Status.INFEASIBLE
        if s in (H.kTimeLimit, H.kIterationLimit, H.kInterrupt):
            return Status.TIME_LIMIT
        return Status.ERROR
    code = problem.status
    if code == pulp.LpStatusOptimal and problem.sol_status == pulp.LpSolutionOptimal:
        return Status.OPTIMAL
    if code == pulp.LpStatusOptimal:  # integer feasible only: stopped early
        return Status.TIME_LIMIT
    if code == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE
    if code == pulp.LpStatusUnbounded:
        return Status.UNBOUNDED
    if code == pulp.LpStatusNotSolved:
        return Status.TIME_LIMIT if problem.sol_status == pulp.LpSolutionIntegerFeasible else Status.NOT_SOLVED
    return Status.ERROR


def solve_model(
    model: Model,
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    msg: bool = False,
    algorithm: str = "auto",
) -> Status:
    """Solve a built :class:`~siting.model.Model` in place and return its status."""
    engine = _solver(solver, model, time_limit, mip_gap, threads, msg, algorithm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3 announcing PuLP 4 renames
        model.problem.solve(engine)
    return _status(model.problem, solver)


def solve(
    scenario: Scenario,
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    msg: bool = False,
    algorithm: str = "auto",
    method: str = "auto",
    tol: float = 1e-6,
    extra: Callable[[Model], None] | None = None,
):
    """Build and solve the siting LP of a scenario.

    Parameters
    ----------
    scenario : Scenario
        The inputs (validated when the scenario was made).
    solver : {"highs", "cbc"}
        HiGHS through ``highspy`` (default) or CBC through PuLP.
    time_limit : float, optional
        Solver time limit [s].
    mip_gap : float, optional
        Relative MIP gap (MILP mode only) [-].
    threads : int, optional
        Solver threads.
    msg : bool
        Show the solver log.
    algorithm : {"auto", "simplex", "ipm"}
        HiGHS algorithm; ``auto`` takes dual simplex for small models and
        interior point (with crossover) for large ones.
    method : {"auto", "direct", "benders"}
        ``direct`` hands the whole LP to the solver; ``benders`` solves a
        master LP with closed-form hourly subproblems per site
        (:mod:`siting.decomposition`), to relative gap ``tol``. ``auto``
        takes Benders for representative days and full years with HiGHS
        (LP, no grid import limits) and the direct LP otherwise. Benders
        solves its master with dual simplex; ``algorithm`` applies to the
        direct LP.
    tol : float
        Relative optimality gap of the Benders method [-].
    extra : callable, optional
        User constraints: called with the built :class:`~siting.model.Model`
        before solving; add rows to ``model.problem`` using the variables
        in ``model.var`` (``a``, ``load``, ``cap``, ``re``,
        ``grid_energy``, and with ``method="direct"`` the per-slice
        ``grid`` and ``flex``). For example, at least 500 MW at site 0:
        ``lambda m: m.problem.addConstraint(m.var["cap"][0] >= 500)``.

    Returns
    -------
    siting.result.Result
        ``status`` is ``"optimal"``, or ``"time_limit"`` (with a warning)
        when the solver stopped early with a feasible solution.

    Raises
    ------
    InfeasibleError
        If no allocation meets the demand and the policies; the message says
        which origin and class, or which policy, cannot be met and why.
    SolverNotAvailableError
        If the solver is not installed; the message says how to install it.
    """
    from siting.result import Result

    if not isinstance(scenario, Scenario):
        raise InputError(f"solve() expects a Scenario, got {type(scenario).__name__}")
    if not 0 < tol < 1:
        raise InputError(f"tol: {tol!r} must be a relative gap between 0 and 1")
    use_benders = _use_benders(scenario, solver, method)
    t0 = time.perf_counter()
    model = build(scenario, master=use_benders)
    if extra is not None:
        extra(model)
    t_build = time.perf_counter() - t0
    dispatch, timings = None, {}
    if use_benders:
        from siting.decomposition import benders

        engine = _solver(solver, model, time_limit, mip_gap, threads, msg, "simplex")
        status, dispatch, info = benders(model, engine, tol=tol, time_limit=time_limit)
        status = Status.TIME_LIMIT if status == "iteration_limit" else Status(status)
        timings = {"benders_iterations": info.iterations, "benders_gap": info.gap}
    else:
        status = solve_model(model, solver, time_limit, mip_gap, threads, msg, algorithm)
    if use_benders and status == Status.ERROR:
        # HiGHS can fail on a Benders master whose policy rows are (nearly)
        # infeasible; the diagnosis settles infeasibility, the direct LP the rest
        diagnosis = diagnose(scenario, solver=solver, status=Status.INFEASIBLE)
        if not diagnosis.endswith(_NUMERICAL):
            raise InfeasibleError(diagnosis)
        model = build(scenario)
        if extra is not None:
            extra(model)
        status = solve_model(model, solver, time_limit, mip_gap, threads, msg, algorithm)
        dispatch, timings = None, {"benders_fallback": True}
    t_solve = time.perf_counter() - t0 - t_build
    if status in (Status.INFEASIBLE, Status.UNBOUNDED):
        raise InfeasibleError(diagnose(scenario, solver=solver, status=status))
    if status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise InfeasibleError(f"scenario {scenario.name!r}: the solver ({solver}) ended with status {status}")
    if status == Status.TIME_LIMIT and not _has_solution(model, solver, dispatch):
        raise SitingError(
            f"scenario {scenario.name!r}: the solver ({solver}) stopped at its time limit "
            f"({time_limit} s) before it found a feasible solution; raise time_limit"
        )
    if status == Status.TIME_LIMIT:
        warnings.warn(
            f"scenario {scenario.name!r}: the solver stopped at its time limit; the result is feasible "
            "but not proven optimal (Result.status == 'time_limit')",
            RuntimeWarning,
            stacklevel=2,
        )
    timings = {"build_s": t_build, "solve_s": t_solve, **timings}
    return Result.from_model(model, status=str(status), solver=solver, timings=timings, dispatch=dispatch)


def _has_solution(model: Model, solver: str, dispatch: dict | None) -> bool:
    """Whether a stopped solve holds a primal feasible point to report."""
    if model.master:
        # a Benders master stopped mid-solve has no dispatch to go with it
        return bool(dispatch)
    highs = getattr(model.problem, "solverModel", None)
    if solver == "highs" and highs is not None:
        return int(highs.getInfo().primal_solution_status) == 2  # kSolutionStatusFeasible
    return True


def _use_benders(scenario: Scenario, solver: str, method: str) -> bool:
    if method not in ("auto", "direct", "benders"):
        raise InputError(f"method was {method!r} but is expected to be one of ['auto', 'direct', 'benders']")
    grid_limited = scenario.grid_limits and "grid_mw_max" in scenario.sites and scenario.sites["grid_mw_max"].notna().any()
    supported = solver == "highs" and not scenario.integer and not grid_limited
    if method == "benders" and not supported:
        raise InputError(
            "method='benders' needs solver='highs', an LP (integer=False) and no grid import limits; "
            "use method='direct'"
        )
    if method == "auto":
        return supported and scenario.resolution != "average"
    return method == "benders"


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
        lines.append(_NUMERICAL)
    return head + ":\n  - " + "\n  - ".join(lines)


def _solve_robustly(model: Model, solver: str) -> Status:
    """Solve a diagnostic model; with HiGHS, retry with interior point if
    dual simplex fails on the penalty-scaled objective."""
    status = solve_model(model, solver)
    if status != Status.OPTIMAL and solver == "highs":
        status = solve_model(model, solver, algorithm="ipm")
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
