"""Typed outcome of a solve, read from HiGHS or from PuLP.

Every module that runs a solver (:mod:`~siting.model.optimize`,
:mod:`~siting.model.benders`, :mod:`~siting.model.diagnose`) imports
:class:`Status` and :func:`status_of` from here.
"""

from __future__ import annotations

from enum import StrEnum

import pulp

__all__ = ["Status", "status_of"]


class Status(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    NOT_SOLVED = "not_solved"
    ERROR = "error"


def status_of(problem: pulp.LpProblem, solver_name: str) -> Status:
    """Status of a solved problem; ``solver_name`` is ``"highs"`` or ``"cbc"``."""
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
