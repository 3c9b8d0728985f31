"""Cost–emissions Pareto fronts by the epsilon-constraint method."""

from __future__ import annotations

import inspect
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd
import pulp

from siting.analysis.run import Outcome, check_solve_kwargs, execute, leave_if_importing_main, tidy_table
from siting.errors import InfeasibleError, InputError
from siting.model.build import build
from siting.model.optimize import solve_model
from siting.model.policy import emission_terms
from siting.model.solve import solve
from siting.model.status import Status
from siting.scenario import Scenario

__all__ = ["pareto"]


def pareto(
    scenario: Scenario,
    objectives: tuple[str, str] = ("cost", "emissions"),
    points: int = 10,
    executor: Executor | str | None = None,
    *,
    progress: bool | None = None,
    **solve_kwargs: Any,
) -> pd.DataFrame:
    r"""Cost–emissions Pareto front by the epsilon-constraint method.

    The two ends are solved first, in the calling process: the least-cost
    solution (emissions :math:`E_{max}`) and the least-emission one,
    :math:`E_{min} = \min \sum_s EF_s \sum_t h_t g_{st}` over the same
    feasible set (the objective replaced by emissions from grid power).
    Then ``points`` caps evenly spaced from :math:`E_{max}` down to
    :math:`E_{min}` are each solved at least cost with
    ``emissions_t_max = cap`` on the executor. The last cap is
    :math:`E_{min}` loosened by 1e-6 (relative) so that solver tolerances
    keep it feasible; it is the cheapest least-emission solution.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; an ``emissions_t_max`` it sets is ignored. Cost
        is the scenario's objective, so it includes the carbon price
        ``carbon_price_cny_per_t``; set that to 0 for a front of costs
        without carbon pricing.
    objectives : tuple of str
        ``("cost", "emissions")``, the one pair supported.
    points : int
        Number of points on the front, ends included (>= 2).
    executor, progress, **solve_kwargs
        As for :func:`~siting.analysis.sweep`.

    Returns
    -------
    pandas.DataFrame
        Index ``point`` from least cost to least emissions. Columns
        ``emissions_cap_t`` [tCO2/yr], ``status``, ``error``,
        ``cost_total_cny`` [CNY/yr], ``emissions_t`` [tCO2/yr],
        ``green_share``, ``west_share`` [0..1],
        ``carbon_shadow_price_cny_per_t`` [CNY/tCO2] (the dual of the cap:
        the cost of the last tonne abated, on top of the carbon price),
        then the cost components ``cost_<component>_cny`` [CNY/yr].

    Raises
    ------
    InputError
        On other objectives or fewer than 2 points.
    InfeasibleError
        If the base scenario itself cannot be solved.
    Interrupted
        On Ctrl-C while the runs are solved (a :class:`KeyboardInterrupt`):
        runs not started are cancelled and the default pool's workers
        terminated; its ``table`` holds the points that finished. See
        :mod:`siting.analysis`.
    """
    leave_if_importing_main()
    if tuple(objectives) != ("cost", "emissions"):
        raise InputError(f"objectives was {tuple(objectives)!r} but only ('cost', 'emissions') is supported")
    if int(points) < 2:
        raise InputError(f"points must be >= 2 (the two ends of the front), got {points}")
    check_solve_kwargs(solve_kwargs)
    base = scenario.replace(emissions_t_max=None)
    e_max = float(solve(base, **solve_kwargs).summary["emissions_t"])
    # the least-cost plan may already emit the least (to solver tolerance):
    # keep the caps non-increasing from least cost to least emissions
    e_min = min(_min_emissions(base, solve_kwargs), e_max)
    caps = np.linspace(e_max, e_min, int(points))
    caps[-1] = min(e_min * (1 + 1e-6), e_max)
    runs = [{"emissions_t_max": float(c)} for c in caps]
    inputs = pd.DataFrame({"emissions_cap_t": caps})
    outcomes = execute(base, runs, executor, progress, solve_kwargs, "pareto",
                       lambda done, finished: _front(inputs.iloc[done], finished))
    return _front(inputs, outcomes)


def _front(inputs: pd.DataFrame, outcomes: list[Outcome]) -> pd.DataFrame:
    """The table :func:`pareto` returns, from the caps solved and their outcomes."""
    table = tidy_table(inputs, outcomes, "point")
    table = table.rename(columns={"shadow_emissions_cny_per_t": "carbon_shadow_price_cny_per_t"})
    head = ["emissions_cap_t", "status", "error", "cost_total_cny", "emissions_t", "green_share", "west_share",
            "carbon_shadow_price_cny_per_t"]
    costs = [c for c in table.columns if c.startswith("cost_") and c.endswith("_cny") and c not in head]
    return table.reindex(columns=head + costs)


def _min_emissions(scenario: Scenario, solve_kwargs: dict[str, Any]) -> float:
    """Least emissions from grid power over the scenario's feasible set [tCO2/yr]."""
    model = build(scenario)
    extra = solve_kwargs.get("extra")
    if extra is not None:  # user constraints shape the feasible set of every point
        extra(model)
    model.problem.setObjective(pulp.LpAffineExpression(emission_terms(model)))
    # options of siting.solve that solve_model does not take (method, tol, extra) do not apply here
    accepted = inspect.signature(solve_model).parameters
    status = solve_model(model, **{k: v for k, v in solve_kwargs.items() if k in accepted and k != "model"})
    if status != Status.OPTIMAL:
        raise InfeasibleError(f"scenario {scenario.name!r}: minimising emissions ended with status {status}")
    return float(model.problem.objective.value() or 0.0)
