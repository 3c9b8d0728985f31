"""The entry point: validate, build, optimize (direct or Benders), read the result.

:func:`solve` reads as the pipeline it is. HiGHS (through the ``highspy``
wheel, a core dependency) is the default; CBC is used when PuLP finds it. A
non-optimal outcome is never returned as optimal: an infeasible scenario
raises :class:`~siting.errors.InfeasibleError` with a diagnosis
(:mod:`~siting.model.diagnose`), a time limit returns a
:class:`~siting.result.Result` whose ``status`` says so.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable

import numpy as np

from siting.errors import InfeasibleError, InputError, SitingError
from siting.model.benders import benders
from siting.model.build import build
from siting.model.core import Model
from siting.model.diagnose import NUMERICAL, diagnose
from siting.model.extract import read_solution
from siting.model.optimize import engine, has_solution, solve_model
from siting.model.status import Status
from siting.result import Result
from siting.scenario import Scenario
from siting.timeseries import resolution_label

__all__ = ["solve", "use_benders"]

log = logging.getLogger(__name__)


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
) -> Result:
    """Build and solve the siting LP of a scenario.

    Parameters
    ----------
    scenario : Scenario
        The inputs (validated when the scenario was made).
    solver : {"highs", "cbc"}
        HiGHS through ``highspy`` (default) or CBC through PuLP.
    time_limit : float, optional
        Solver time limit [s], finite and > 0.
    mip_gap : float, optional
        Relative MIP gap (MILP mode only) [-], in [0, 1).
    threads : int, optional
        Solver threads, a whole number >= 1.
    msg : bool
        Show the solver log.
    algorithm : {"auto", "simplex", "ipm"}
        HiGHS algorithm; ``auto`` takes dual simplex for small models and
        interior point (with crossover) for large ones.
    method : {"auto", "direct", "benders"}
        ``direct`` hands the whole LP to the solver; ``benders`` solves a
        master LP with closed-form hourly subproblems per site
        (:mod:`siting.model.benders`), to relative gap ``tol``. ``auto``
        takes Benders for representative days and full years with HiGHS
        (an LP) and the direct LP otherwise. Benders
        solves its master with dual simplex; ``algorithm`` applies to the
        direct LP.
    tol : float
        Relative optimality gap of the Benders method [-], in (0, 1).
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
    InputError
        On an option of the wrong type or out of range (``time_limit``,
        ``mip_gap``, ``threads``, ``tol``, ``extra``, ``method``, ``solver``,
        ``algorithm``), before the model is built.
    InfeasibleError
        If no allocation meets the demand and the policies; the message says
        which origin and class, or which policy, cannot be met and why.
    SolverNotAvailableError
        If the solver is not installed; the message says how to install it.
    """
    _validate_options(scenario, time_limit=time_limit, mip_gap=mip_gap, threads=threads, tol=tol, extra=extra)
    benders_route = use_benders(scenario, solver, method)
    log.info("scenario %r: %s, method %s, solver %s", scenario.name,
             resolution_label(scenario.resolution, scenario.representative_days),
             "benders" if benders_route else "direct", solver)
    options = dict(time_limit=time_limit, mip_gap=mip_gap, threads=threads, msg=msg)
    t0 = time.perf_counter()
    model = _build(scenario, extra, master=benders_route)
    t_build = time.perf_counter() - t0
    if log.isEnabledFor(logging.INFO):  # counting the non-zeros takes a pass over the rows
        log.info("scenario %r: built %s in %.2f s", scenario.name,
                 ", ".join(f"{n:,} {k}" for k, n in model.size.items()), t_build)
    if benders_route:
        model, status, dispatch, timings = _optimize_benders(model, solver, tol, algorithm, extra, options)
    else:
        status, dispatch, timings = solve_model(model, solver, algorithm=algorithm, **options), None, {}
    t_solve = time.perf_counter() - t0 - t_build
    log.info("scenario %r: solver status %s after %.2f s", scenario.name, status, t_solve)
    if "benders_iterations" in timings:
        log.info("scenario %r: benders took %d iterations, relative gap %.2e", scenario.name,
                 timings["benders_iterations"], timings["benders_gap"])
    if timings.get("benders_fallback"):
        log.info("scenario %r: the benders decomposition failed numerically; solved as the direct LP", scenario.name)
    _check_status(scenario, model, status, solver, dispatch, time_limit)
    timings = {"build_s": t_build, "solve_s": t_solve, **timings}
    method = "benders" if model.master else "direct"
    return read_solution(model, status=str(status), solver=solver, timings=timings, dispatch=dispatch,
                         method=method)


def _validate_options(
    scenario: Scenario,
    *,
    time_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    tol: float,
    extra: Callable[[Model], None] | None,
) -> None:
    """Refuse options of :func:`solve` of the wrong type or out of range, before anything is built."""
    if not isinstance(scenario, Scenario):
        raise InputError(f"solve() expects a Scenario, got {type(scenario).__name__}")

    def number(value: object) -> bool:
        return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))

    if time_limit is not None and not (number(time_limit) and np.isfinite(time_limit) and time_limit > 0):
        raise InputError(f"time_limit: {time_limit!r} must be a finite number of seconds > 0 (or None for no limit)")
    if mip_gap is not None and not (number(mip_gap) and 0 <= mip_gap < 1):
        raise InputError(f"mip_gap: {mip_gap!r} must be a relative gap >= 0 and < 1 (or None)")
    integral = isinstance(threads, (int, np.integer)) and not isinstance(threads, (bool, np.bool_))
    if threads is not None and not (integral and threads >= 1):
        raise InputError(f"threads: {threads!r} must be a whole number >= 1 (or None for the solver's choice)")
    if not (number(tol) and 0 < tol < 1):
        raise InputError(f"tol: {tol!r} must be a relative gap between 0 and 1")
    if extra is not None and not callable(extra):
        raise InputError(f"extra: {extra!r} must be a function of the built model (or None)")


def _build(scenario: Scenario, extra: Callable[[Model], None] | None, master: bool) -> Model:
    model = build(scenario, master=master)
    if extra is not None:
        extra(model)
    return model


#: Site-slices (slices x sites) up to which a numerical failure of the Benders master falls back on the
#: direct LP (12 representative days of 41 sites are 11,808; the full year 359,160, far beyond memory
#: and time with batteries).
FALLBACK_SITE_SLICES = 50_000
#: Master solves of such a model that may need more than a re-solve from scratch before it falls back on the direct LP.
MAX_MASTER_RETRIES = 3


def _optimize_benders(
    model: Model, solver: str, tol: float, algorithm: str, extra: Callable[[Model], None] | None, options: dict
) -> tuple[Model, Status, dict | None, dict]:
    """Benders on the master; on a numerical failure of the master or a site LP, the direct LP."""
    time_limit = options["time_limit"]
    configured = engine(solver, model, options["time_limit"], options["mip_gap"], options["threads"],
                        options["msg"], "simplex")
    small = len(model.slices) * len(model.scenario.sites) <= FALLBACK_SITE_SLICES
    # a master that keeps failing numerically is slow; a small model has the direct LP to fall back on
    result, dispatch, info = benders(model, configured, tol=tol, time_limit=time_limit, threads=options["threads"],
                                     max_retries=MAX_MASTER_RETRIES if small else None)
    status = Status.TIME_LIMIT if result == "iteration_limit" else Status(result)
    if status != Status.ERROR:
        return model, status, dispatch, {
            "benders_iterations": info.iterations, "benders_gap": info.gap, "benders_master_s": info.master_seconds,
            "benders_subproblem_s": info.subproblem_seconds, "benders_subproblem_solves": info.subproblem_solves,
        }
    # HiGHS can fail on a Benders master whose policy rows are (nearly)
    # infeasible; the diagnosis settles infeasibility, the direct LP the rest
    scenario = model.scenario
    size = len(model.slices) * len(scenario.sites)
    if size > FALLBACK_SITE_SLICES:
        raise SitingError(
            f"scenario {scenario.name!r}: the Benders decomposition failed numerically after {info.iterations} "
            f"iterations (lower bound {info.lower_bound:.6e} CNY/yr), and the direct LP of {size:,} site-slices "
            f"is too large to solve instead; try representative days, or a looser tol (now {tol:g})"
        )
    diagnosis = diagnose(scenario, solver=solver, status=Status.INFEASIBLE)
    if not diagnosis.endswith(NUMERICAL):
        raise InfeasibleError(diagnosis)
    model = _build(scenario, extra, master=False)
    status = solve_model(model, solver, algorithm=algorithm, **options)
    return model, status, None, {"benders_fallback": True}


def _check_status(
    scenario: Scenario, model: Model, status: Status, solver: str, dispatch: dict | None, time_limit: float | None
) -> None:
    """Raise on anything but a usable solution; warn on a time limit."""
    if status in (Status.INFEASIBLE, Status.UNBOUNDED):
        raise InfeasibleError(diagnose(scenario, solver=solver, status=status))
    if status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise InfeasibleError(f"scenario {scenario.name!r}: the solver ({solver}) ended with status {status}")
    if status == Status.TIME_LIMIT and not has_solution(model, solver, dispatch):
        raise SitingError(
            f"scenario {scenario.name!r}: the solver ({solver}) stopped at its time limit "
            f"({time_limit} s) before it found a feasible solution; raise time_limit"
        )
    if status == Status.TIME_LIMIT:
        warnings.warn(
            f"scenario {scenario.name!r}: the solver stopped at its time limit; the result is feasible "
            "but not proven optimal (Result.status == 'time_limit')",
            RuntimeWarning,
            stacklevel=3,
        )


def use_benders(scenario: Scenario, solver: str, method: str) -> bool:
    """Whether :func:`solve` takes the Benders route for these options (see ``method``)."""
    if method not in ("auto", "direct", "benders"):
        raise InputError(f"method was {method!r} but is expected to be one of ['auto', 'direct', 'benders']")
    supported = solver == "highs" and not scenario.integer
    if method == "benders" and not supported:
        raise InputError("method='benders' needs solver='highs' and an LP (integer=False); use method='direct'")
    if method == "auto":
        return supported and scenario.resolution != "average"
    return method == "benders"
