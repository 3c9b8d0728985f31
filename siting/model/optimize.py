"""Direct optimization: configure HiGHS or CBC and solve a built model in place."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings

import pulp

from siting.errors import InputError, SolverNotAvailableError
from siting.model.core import Model
from siting.model.status import Status, status_of

__all__ = ["SOLVERS", "IPM_THRESHOLD", "KEPT_OPTIONS", "engine", "solve_model", "has_solution", "fresh_highs"]

SOLVERS = ("highs", "cbc")
#: Models with more slice-site pairs than this use HiGHS interior point.
IPM_THRESHOLD = 5_000


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


def engine(
    name: str,
    model: Model,
    time_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    msg: bool,
    algorithm: str,
) -> pulp.LpSolver:
    """A configured PuLP solver for ``model``.

    Parameters
    ----------
    name : {"highs", "cbc"}
    model : Model
        Used to choose the HiGHS algorithm (``"auto"``) and MILP options.
    time_limit : float or None
        [s].
    mip_gap : float or None
        Relative MIP gap [-].
    threads : int or None
    msg : bool
        Show the solver log.
    algorithm : {"auto", "simplex", "ipm"}
    """
    if name not in SOLVERS:
        raise InputError(f"solver was {name!r} but is expected to be one of {list(SOLVERS)}")
    if name == "highs":
        if threads is not None:
            # HiGHS keeps one thread pool per process, sized by the first solve;
            # a solve asking for another size would fail, so start a new pool
            import highspy

            highspy.Highs.resetGlobalScheduler(True)
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


def solve_model(
    model: Model,
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    msg: bool = False,
    algorithm: str = "auto",
    objective_scale: int | None = None,
) -> Status:
    """Solve a built :class:`~siting.model.core.Model` in place and return its status.

    ``objective_scale`` (HiGHS only) scales the objective by ``2**objective_scale``
    inside the solver, for models with penalties far above their costs.
    """
    configured = engine(solver, model, time_limit, mip_gap, threads, msg, algorithm)
    if objective_scale is not None and solver == "highs":
        configured.optionsDict["user_objective_scale"] = int(objective_scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3 announcing PuLP 4 renames
        model.problem.solve(configured)
    return status_of(model.problem, solver)


def has_solution(model: Model, solver: str, dispatch: dict | None) -> bool:
    """Whether a stopped solve holds a primal feasible point to report."""
    if model.master:
        # a Benders master stopped mid-solve has no dispatch to go with it
        return bool(dispatch)
    highs = getattr(model.problem, "solverModel", None)
    if solver == "highs" and highs is not None:
        return int(highs.getInfo().primal_solution_status) == 2  # kSolutionStatusFeasible
    return True


#: Options of a HiGHS instance that :func:`fresh_highs` carries over.
KEPT_OPTIONS = ("output_flag", "log_to_console", "threads", "time_limit", "presolve", "solver",
                "primal_feasibility_tolerance", "dual_feasibility_tolerance", "simplex_dual_edge_weight_strategy")


def fresh_highs(highs):
    """A new HiGHS instance with the LP and :data:`KEPT_OPTIONS` of ``highs`` and no solver state.

    HiGHS sometimes ends a warm-started LP in an ``Unknown`` status that a
    cleared instance repeats, while the same LP in a new instance solves.
    """
    import highspy

    fresh = highspy.Highs()
    fresh.setOptionValue("output_flag", False)
    for name in KEPT_OPTIONS:
        fresh.setOptionValue(name, highs.getOptionValue(name)[1])
    fresh.passModel(highs.getLp())
    return fresh
